/**
 * Which lead an event belongs to: the link of its anonymous id with the greatest
 * `valid_from <= ts` (DESIGN §7). No link: an anonymous visitor's event, no lead, no score.
 */
import type { ScoreEvent } from '../../shared/scoring.ts';
import type { StoredEvent } from '../ingest/pipeline.ts';
import type { Queryable } from '../store/index.ts';

/**
 * SQL joining `events e` to the link `lk` that owns each event; `$1` is the site, `$2` a text
 * array of lead ids. Shared by scoring and lifecycle so both resolve ownership identically.
 */
export const OWNED_EVENTS = `
  from events e
  join anonymous_links lk on lk.site_id = e.site_id and lk.anonymous_id = e.anonymous_id
 where e.site_id = $1 and lk.lead_id = any($2::text[]) and lk.valid_from <= e.ts
   and not exists (
     select 1 from anonymous_links nx
      where nx.site_id = e.site_id and nx.anonymous_id = e.anonymous_id
        and nx.valid_from <= e.ts and nx.valid_from > lk.valid_from)`;

/** A stored event as the scorer sees it. */
export function toScoreEvent(e: StoredEvent): ScoreEvent {
  return {
    type: e.type,
    name: e.name,
    url: e.url,
    properties: e.properties,
    ts: e.ts.getTime(),
    isBot: e.isBot,
  };
}

/**
 * The scorable (non-bot) events of some leads, grouped by lead: what a from-scratch
 * recomputation reads.
 */
export async function scorableEvents(
  db: Queryable,
  siteId: string,
  leadIds: readonly string[],
): Promise<Map<string, ScoreEvent[]>> {
  const out = new Map<string, ScoreEvent[]>(leadIds.map((id) => [id, []]));
  if (leadIds.length === 0) return out;
  const { rows } = await db.query<{
    lead_id: string;
    type: string;
    name: string | null;
    url: string | null;
    properties: Record<string, unknown>;
    ts: Date;
  }>(
    `select lk.lead_id, e.type, e.name, e.url, e.properties, e.ts ${OWNED_EVENTS}
        and not e.is_bot`,
    [siteId, leadIds],
  );
  for (const r of rows) {
    out.get(r.lead_id)?.push({
      type: r.type,
      name: r.name,
      url: r.url,
      properties: r.properties,
      ts: new Date(r.ts).getTime(),
    });
  }
  return out;
}
