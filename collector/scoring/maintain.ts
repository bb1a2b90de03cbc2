/**
 * Keeps lead scores current: folds new events into each lead's stored engagement state, or
 * recomputes it from the lead's history when its inputs changed or the rules did.
 */
import {
  addEvent,
  type EngagementState,
  foldEvents,
  type Score,
  type ScoreEvent,
  scoreState,
} from '../../shared/scoring.ts';
import type { Queryable } from '../store/index.ts';
import { scorableEvents } from './lead-events.ts';
import type { RulesVersion } from './rules.ts';

interface LeadRow {
  lead_id: string;
  email: string | null;
  name: string | null;
  traits: Record<string, unknown>;
  score_total: number;
}

/**
 * A score as marketers read it (two decimals): what the MQL threshold is compared with, and what
 * `leads.score_*` hold for the list's `minScore` / `maxScore`, `sort=-score` and the CSV. Decay is
 * exact, so points earned a moment ago are already a hair under their face value (50 points
 * read 1 s later are 49.9999987); compared or stored unrounded, rules adding up to exactly the
 * threshold would make an MQL "at score 50" that `minScore=50` leaves out.
 *
 * @example shownScore(49.9999987) // 50
 */
export const shownScore = (score: number): number => Math.round(score * 100) / 100;

/** The stored columns of a score: each part as shown. */
export function storedScore(s: Pick<Score, 'total' | 'fit' | 'engagement'>): {
  total: number;
  fit: number;
  engagement: number;
} {
  return {
    total: shownScore(s.total),
    fit: shownScore(s.fit),
    engagement: shownScore(s.engagement),
  };
}

/** The traits fit rules read: the lead's traits with its `email` and `name` columns on top. */
export function scoringTraits(lead: {
  email: string | null;
  name: string | null;
  traits: Record<string, unknown>;
}): Record<string, unknown> {
  return {
    ...lead.traits,
    ...(lead.email ? { email: lead.email } : {}),
    ...(lead.name ? { name: lead.name } : {}),
  };
}

/** What to do for which leads: recompute from scratch, or fold these new events in. */
export interface ScoreWork {
  fresh: Iterable<string>;
  added: Map<string, ScoreEvent[]>;
}

/** What {@link updateScores} did to one lead. */
export interface ScoreUpdate {
  /** The score at `now`, exact. */
  score: Score;
  /** Whether the stored (shown) total changed. */
  changed: boolean;
  /** The stored total before (what an MQL crossing is measured from). */
  before: number;
}

/**
 * Brings the given leads' scores up to date in `tx` and writes `leads.score_*` (the score as of
 * `now` as shown, for sorting and filtering). Locks the leads in id order. Returns each existing,
 * unmerged lead's new score, whether its stored total changed, and the stored total before.
 *
 * @example await updateScores(tx, site.id, rules, { fresh: ['lead_1'], added: new Map() }, now);
 */
export async function updateScores(
  tx: Queryable,
  siteId: string,
  rv: RulesVersion,
  work: ScoreWork,
  now: Date,
): Promise<Map<string, ScoreUpdate>> {
  const fresh = new Set(work.fresh);
  const ids = [...new Set([...fresh, ...work.added.keys()])].sort();
  const out = new Map<string, ScoreUpdate>();
  if (ids.length === 0) return out;

  const { rows: leads } = await tx.query<LeadRow>(
    `select lead_id, email, name, traits, score_total from leads
      where site_id = $1 and lead_id = any($2::text[]) and merged_into is null
      order by lead_id for update`,
    [siteId, ids],
  );
  const { rows: states } = await tx.query<{
    lead_id: string;
    rules_version: number;
    state: EngagementState;
  }>(
    'select lead_id, rules_version, state from lead_scores where site_id = $1 and lead_id = any($2::text[])',
    [siteId, leads.map((l) => l.lead_id)],
  );
  const stored = new Map(states.map((s) => [s.lead_id, s]));
  const scratch = leads
    .map((l) => l.lead_id)
    .filter((id) => fresh.has(id) || stored.get(id)?.rules_version !== rv.version);
  const histories = await scorableEvents(tx, siteId, scratch);

  const stateRows: { lead_id: string; state: EngagementState }[] = [];
  const scoreRows: { lead_id: string; total: number; fit: number; engagement: number }[] = [];
  for (const lead of leads) {
    const history = histories.get(lead.lead_id);
    let state: EngagementState;
    if (history) state = foldEvents(history, rv.rules);
    else {
      state = stored.get(lead.lead_id)!.state;
      for (const e of work.added.get(lead.lead_id) ?? []) addEvent(state, e, rv.rules);
    }
    const score = scoreState(state, scoringTraits(lead), rv.rules, now);
    const shown = storedScore(score);
    const changed = shown.total !== lead.score_total;
    out.set(lead.lead_id, { score, changed, before: lead.score_total });
    stateRows.push({ lead_id: lead.lead_id, state });
    scoreRows.push({ lead_id: lead.lead_id, ...shown });
  }
  if (stateRows.length === 0) return out;
  await tx.query(
    `insert into lead_scores (site_id, lead_id, rules_version, state, updated_at)
     select $1, x.lead_id, $3, x.state, $4
       from jsonb_to_recordset($2::jsonb) as x(lead_id text, state jsonb)
     on conflict (site_id, lead_id) do update set
       rules_version = excluded.rules_version, state = excluded.state, updated_at = excluded.updated_at`,
    [siteId, JSON.stringify(stateRows), rv.version, now.toISOString()],
  );
  await tx.query(
    `update leads l set score_total = x.total, score_fit = x.fit, score_engagement = x.engagement
       from jsonb_to_recordset($2::jsonb) as x(lead_id text, total float8, fit float8, engagement float8)
      where l.site_id = $1 and l.lead_id = x.lead_id`,
    [siteId, JSON.stringify(scoreRows)],
  );
  return out;
}
