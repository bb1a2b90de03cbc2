/** Writes events to the log idempotently: one statement per group transaction, duplicates counted. */
import type { Props } from '../../shared/wire.ts';
import type { Combiner, Queryable } from '../store/index.ts';
import type { StoredEvent } from './pipeline.ts';

/** An event ready to store, already validated and time-corrected. */
export type NewEvent = Omit<StoredEvent, 'siteId'>;

/** One request's events for one site, and what became of them. */
export interface EventWrite {
  siteId: string;
  events: NewEvent[];
}
export interface EventWritten {
  /** The events that were new, in input order. */
  inserted: StoredEvent[];
  /** Events already stored (replays), or repeated earlier in the same statement. */
  duplicates: number;
}

/**
 * Inserts `events` for `siteId`; an event whose id is already stored (a replay) is skipped.
 * The visitor rows of the new events' anonymous ids are upserted in the same statement.
 *
 * @example const { inserted, duplicates } = await insertEvents(tx, site.id, events);
 */
export async function insertEvents(
  tx: Queryable,
  siteId: string,
  events: NewEvent[],
): Promise<EventWritten> {
  return (await insertEventsMany(tx, [{ siteId, events }]))[0]!;
}

/**
 * Several requests' events in one statement (a group-commit {@link Combiner}): one result per
 * write, in order. An id sent twice (in one request or two) is new for its first sender only.
 */
export const insertEventsMany: Combiner<EventWrite, EventWritten> = async (tx, writes) => {
  // One JSON parameter expands to rows on the server: the same single round trip on PGlite and
  // PostgreSQL, and no array-literal escaping differences between the two drivers.
  const rows = writes.flatMap((w) =>
    w.events.map((e) => ({
      site_id: w.siteId,
      event_id: e.eventId,
      anonymous_id: e.anonymousId,
      session_id: e.sessionId,
      type: e.type,
      name: e.name,
      ts: e.ts.toISOString(),
      client_ts: e.clientTs.toISOString(),
      received_at: e.receivedAt.toISOString(),
      skew_ms: e.skewMs,
      url: e.url,
      referrer: e.referrer,
      title: e.title,
      properties: e.properties,
      traits: e.traits,
      context: e.context,
      is_bot: e.isBot,
      trusted: e.trusted,
    })),
  );
  if (rows.length === 0) return writes.map(() => ({ inserted: [], duplicates: 0 }));
  // The visitor rows (first and last seen) of the new events are upserted in the same statement.
  const { rows: ids } = await tx.query<{ site_id: string; event_id: string }>(
    `with x as (
       select * from jsonb_to_recordset($1::jsonb) as x(
            site_id text, event_id text, anonymous_id text, session_id text, type text, name text,
            ts timestamptz, client_ts timestamptz, received_at timestamptz, skew_ms bigint,
            url text, referrer text, title text, properties jsonb, traits jsonb, context jsonb,
            is_bot boolean, trusted boolean)
     ), ins as (
       insert into events (site_id, event_id, anonymous_id, session_id, type, name, ts, client_ts,
                           received_at, skew_ms, url, referrer, title, properties, traits, context,
                           is_bot, trusted)
       select x.site_id, x.event_id, x.anonymous_id, x.session_id, x.type, x.name, x.ts,
              x.client_ts, x.received_at, x.skew_ms, x.url, x.referrer, x.title,
              coalesce(x.properties, '{}'), x.traits, coalesce(x.context, '{}'), x.is_bot, x.trusted
         from x
       on conflict (site_id, event_id) do nothing
       returning site_id, event_id, anonymous_id, ts, is_bot
     ), seen as (
       insert into visitors (site_id, anonymous_id, first_seen_at, last_seen_at, is_bot)
       select site_id, anonymous_id, min(ts), max(ts), bool_or(is_bot)
         from ins group by site_id, anonymous_id order by site_id, anonymous_id
       on conflict (site_id, anonymous_id) do update set
         first_seen_at = least(visitors.first_seen_at, excluded.first_seen_at),
         last_seen_at = greatest(visitors.last_seen_at, excluded.last_seen_at),
         is_bot = visitors.is_bot or excluded.is_bot
     )
     select site_id, event_id from ins`,
    [JSON.stringify(rows)],
  );
  // NUL cannot occur in a stored id (the schema refuses it), so it separates site and event.
  const fresh = new Set(ids.map((r) => `${r.site_id}\u0000${r.event_id}`));
  return writes.map((w) => {
    const inserted: StoredEvent[] = [];
    for (const e of w.events) {
      if (fresh.delete(`${w.siteId}\u0000${e.eventId}`)) inserted.push({ ...e, siteId: w.siteId });
    }
    return { inserted, duplicates: w.events.length - inserted.length };
  });
};

/**
 * Upserts the visitor row (first and last seen) of every anonymous id in the batch.
 * `insertEvents` already does this for the events it stores; this is for other writers.
 */
export async function touchVisitors(
  tx: Queryable,
  siteId: string,
  events: StoredEvent[],
): Promise<void> {
  const byAnon = new Map<string, { first: number; last: number; bot: boolean }>();
  for (const e of events) {
    const t = e.ts.getTime();
    const v = byAnon.get(e.anonymousId);
    if (!v) byAnon.set(e.anonymousId, { first: t, last: t, bot: e.isBot });
    else {
      v.first = Math.min(v.first, t);
      v.last = Math.max(v.last, t);
      v.bot ||= e.isBot;
    }
  }
  const rows = [...byAnon].map(([anonymous_id, v]) => ({
    anonymous_id,
    first_seen_at: new Date(v.first).toISOString(),
    last_seen_at: new Date(v.last).toISOString(),
    is_bot: v.bot,
  }));
  await tx.query(
    `insert into visitors (site_id, anonymous_id, first_seen_at, last_seen_at, is_bot)
     select $1, x.anonymous_id, x.first_seen_at, x.last_seen_at, x.is_bot
       from jsonb_to_recordset($2::jsonb) as x(anonymous_id text, first_seen_at timestamptz,
                                               last_seen_at timestamptz, is_bot boolean)
     on conflict (site_id, anonymous_id) do update set
       first_seen_at = least(visitors.first_seen_at, excluded.first_seen_at),
       last_seen_at = greatest(visitors.last_seen_at, excluded.last_seen_at),
       is_bot = visitors.is_bot or excluded.is_bot`,
    [siteId, JSON.stringify(rows)],
  );
}

/** Props helper: a plain object or an empty one. */
export const props = (v: Props | undefined | null): Props => v ?? {};
