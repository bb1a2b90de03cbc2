/**
 * Webhook delivery: fan outbox rows out to matching endpoints as delivery rows, then send due
 * deliveries. Both claim rows with `FOR UPDATE SKIP LOCKED`, so any number of collector
 * processes can run them; a claimed delivery is leased (its next attempt moved past the send
 * timeout) before the POST, so no other process sends it meanwhile.
 */
import { randomId } from '../sites/index.ts';
import type { Store } from '../store/index.ts';
import { destinationProblem } from './destination.ts';
import { signatureHeader } from './sign.ts';

/** Retries stop this long after the delivery was created; it is then `failed`. */
export const RETRY_WINDOW_MS = 24 * 3_600_000;

/**
 * Delay before attempt `n + 1` after `n` failed attempts: 30 s doubling, at most 4 h
 * (30 s, 1 min, 2 min, … ≈ 14 attempts over a day).
 */
export function backoffMs(attempts: number): number {
  return Math.min(30_000 * 2 ** Math.max(0, attempts - 1), 4 * 3_600_000);
}

/**
 * Turns up to `limit` outbox rows into one delivery per matching endpoint, with the exact body
 * to send: `{ id, type, createdAt, data }`. Returns how many outbox rows it handled.
 */
export async function fanOut(store: Store, now: Date, limit = 200): Promise<number> {
  return store.transaction(async (tx) => {
    const { rows: events } = await tx.query<{
      site_id: string;
      event_id: string;
      type: string;
      data: Record<string, unknown>;
      created_at: Date;
    }>(
      `select site_id, event_id, type, data, created_at from webhook_events
        where fanned_out_at is null order by created_at limit $1 for update skip locked`,
      [limit],
    );
    if (events.length === 0) return 0;
    const sites = [...new Set(events.map((e) => e.site_id))];
    const { rows: endpoints } = await tx.query<{
      site_id: string;
      endpoint_id: string;
      events: string[];
    }>(
      'select site_id, endpoint_id, events from webhook_endpoints where site_id = any($1::text[])',
      [sites],
    );
    const deliveries = [];
    for (const e of events) {
      const body = JSON.stringify({
        id: e.event_id,
        type: e.type,
        createdAt: new Date(e.created_at).toISOString(),
        data: e.data,
      });
      for (const ep of endpoints) {
        if (ep.site_id !== e.site_id || !ep.events.includes(e.type)) continue;
        deliveries.push({
          site_id: e.site_id,
          delivery_id: `dlv_${randomId(16)}`,
          endpoint_id: ep.endpoint_id,
          event_id: e.event_id,
          type: e.type,
          body,
        });
      }
    }
    if (deliveries.length > 0) {
      await tx.query(
        `insert into webhook_deliveries (site_id, delivery_id, endpoint_id, event_id, type, body,
                                         status, next_attempt_at, created_at)
         select x.site_id, x.delivery_id, x.endpoint_id, x.event_id, x.type, x.body, 'pending', $2, $2
           from jsonb_to_recordset($1::jsonb) as x(site_id text, delivery_id text, endpoint_id text,
                                                   event_id text, type text, body text)
         on conflict (site_id, endpoint_id, event_id) do nothing`,
        [JSON.stringify(deliveries), now.toISOString()],
      );
    }
    await tx.query(
      `update webhook_events w set fanned_out_at = $2
         from jsonb_to_recordset($1::jsonb) as x(site_id text, event_id text)
        where w.site_id = x.site_id and w.event_id = x.event_id`,
      [
        JSON.stringify(events.map((e) => ({ site_id: e.site_id, event_id: e.event_id }))),
        now.toISOString(),
      ],
    );
    return events.length;
  });
}

export interface DeliverOptions {
  /** Per-request timeout (ms). */
  timeoutMs?: number;
  /** Most deliveries claimed (and sent concurrently) per call. */
  limit?: number;
  /** The HTTP client; `fetch` in production. */
  fetch?: typeof fetch;
}

/**
 * Claims due deliveries, POSTs each with its signature, and records the outcome: `delivered` on
 * 2xx; otherwise another attempt after {@link backoffMs}, or `failed` once past the retry window.
 * Returns how many it attempted.
 */
export async function deliverDue(
  store: Store,
  now: Date,
  opts: DeliverOptions = {},
): Promise<number> {
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const send = opts.fetch ?? fetch;
  // The lease: until then no other process finds these deliveries due.
  const lease = new Date(now.getTime() + timeoutMs + 30_000);
  const { rows } = await store.query<{
    site_id: string;
    delivery_id: string;
    body: string;
    attempts: number;
    created_at: Date;
    url: string;
    secret: string;
  }>(
    `with due as (
       select site_id, delivery_id from webhook_deliveries
        where status = 'pending' and next_attempt_at <= $1
        order by next_attempt_at limit $2 for update skip locked)
     update webhook_deliveries d set attempts = d.attempts + 1, next_attempt_at = $3
       from due, webhook_endpoints ep
      where d.site_id = due.site_id and d.delivery_id = due.delivery_id
        and ep.site_id = d.site_id and ep.endpoint_id = d.endpoint_id
     returning d.site_id, d.delivery_id, d.body, d.attempts, d.created_at, ep.url, ep.secret`,
    [now.toISOString(), opts.limit ?? 20, lease.toISOString()],
  );
  await Promise.all(
    rows.map(async (d) => {
      let status: number | null = null;
      let error: string | null = null;
      try {
        const refused = await destinationProblem(d.url);
        if (refused) throw new Error(refused);
        const res = await send(d.url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'user-agent': 'Touchpoint-Webhooks/1',
            'touchpoint-signature': signatureHeader(
              d.secret,
              d.body,
              Math.floor(now.getTime() / 1000),
            ),
          },
          body: d.body,
          redirect: 'manual',
          signal: AbortSignal.timeout(timeoutMs),
        });
        status = res.status;
        await res.body?.cancel();
        if (status < 200 || status >= 300) error = `HTTP ${status}`;
      } catch (err) {
        error = String((err as Error).message ?? err).slice(0, 300);
      }
      const next = now.getTime() + backoffMs(d.attempts);
      const giveUp = next > new Date(d.created_at).getTime() + RETRY_WINDOW_MS;
      await store.query(
        `update webhook_deliveries
            set status = $3, last_status = $4, last_error = $5, next_attempt_at = $6,
                delivered_at = case when $3 = 'delivered' then $7::timestamptz end
          where site_id = $1 and delivery_id = $2`,
        [
          d.site_id,
          d.delivery_id,
          error === null ? 'delivered' : giveUp ? 'failed' : 'pending',
          status,
          error,
          new Date(next).toISOString(),
          now.toISOString(),
        ],
      );
    }),
  );
  return rows.length;
}
