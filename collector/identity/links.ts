/** Anonymous-id → lead links (time-ranged): which lead an anonymous id's events belong to. */
import type { StoredEvent } from '../ingest/pipeline.ts';
import type { Queryable } from '../store/index.ts';

/** At most this many anonymous ids per lead (DESIGN §7); past it a link is refused and logged. */
export const MAX_ANONYMOUS_IDS = 100;

/** The lead an anonymous id's events at `at` belong to: its latest link starting at or before. */
export async function linkAt(
  tx: Queryable,
  siteId: string,
  anonymousId: string,
  at: Date,
): Promise<string | null> {
  const { rows } = await tx.query<{ lead_id: string }>(
    `select lead_id from anonymous_links
      where site_id = $1 and anonymous_id = $2 and valid_from <= $3
      order by valid_from desc limit 1`,
    [siteId, anonymousId, at.toISOString()],
  );
  return rows[0]?.lead_id ?? null;
}

/** How many distinct anonymous ids are linked to the lead, and whether `anonymousId` is one. */
export async function anonymousCount(
  tx: Queryable,
  siteId: string,
  leadId: string,
  anonymousId: string,
): Promise<{ count: number; has: boolean }> {
  const { rows } = await tx.query<{ n: number; has: boolean }>(
    `select count(distinct anonymous_id)::int as n, coalesce(bool_or(anonymous_id = $3), false) as has
       from anonymous_links where site_id = $1 and lead_id = $2`,
    [siteId, leadId, anonymousId],
  );
  return { count: rows[0]?.n ?? 0, has: rows[0]?.has ?? false };
}

/**
 * Links an anonymous id to a lead from `from` on (`null`: its whole past, `-infinity`).
 * A link starting at the same instant is replaced.
 */
export async function addLink(
  tx: Queryable,
  l: { siteId: string; anonymousId: string; leadId: string; from: Date | null; now: Date },
): Promise<void> {
  await tx.query(
    `insert into anonymous_links (site_id, anonymous_id, valid_from, lead_id, linked_at)
     values ($1, $2, coalesce($3::timestamptz, '-infinity'), $4, $5)
     on conflict (site_id, anonymous_id, valid_from) do update set lead_id = excluded.lead_id,
       linked_at = excluded.linked_at`,
    [l.siteId, l.anonymousId, l.from?.toISOString() ?? null, l.leadId, l.now.toISOString()],
  );
  // The lead now also covers this browser's visits: widen its first/last seen.
  await tx.query(
    `update leads l set first_seen_at = least(l.first_seen_at, v.first_seen_at),
                        last_seen_at = greatest(l.last_seen_at, v.last_seen_at)
       from visitors v
      where l.site_id = $1 and l.lead_id = $2 and v.site_id = $1 and v.anonymous_id = $3
        and $4::timestamptz is null`,
    [l.siteId, l.leadId, l.anonymousId, l.from?.toISOString() ?? null],
  );
}

/**
 * SQL condition: event/session alias `x` (with `anonymous_id` and time column `col`) falls in
 * link `al`'s range — at or after its start and before the anonymous id's next link.
 *
 * @example `select e.* from anonymous_links al join events e on ${inLinkRange('e', 'ts')} where al.lead_id = $2`
 */
export function inLinkRange(x: string, col: string, al = 'al'): string {
  return `${x}.site_id = ${al}.site_id and ${x}.anonymous_id = ${al}.anonymous_id
    and ${x}.${col} >= ${al}.valid_from
    and not exists (select 1 from anonymous_links nx
                     where nx.site_id = ${al}.site_id and nx.anonymous_id = ${al}.anonymous_id
                       and nx.valid_from > ${al}.valid_from and nx.valid_from <= ${x}.${col})`;
}

/**
 * The lead of each event of a batch, by event id (events without a lead are absent).
 *
 * @example const owners = await leadsOfEvents(tx, site.id, batch.events);
 */
export async function leadsOfEvents(
  db: Queryable,
  siteId: string,
  events: readonly StoredEvent[],
): Promise<Map<string, string>> {
  if (events.length === 0) return new Map();
  const rows = events.map((e) => ({
    event_id: e.eventId,
    anonymous_id: e.anonymousId,
    ts: e.ts.toISOString(),
  }));
  // Most events are an anonymous visitor's: only those of linked browsers look their link up,
  // one index probe per browser first instead of one per event.
  const res = await db.query<{ event_id: string; lead_id: string | null }>(
    `select x.event_id,
            (select lk.lead_id from anonymous_links lk
              where lk.site_id = $1 and lk.anonymous_id = x.anonymous_id and lk.valid_from <= x.ts
              order by lk.valid_from desc limit 1) as lead_id
       from jsonb_to_recordset($2::jsonb) as x(event_id text, anonymous_id text, ts timestamptz)
      where x.anonymous_id in (select anonymous_id from anonymous_links
                                where site_id = $1 and anonymous_id = any($3::text[]))`,
    [siteId, JSON.stringify(rows), [...new Set(events.map((e) => e.anonymousId))]],
  );
  const out = new Map<string, string>();
  for (const r of res.rows) if (r.lead_id) out.set(r.event_id, r.lead_id);
  return out;
}
