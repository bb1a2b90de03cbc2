/**
 * What a developer does by hand to an endpoint: send it a test event, send a delivery again.
 * Both go through the delivery worker like every other delivery (signed, retried, listed).
 */
import { randomUUID } from 'node:crypto';
import { randomId } from '../sites/index.ts';
import type { Queryable, Store } from '../store/index.ts';
import { deliveryBody } from './deliver.ts';
import { DELIVERY_COLUMNS, type DeliveryRow, endpointExists, toDelivery } from './endpoints.ts';

/** The type of a test event: sent only to the endpoint it was asked for, never subscribed to. */
export const TEST_EVENT_TYPE = 'webhook.test';

/**
 * Queues a `webhook.test` event for one endpoint of `siteId` — `{ id, type, createdAt, data:
 * { endpointId } }`, signed like any delivery — and answers its delivery, or null when the
 * endpoint does not exist. The worker sends it on its next pass.
 *
 * @example const delivery = await sendTestEvent(store, site.id, 'wh_…', new Date());
 */
export async function sendTestEvent(store: Store, siteId: string, endpointId: string, now: Date) {
  return store.transaction(async (tx) => {
    if (!(await endpointExists(tx, siteId, endpointId))) return null;
    const eventId = `evt_${randomUUID()}`;
    const data = { endpointId };
    const at = now.toISOString();
    // Fanned out already: the fan-out must not offer it to the site's other endpoints.
    await tx.query(
      `insert into webhook_events (site_id, event_id, type, data, created_at, fanned_out_at)
       values ($1, $2, $3, $4, $5, $5)`,
      [siteId, eventId, TEST_EVENT_TYPE, JSON.stringify(data), at],
    );
    const body = deliveryBody({ id: eventId, type: TEST_EVENT_TYPE, createdAt: now, data });
    const { rows } = await tx.query<DeliveryRow>(
      `insert into webhook_deliveries (site_id, delivery_id, endpoint_id, event_id, type, body,
                                       status, next_attempt_at, created_at)
       values ($1, $2, $3, $4, $5, $6, 'pending', $7, $7)
       returning ${DELIVERY_COLUMNS}`,
      [siteId, `dlv_${randomId(16)}`, endpointId, eventId, TEST_EVENT_TYPE, body, at],
    );
    return toDelivery(rows[0]!);
  });
}

/**
 * Sends a delivery of an endpoint again at the worker's next pass — one that `failed`, or one
 * delivered that the receiver lost — with the same body (same event `id`, so a receiver that has
 * it deduplicates). A delivery past its 24-hour retry window gets this one attempt. Null when
 * the endpoint has no such delivery.
 *
 * @example await redeliver(store, site.id, 'wh_…', 'dlv_…', new Date());
 */
export async function redeliver(
  db: Queryable,
  siteId: string,
  endpointId: string,
  deliveryId: string,
  now: Date,
) {
  const { rows } = await db.query<DeliveryRow>(
    `update webhook_deliveries set status = 'pending', next_attempt_at = $4
      where site_id = $1 and endpoint_id = $2 and delivery_id = $3
      returning ${DELIVERY_COLUMNS}`,
    [siteId, endpointId, deliveryId, now.toISOString()],
  );
  return rows[0] ? toDelivery(rows[0]) : null;
}
