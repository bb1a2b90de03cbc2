/** The transactional outbox: record a webhook event in the same transaction as the change. */
import { randomUUID } from 'node:crypto';
import type { Queryable } from '../store/index.ts';

/** Webhook event types (DESIGN §9). */
export type WebhookType =
  | 'lead.created'
  | 'lead.identified'
  | 'lead.stage_changed'
  | 'lead.merged'
  | 'form.submitted';

/**
 * Records `{ id, type, createdAt, data }` for delivery to the site's endpoints after commit.
 *
 * @example await enqueueWebhook(tx, siteId, 'lead.created', { lead: { id } }, now);
 */
export async function enqueueWebhook(
  tx: Queryable,
  siteId: string,
  type: WebhookType,
  data: Record<string, unknown>,
  at: Date,
): Promise<string> {
  const id = `evt_${randomUUID()}`;
  await tx.query(
    'insert into webhook_events (site_id, event_id, type, data, created_at) values ($1, $2, $3, $4, $5)',
    [siteId, id, type, JSON.stringify(data), at.toISOString()],
  );
  return id;
}
