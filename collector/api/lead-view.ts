/** The Lead shape of DESIGN §6, read set-based for a page of leads. */
import type { Score } from '../../shared/scoring-rules.ts';
import { browserAnonymousIdSql, inLinkRange } from '../identity/index.ts';
import { readScores } from '../scoring/index.ts';
import type { Queryable } from '../store/index.ts';
import type { LeadRow } from './lead-query.ts';

/** Where a session came from: `{ channel, source, medium, campaign, referrer, landingUrl, at }`. */
export interface Touch {
  channel: string;
  source: string | null;
  medium: string | null;
  campaign: string | null;
  referrer: string | null;
  landingUrl: string | null;
  at: string;
}

export interface ScoreLine {
  ruleId: string;
  label: string;
  points: number;
  count: number;
}

/** A lead as the marketer API answers it (DESIGN §6). */
export interface Lead {
  id: string;
  email: string | null;
  name: string | null;
  traits: Record<string, unknown>;
  stage: string;
  score: { total: number; fit: number; engagement: number; breakdown: ScoreLine[] };
  stageHistory: {
    from: string | null;
    to: string;
    at: string;
    reason: string | null;
    actor: string;
  }[];
  identities: { kind: string; value: string }[];
  /**
   * The lead's browsers (devices): the ids the collector makes up for its server-side events
   * are linked too, but are not devices; its timeline still shows their events.
   */
  anonymousIds: string[];
  firstTouch: Touch | null;
  lastTouch: Touch | null;
  createdAt: string;
  updatedAt: string;
  firstSeenAt: string | null;
  lastSeenAt: string | null;
}

/**
 * Each lead's score at `now` with its breakdown (`[{ ruleId, label, points, count }]`), decayed
 * exactly at read time by the scoring feature. The stored `score_*` columns are only the score as
 * of the lead's last update (what sorting and filtering use); the answer shows the live one.
 */
export async function scoreBreakdowns(
  db: Queryable,
  siteId: string,
  leadIds: string[],
  now: Date,
): Promise<Map<string, Score>> {
  return readScores(db, siteId, leadIds, now);
}

const iso = (d: Date | null | undefined) => (d ? new Date(d).toISOString() : null);

/** Groups rows by `lead_id`. */
function group<R extends { lead_id: string }>(rows: R[]): Map<string, R[]> {
  const m = new Map<string, R[]>();
  for (const r of rows) {
    const list = m.get(r.lead_id);
    if (list) list.push(r);
    else m.set(r.lead_id, [r]);
  }
  return m;
}

interface TouchRow {
  lead_id: string;
  channel: string;
  source: string | null;
  medium: string | null;
  campaign: string | null;
  referrer: string | null;
  landing_url: string | null;
  started_at: Date;
}

const toTouch = (r: TouchRow): Touch => ({
  channel: r.channel,
  source: r.source,
  medium: r.medium,
  campaign: r.campaign,
  referrer: r.referrer,
  landingUrl: r.landing_url,
  at: iso(r.started_at)!,
});

/**
 * A touch the sessions step kept on a visitor (`visitors.first_touch` / `last_touch`), with its
 * `at` in the API's form (`…Z`, as `toISOString()` writes it): jsonb holds the session start as
 * PostgreSQL printed it (`2026-11-24T07:58:47.418+00:00`, in the session's time zone).
 *
 * @example storedTouch(row.first_touch).at // '2026-11-24T07:58:47.418Z'
 */
export function storedTouch(t: Touch): Touch {
  const at = Date.parse(t.at);
  return Number.isNaN(at) ? t : { ...t, at: new Date(at).toISOString() };
}

/**
 * Last touch is the latest non-direct session (a direct return visit does not erase the campaign
 * that brought the person), as the sessions step keeps `visitors.last_touch`; first touch is the
 * very first session.
 */
const lastNonDirect = (dir: 'asc' | 'desc') => (dir === 'desc' ? `(s.channel = 'direct'),` : '');

/**
 * First and last touch of each lead: its earliest and latest (non-direct) session inside its link
 * ranges; for a lead without sessions, the touches the sessions step kept on its visitors.
 *
 * @example const { first, last } = await leadTouches(db, siteId, ['lead_1']);
 */
export async function leadTouches(db: Queryable, siteId: string, ids: string[]) {
  const read = async (dir: 'asc' | 'desc') => {
    const { rows } = await db.query<TouchRow>(
      `select distinct on (al.lead_id) al.lead_id, s.channel, s.source, s.medium, s.campaign,
              s.referrer, s.landing_url, s.started_at
         from anonymous_links al join sessions s on ${inLinkRange('s', 'started_at')}
        where al.site_id = $1 and al.lead_id = any($2::text[])
        order by al.lead_id, ${lastNonDirect(dir)} s.started_at ${dir}, s.session_id ${dir}`,
      [siteId, ids],
    );
    return new Map(rows.map((r) => [r.lead_id, toTouch(r)]));
  };
  const [first, last] = await Promise.all([read('asc'), read('desc')]);
  const missing = ids.filter((id) => !first.has(id));
  if (missing.length > 0) {
    const { rows } = await db.query<{
      lead_id: string;
      first_touch: Touch | null;
      last_touch: Touch | null;
    }>(
      `select al.lead_id, v.first_touch, v.last_touch from anonymous_links al
         join visitors v on v.site_id = al.site_id and v.anonymous_id = al.anonymous_id
        where al.site_id = $1 and al.lead_id = any($2::text[]) and al.valid_from = '-infinity'
        order by v.first_seen_at`,
      [siteId, missing],
    );
    for (const r of rows) {
      if (r.first_touch && !first.has(r.lead_id)) first.set(r.lead_id, storedTouch(r.first_touch));
      if (r.last_touch) last.set(r.lead_id, storedTouch(r.last_touch));
    }
  }
  return { first, last };
}

/**
 * Hydrates lead rows into Leads: identities, anonymous ids, stage history, touches and score
 * breakdown, each read once for the whole page. The score is decayed to `now`: the collector's
 * clock, like every other time it answers with.
 *
 * @example const [lead] = await toLeads(db, siteId, rows, deps.clock());
 */
export async function toLeads(
  db: Queryable,
  siteId: string,
  rows: Omit<LeadRow, 'sort_key'>[],
  now: Date,
): Promise<Lead[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.lead_id);
  // The five reads are independent: on PostgreSQL they run at once on the pool's connections
  // (one round trip of latency instead of five); PGlite runs them one after the other.
  const [identities, anons, history, t, breakdowns] = await Promise.all([
    db
      .query<{ lead_id: string; kind: string; value: string }>(
        `select lead_id, kind, value from identities where site_id = $1 and lead_id = any($2::text[])
            order by created_at, kind, value`,
        [siteId, ids],
      )
      .then((r) => group(r.rows)),
    db
      .query<{ lead_id: string; anonymous_id: string }>(
        `select lead_id, anonymous_id from anonymous_links
            where site_id = $1 and lead_id = any($2::text[])
              and ${browserAnonymousIdSql('anonymous_id')}
            group by lead_id, anonymous_id order by min(linked_at), anonymous_id`,
        [siteId, ids],
      )
      .then((r) => group(r.rows)),
    db
      .query<{
        lead_id: string;
        from_stage: string | null;
        to_stage: string;
        at: Date;
        reason: string | null;
        actor: string;
      }>(
        // In the order the moves were made (under the lead's lock), as lifecycle/history.ts
        // reads it: each row's `from` is the previous row's `to`.
        `select lead_id, from_stage, to_stage, at, reason, actor from stage_history
            where site_id = $1 and lead_id = any($2::text[]) order by seq`,
        [siteId, ids],
      )
      .then((r) => group(r.rows)),
    leadTouches(db, siteId, ids),
    scoreBreakdowns(db, siteId, ids, now),
  ]);
  return rows.map((r) => ({
    id: r.lead_id,
    email: r.email,
    name: r.name,
    traits: r.traits,
    stage: r.stage,
    score: breakdowns.get(r.lead_id) ?? {
      total: r.score_total,
      fit: r.score_fit,
      engagement: r.score_engagement,
      breakdown: [],
    },
    stageHistory: (history.get(r.lead_id) ?? []).map((h) => ({
      from: h.from_stage,
      to: h.to_stage,
      at: iso(h.at)!,
      reason: h.reason,
      actor: h.actor,
    })),
    identities: (identities.get(r.lead_id) ?? []).map((i) => ({ kind: i.kind, value: i.value })),
    anonymousIds: (anons.get(r.lead_id) ?? []).map((a) => a.anonymous_id),
    firstTouch: t.first.get(r.lead_id) ?? null,
    lastTouch: t.last.get(r.lead_id) ?? null,
    createdAt: iso(r.created_at)!,
    updatedAt: iso(r.updated_at)!,
    firstSeenAt: iso(r.first_seen_at),
    lastSeenAt: iso(r.last_seen_at),
  }));
}

/** The live lead an id stands for (itself, or the survivor of a merge), or null. */
export async function liveLeadId(
  db: Queryable,
  siteId: string,
  id: string,
): Promise<string | null> {
  const { rows } = await db.query<{ lead_id: string }>(
    `select coalesce(l.merged_into, l.lead_id) as lead_id from leads l
      where l.site_id = $1 and l.lead_id = $2`,
    [siteId, id],
  );
  return rows[0]?.lead_id ?? null;
}

/**
 * One Lead by id (a merged id answers with its survivor), or null.
 *
 * @example const lead = await readLead(db, siteId, 'lead_abc', deps.clock()); // lead.id may be the survivor's
 */
export async function readLead(
  db: Queryable,
  siteId: string,
  id: string,
  now: Date,
): Promise<Lead | null> {
  const live = await liveLeadId(db, siteId, id);
  if (!live) return null;
  const { rows } = await db.query<LeadRow>(
    'select * from leads where site_id = $1 and lead_id = $2',
    [siteId, live],
  );
  return rows[0] ? ((await toLeads(db, siteId, rows, now))[0] ?? null) : null;
}
