/**
 * Webhook delivery: fan outbox rows out to matching endpoints as delivery rows, then send due
 * deliveries. Both claim rows with `FOR UPDATE SKIP LOCKED`, so any number of collector
 * processes can run them; a claimed delivery is leased (its next attempt moved past the send
 * timeout) before the POST, so no other process sends it meanwhile. Sends that outlast a short
 * wait finish in the background, and each endpoint has a few requests in flight at most, so a
 * receiver that hangs holds up none but its own deliveries.
 */
import { randomId } from '../sites/index.ts';
import type { Store } from '../store/index.ts';
import { attemptDelivery } from './send.ts';

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
 * The exact body a delivery sends for an outbox event: `{ id, type, createdAt, data }`, the
 * same for every endpoint and retry (receivers deduplicate on `id`).
 *
 * @example deliveryBody({ id: 'evt_1', type: 'webhook.test', createdAt: now, data: {} })
 */
export function deliveryBody(e: { id: string; type: string; createdAt: Date; data: unknown }) {
  return JSON.stringify({
    id: e.id,
    type: e.type,
    createdAt: new Date(e.createdAt).toISOString(),
    data: e.data,
  });
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
      const body = deliveryBody({
        id: e.event_id,
        type: e.type,
        createdAt: e.created_at,
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
  /** Per-request timeout (ms), DNS check included. */
  timeoutMs?: number;
  /** Most deliveries claimed per call. */
  limit?: number;
  /** Most requests in flight to one endpoint from this process (default 5). */
  perEndpoint?: number;
  /** Most requests in flight from this process (default 100). */
  maxInFlight?: number;
  /**
   * How long a call waits for its sends (ms, default 1 s) before returning and leaving slower
   * ones to finish in the background ({@link drainDeliveries} waits for them).
   */
  waitMs?: number;
  /** The HTTP client; `fetch` in production. */
  fetch?: typeof fetch;
}

/** Sends still running, per store: endpoint key → requests in flight, and their promises. */
interface InFlight {
  perEndpoint: Map<string, number>;
  sends: Set<Promise<void>>;
}
const inFlightByStore = new WeakMap<Store, InFlight>();
/** Every background send of this process, for {@link drainDeliveries}. */
const allSends = new Set<Promise<void>>();

const endpointKey = (siteId: string, endpointId: string) => `${siteId}\u0000${endpointId}`;

/**
 * Waits until every send started by {@link deliverDue} in this process has recorded its
 * outcome (call before closing the store; tests call it before reading outcomes).
 *
 * @example await workers.stop(); await drainDeliveries(); await store.close();
 */
export async function drainDeliveries(): Promise<void> {
  while (allSends.size > 0) await Promise.allSettled([...allSends]);
}

/**
 * Claims due deliveries (a few per endpoint, oldest first, none for an endpoint already at its
 * in-flight limit), POSTs each with its signature, and records the outcome: `delivered` on 2xx;
 * otherwise another attempt after {@link backoffMs}, or `failed` once past the retry window.
 * An outcome is recorded only if the delivery was not claimed again meanwhile (its lease ran
 * out and another process tried), so a late answer never overwrites a newer one. Returns how
 * many it attempted.
 */
export async function deliverDue(
  store: Store,
  now: Date,
  opts: DeliverOptions = {},
): Promise<number> {
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const send = opts.fetch ?? fetch;
  const perEndpoint = opts.perEndpoint ?? 5;
  let state = inFlightByStore.get(store);
  if (!state) {
    state = { perEndpoint: new Map(), sends: new Set() };
    inFlightByStore.set(store, state);
  }
  const room = Math.min(opts.limit ?? 20, (opts.maxInFlight ?? 100) - state.sends.size);
  if (room <= 0) return 0;
  const busy = [...state.perEndpoint].map(([key, n]) => {
    const [site_id, endpoint_id] = key.split('\u0000');
    return { site_id, endpoint_id, n };
  });
  // The lease: until then no other process finds these deliveries due.
  const lease = new Date(now.getTime() + timeoutMs + 30_000);
  const { rows } = await store.query<{
    site_id: string;
    delivery_id: string;
    endpoint_id: string;
    body: string;
    attempts: number;
    created_at: Date;
    url: string;
    secret: string;
  }>(
    // Ranked per endpoint first, so one endpoint's backlog cannot fill every claim.
    `with ranked as (
       select d.site_id, d.delivery_id, d.next_attempt_at,
              row_number() over (partition by d.site_id, d.endpoint_id
                                 order by d.next_attempt_at, d.delivery_id) + coalesce(b.n, 0) as rn
         from webhook_deliveries d
         left join jsonb_to_recordset($4::jsonb) as b(site_id text, endpoint_id text, n int)
           on b.site_id = d.site_id and b.endpoint_id = d.endpoint_id
        where d.status = 'pending' and d.next_attempt_at <= $1),
     due as (
       select d.site_id, d.delivery_id from webhook_deliveries d
         join ranked r on r.site_id = d.site_id and r.delivery_id = d.delivery_id
        where r.rn <= $5 and d.status = 'pending' and d.next_attempt_at <= $1
        order by r.next_attempt_at, r.delivery_id limit $2 for update of d skip locked)
     update webhook_deliveries d set attempts = d.attempts + 1, next_attempt_at = $3
       from due, webhook_endpoints ep
      where d.site_id = due.site_id and d.delivery_id = due.delivery_id
        and ep.site_id = d.site_id and ep.endpoint_id = d.endpoint_id
     returning d.site_id, d.delivery_id, d.endpoint_id, d.body, d.attempts, d.created_at,
               ep.url, ep.secret`,
    [now.toISOString(), room, lease.toISOString(), JSON.stringify(busy), perEndpoint],
  );

  const record = async (d: (typeof rows)[number]) => {
    const { status, error } = await attemptDelivery(send, d.url, d.secret, d.body, now, timeoutMs);
    const next = now.getTime() + backoffMs(d.attempts);
    const giveUp = next > new Date(d.created_at).getTime() + RETRY_WINDOW_MS;
    await store.query(
      `update webhook_deliveries
          set status = $3, last_status = $4, last_error = $5, next_attempt_at = $6,
              delivered_at = case when $3 = 'delivered' then $7::timestamptz end
        where site_id = $1 and delivery_id = $2 and status = 'pending' and attempts = $8`,
      [
        d.site_id,
        d.delivery_id,
        error === null ? 'delivered' : giveUp ? 'failed' : 'pending',
        status,
        error,
        new Date(next).toISOString(),
        now.toISOString(),
        d.attempts,
      ],
    );
  };

  const { perEndpoint: counts, sends } = state;
  const started = rows.map((d) => {
    const key = endpointKey(d.site_id, d.endpoint_id);
    counts.set(key, (counts.get(key) ?? 0) + 1);
    const p: Promise<void> = record(d)
      // Not recorded (store closed or unreachable): the lease runs out and the delivery is
      // retried — at-least-once, never an unhandled rejection.
      .catch(() => {})
      .finally(() => {
        const n = (counts.get(key) ?? 1) - 1;
        if (n > 0) counts.set(key, n);
        else counts.delete(key);
        sends.delete(p);
        allSends.delete(p);
      });
    sends.add(p);
    allSends.add(p);
    return p;
  });
  if (started.length > 0) {
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([
      Promise.all(started),
      new Promise<void>((r) => {
        timer = setTimeout(r, opts.waitMs ?? 1_000);
      }),
    ]);
    clearTimeout(timer);
  }
  return rows.length;
}
