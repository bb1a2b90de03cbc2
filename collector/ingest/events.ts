/** Writes events to the log idempotently: one statement per batch, duplicates counted. */
import type { Props } from '../../shared/wire.ts';
import type { Queryable } from '../store/index.ts';
import type { StoredEvent } from './pipeline.ts';

/** An event ready to store, already validated and time-corrected. */
export type NewEvent = Omit<StoredEvent, 'siteId'>;

/**
 * Inserts `events` for `siteId`; an event whose id is already stored (a replay) is skipped.
 * Returns the events that were new, in input order, and how many were duplicates.
 */
export async function insertEvents(
  tx: Queryable,
  siteId: string,
  events: NewEvent[],
): Promise<{ inserted: StoredEvent[]; duplicates: number }> {
  if (events.length === 0) return { inserted: [], duplicates: 0 };
  // One JSON parameter expands to rows on the server: the same single round trip on PGlite and
  // PostgreSQL, and no array-literal escaping differences between the two drivers.
  const rows = events.map((e) => ({
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
  }));
  const { rows: ids } = await tx.query<{ event_id: string }>(
    `insert into events (site_id, event_id, anonymous_id, session_id, type, name, ts, client_ts,
                         received_at, skew_ms, url, referrer, title, properties, traits, context,
                         is_bot, trusted)
     select $1, x.event_id, x.anonymous_id, x.session_id, x.type, x.name, x.ts, x.client_ts,
            x.received_at, x.skew_ms, x.url, x.referrer, x.title,
            coalesce(x.properties, '{}'), x.traits, coalesce(x.context, '{}'), x.is_bot, x.trusted
       from jsonb_to_recordset($2::jsonb) as x(
            event_id text, anonymous_id text, session_id text, type text, name text,
            ts timestamptz, client_ts timestamptz, received_at timestamptz, skew_ms bigint,
            url text, referrer text, title text, properties jsonb, traits jsonb, context jsonb,
            is_bot boolean, trusted boolean)
     on conflict (site_id, event_id) do nothing
     returning event_id`,
    [siteId, JSON.stringify(rows)],
  );
  const fresh = new Set(ids.map((r) => r.event_id));
  // A batch may carry the same id twice: only its first occurrence is new.
  const inserted: StoredEvent[] = [];
  for (const e of events) {
    if (fresh.delete(e.eventId)) inserted.push({ ...e, siteId });
  }
  return { inserted, duplicates: events.length - inserted.length };
}

/** Upserts the visitor row (first and last seen) of every anonymous id in the batch. */
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
