/**
 * Keeps the stored score (`leads.score_*`) near the decayed one. The lead list filters and sorts
 * by the stored score (`minScore`, `sort=-score`) and the CSV exports it, while a lead's answer
 * decays it exactly at read time: without this, a lead scored 60 two half-lives ago still came
 * back for `minScore=50` showing a score of 15.
 */
import { type EngagementState, scoreState } from '../../shared/scoring.ts';
import { DEFAULT_RULES } from '../../shared/scoring-defaults.ts';
import { qualifyLeads } from '../lifecycle/qualify.ts';
import type { Store } from '../store/index.ts';
import { scoringTraits, storedScore } from './maintain.ts';
import { currentRules } from './rules.ts';

/** A stored score older than this is brought up to date (at a 30-day half-life, ≤ 0.1 % off). */
export const DECAY_REFRESH_MS = 3_600_000;

interface Row {
  site_id: string;
  lead_id: string;
  email: string | null;
  name: string | null;
  traits: Record<string, unknown>;
  score_total: number;
  state: EngagementState;
}

/**
 * Recomputes the stored score of up to `batchSize` leads whose score was last written more than
 * {@link DECAY_REFRESH_MS} before `now`, from their stored engagement state (no history read),
 * on sites whose current rules decay. A score that rose (a negative rule fading) gets the same
 * forward-only MQL move as ingest. Leads on older rules are left to the rescoring job; leads
 * locked by ingest are skipped (`SKIP LOCKED`) and picked up later. Returns how many it updated.
 *
 * @example while ((await refreshDecayedScores(store, new Date())) > 0);
 */
export async function refreshDecayedScores(
  store: Store,
  now: Date,
  batchSize = 500,
): Promise<number> {
  const cutoff = new Date(now.getTime() - DECAY_REFRESH_MS).toISOString();
  return store.transaction(async (tx) => {
    const { rows } = await tx.query<Row>(
      `select l.site_id, l.lead_id, l.email, l.name, l.traits, l.score_total, s.state
         from lead_scores s
         join leads l on l.site_id = s.site_id and l.lead_id = s.lead_id and l.merged_into is null
         left join lateral (select r.version, r.rules from scoring_rules r where r.site_id = s.site_id
                             order by r.version desc limit 1) cur on true
        where s.updated_at < $1 and s.state <> '{}'::jsonb
          and s.rules_version = coalesce(cur.version, 0)
          and (case when cur.version is null then $3::float8
                    else coalesce((cur.rules->>'halfLifeDays')::float8, 0) end) > 0
        order by s.updated_at limit $2
        for update of l, s skip locked`,
      [cutoff, batchSize, DEFAULT_RULES.halfLifeDays ?? 0],
    );
    const bySite = new Map<string, Row[]>();
    for (const r of rows) bySite.set(r.site_id, [...(bySite.get(r.site_id) ?? []), r]);
    for (const [siteId, leads] of bySite) {
      const { rules } = await currentRules(tx, siteId);
      const scores = leads.map((l) => ({
        lead_id: l.lead_id,
        before: l.score_total,
        ...storedScore(scoreState(l.state, scoringTraits(l), rules, now)),
      }));
      await tx.query(
        `update leads l set score_total = x.total, score_fit = x.fit, score_engagement = x.engagement
           from jsonb_to_recordset($2::jsonb) as x(lead_id text, total float8, fit float8, engagement float8)
          where l.site_id = $1 and l.lead_id = x.lead_id`,
        [siteId, JSON.stringify(scores)],
      );
      await tx.query(
        `update lead_scores set updated_at = $3 where site_id = $1 and lead_id = any($2::text[])`,
        [siteId, leads.map((l) => l.lead_id), now.toISOString()],
      );
      const rose = scores.filter((s) => s.total > s.before);
      await qualifyLeads(
        tx,
        siteId,
        rose.map((s) => s.lead_id),
        new Map(),
        rules.mqlThreshold,
        now,
        new Map(rose.map((s) => [s.lead_id, s.before])),
      );
    }
    return rows.length;
  });
}

/**
 * A refresh step for a worker loop: runs {@link refreshDecayedScores} while it finds work, then
 * rests `restMs` (finding stale scores reads the whole scores table; once a minute is plenty for
 * scores refreshed hourly).
 *
 * @example const decay = decayRefresher(); await decay(store, new Date());
 */
export function decayRefresher(restMs = 60_000) {
  let nextAt = 0;
  return async (store: Store, now: Date): Promise<number> => {
    if (now.getTime() < nextAt) return 0;
    const n = await refreshDecayedScores(store, now);
    if (n === 0) nextAt = now.getTime() + restMs;
    return n;
  };
}
