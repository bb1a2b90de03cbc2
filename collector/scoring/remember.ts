/** Keeps engagement states that a read had to compute from a lead's whole history. */
import type { EngagementState } from '../../shared/scoring.ts';
import type { Queryable } from '../store/index.ts';

/**
 * Stores states computed from scratch by a read (a lead not yet rescored under the current
 * rules, or never scored), so the next read folds nothing instead of re-reading and re-scoring
 * every event (a lead with 10k events: ~150 ms per read). Only a row that is missing or of an
 * older rules version is written: a state another transaction wrote for this version (ingest
 * folding newer events, the rescoring job) always wins, so a read racing with ingest never
 * replaces a state with one that misses events. `leads.score_*` is left to ingest and rescoring.
 *
 * @example await rememberStates(db, siteId, 3, [{ leadId, state }], now);
 */
export async function rememberStates(
  db: Queryable,
  siteId: string,
  rulesVersion: number,
  states: { leadId: string; state: EngagementState }[],
  now: Date,
): Promise<void> {
  if (states.length === 0) return;
  // Id order, like updateScores, so two writers lock rows in the same order.
  const rows = [...states]
    .sort((a, b) => (a.leadId < b.leadId ? -1 : a.leadId > b.leadId ? 1 : 0))
    .map((s) => ({ lead_id: s.leadId, state: s.state }));
  await db.query(
    `insert into lead_scores (site_id, lead_id, rules_version, state, updated_at)
     select $1, x.lead_id, $3, x.state, $4
       from jsonb_to_recordset($2::jsonb) as x(lead_id text, state jsonb)
     on conflict (site_id, lead_id) do update set
       rules_version = excluded.rules_version, state = excluded.state, updated_at = excluded.updated_at
     where lead_scores.rules_version < excluded.rules_version`,
    [siteId, JSON.stringify(rows), rulesVersion, now.toISOString()],
  );
}
