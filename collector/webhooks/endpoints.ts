/** Webhook endpoints of a site: create (secret shown once), list, delete, and their deliveries. */
import { z } from 'zod';
import { text } from '../../shared/schemas.ts';
import { eventCursor, readEventCursor } from '../api/timeline.ts';
import { randomId } from '../sites/index.ts';
import type { Queryable } from '../store/index.ts';
import { literalDestinationProblem } from './destination.ts';
import type { WebhookType } from './outbox.ts';
import { newWebhookSecret } from './sign.ts';

export const WEBHOOK_TYPES = [
  'lead.created',
  'lead.identified',
  'lead.stage_changed',
  'lead.merged',
  'form.submitted',
] as const satisfies readonly WebhookType[];

const httpUrl = text(2048)
  .refine((u) => {
    try {
      const p = new URL(u).protocol;
      return p === 'http:' || p === 'https:';
    } catch {
      return false;
    }
  }, 'an absolute http(s) URL')
  .superRefine((u, ctx) => {
    const problem = literalDestinationProblem(u);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

const eventTypes = z
  .array(z.enum(WEBHOOK_TYPES))
  .min(1)
  .max(WEBHOOK_TYPES.length)
  .refine((e) => new Set(e).size === e.length, 'each event type once');

/** `POST /v1/webhooks`: `{ url, events: [...] }`. */
export const createEndpointSchema = z.strictObject({ url: httpUrl, events: eventTypes });

/** `PATCH /v1/webhooks/{id}`: a new URL, new event types, or both. */
export const updateEndpointSchema = z.strictObject({
  url: httpUrl.optional(),
  events: eventTypes.optional(),
});

/** An endpoint as the API shows it (never with its secret, except once at creation). */
export interface Endpoint {
  id: string;
  url: string;
  events: string[];
  createdAt: string;
}

interface EndpointRow {
  endpoint_id: string;
  url: string;
  events: string[];
  created_at: Date;
}

const toEndpoint = (r: EndpointRow): Endpoint => ({
  id: r.endpoint_id,
  url: r.url,
  events: r.events,
  createdAt: new Date(r.created_at).toISOString(),
});

/** Creates an endpoint; the only time its `secret` is returned. */
export async function createEndpoint(
  db: Queryable,
  siteId: string,
  input: z.infer<typeof createEndpointSchema>,
  now: Date,
): Promise<Endpoint & { secret: string }> {
  const secret = newWebhookSecret();
  const { rows } = await db.query<EndpointRow>(
    `insert into webhook_endpoints (site_id, endpoint_id, url, events, secret, created_at)
     values ($1, $2, $3, $4, $5, $6) returning endpoint_id, url, events, created_at`,
    [siteId, `wh_${randomId(16)}`, input.url, input.events, secret, now.toISOString()],
  );
  return { ...toEndpoint(rows[0]!), secret };
}

/**
 * Changes an endpoint's URL or event types; null when unknown. Deliveries not yet sent go to the
 * new URL; the event types choose what later events are offered to it.
 */
export async function updateEndpoint(
  db: Queryable,
  siteId: string,
  id: string,
  patch: z.infer<typeof updateEndpointSchema>,
): Promise<Endpoint | null> {
  const { rows } = await db.query<EndpointRow>(
    `update webhook_endpoints set url = coalesce($3, url), events = coalesce($4, events)
      where site_id = $1 and endpoint_id = $2 returning endpoint_id, url, events, created_at`,
    [siteId, id, patch.url ?? null, patch.events ?? null],
  );
  return rows[0] ? toEndpoint(rows[0]) : null;
}

/**
 * Gives an endpoint a new signing secret, returned this once; null when unknown. Every delivery
 * sent from now on is signed with it, retries of earlier events included.
 */
export async function rotateSecret(
  db: Queryable,
  siteId: string,
  id: string,
): Promise<(Endpoint & { secret: string }) | null> {
  const secret = newWebhookSecret();
  const { rows } = await db.query<EndpointRow>(
    `update webhook_endpoints set secret = $3 where site_id = $1 and endpoint_id = $2
     returning endpoint_id, url, events, created_at`,
    [siteId, id, secret],
  );
  return rows[0] ? { ...toEndpoint(rows[0]), secret } : null;
}

export async function listEndpoints(db: Queryable, siteId: string): Promise<Endpoint[]> {
  const { rows } = await db.query<EndpointRow>(
    `select endpoint_id, url, events, created_at from webhook_endpoints
      where site_id = $1 order by created_at, endpoint_id`,
    [siteId],
  );
  return rows.map(toEndpoint);
}

/** Deletes an endpoint and its deliveries (pending ones are never sent). False when unknown. */
export async function deleteEndpoint(db: Queryable, siteId: string, id: string): Promise<boolean> {
  // Its deliveries go with it (the foreign key cascades; explicit for data dirs migrated before it).
  await db.query('delete from webhook_deliveries where site_id = $1 and endpoint_id = $2', [
    siteId,
    id,
  ]);
  const { rowCount } = await db.query(
    'delete from webhook_endpoints where site_id = $1 and endpoint_id = $2',
    [siteId, id],
  );
  return rowCount > 0;
}

/** True when `siteId` has an endpoint `id`. */
export async function endpointExists(db: Queryable, siteId: string, id: string): Promise<boolean> {
  const { rows } = await db.query(
    'select 1 from webhook_endpoints where site_id = $1 and endpoint_id = $2',
    [siteId, id],
  );
  return rows.length > 0;
}

/** A delivery row as the API reads it. */
export interface DeliveryRow {
  delivery_id: string;
  event_id: string;
  type: string;
  status: string;
  attempts: number;
  next_attempt_at: Date;
  last_status: number | null;
  last_error: string | null;
  created_at: Date;
  delivered_at: Date | null;
}

/** The columns of {@link DeliveryRow}. */
export const DELIVERY_COLUMNS = `delivery_id, event_id, type, status, attempts, next_attempt_at,
  last_status, last_error, created_at, delivered_at`;

const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);

/** A delivery as the API shows it. */
export const toDelivery = (r: DeliveryRow) => ({
  id: r.delivery_id,
  eventId: r.event_id,
  type: r.type,
  status: r.status,
  attempts: r.attempts,
  lastStatus: r.last_status,
  lastError: r.last_error,
  nextAttemptAt: r.status === 'pending' ? iso(r.next_attempt_at) : null,
  createdAt: iso(r.created_at),
  deliveredAt: iso(r.delivered_at),
});

/**
 * One page of an endpoint's deliveries, newest first (`{ data, nextCursor }` like every list of
 * the API), or null when the endpoint does not exist. A cursor not from this list is a 400.
 *
 * @example const page = await listDeliveries(db, siteId, endpointId, 50);
 */
export async function listDeliveries(
  db: Queryable,
  siteId: string,
  id: string,
  limit: number,
  cursor?: string,
) {
  const after = cursor ? readEventCursor(cursor) : undefined;
  if (!(await endpointExists(db, siteId, id))) return null;
  const { rows } = await db.query<DeliveryRow & { k: string }>(
    `select ${DELIVERY_COLUMNS}, created_at::text as k
       from webhook_deliveries where site_id = $1 and endpoint_id = $2
        ${after ? 'and (created_at, delivery_id) < ($4::timestamptz, $5)' : ''}
      order by created_at desc, delivery_id desc limit $3`,
    [siteId, id, limit + 1, ...(after ?? [])],
  );
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  const data = page.map(toDelivery);
  return {
    data,
    nextCursor: rows.length > limit && last ? eventCursor(last.k, last.delivery_id) : null,
  };
}
