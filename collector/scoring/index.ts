/** Scoring (DESIGN §8): keeps each lead's score up to date as events arrive, and reads it. */
import type { EngagementState, Score, ScoreEvent } from '../../shared/scoring.ts';
import { score as scoreFromScratch, scoreState } from '../../shared/scoring.ts';
import type { EventProcessor, ProcessBatch } from '../ingest/pipeline.ts';
import type { Queryable } from '../store/index.ts';
import { leadsOfEvents, scorableEvents, toScoreEvent } from './lead-events.ts';
import { scoringTraits, updateScores } from './maintain.ts';
import { currentRules, type RulesVersion } from './rules.ts';

export { leadsOfEvents, OWNED_EVENTS } from './lead-events.ts';
export { scoringTraits, updateScores } from './maintain.ts';
export { currentRules, type RulesVersion, saveRules } from './rules.ts';

/**
 * Per batch: the leads identity reported as changed (before scoring adds its own), and the
 * lead of each event. Lifecycle reads both instead of asking the store again.
 */
export const batchFacts = new WeakMap<
  ProcessBatch,
  { identityChanged: Set<string>; owners: Map<string, string>; rules?: RulesVersion }
>();

/**
 * Updates the score of every lead touched by the batch: leads identity changed (new links make
 * past events count, traits changed) are recomputed from scratch; others fold in their new
 * events. Leads whose stored score changed are added to `changedLeads` for lifecycle.
 */
export const scoringProcessor: EventProcessor = {
  name: 'scoring',
  async process(tx, batch) {
    const identityChanged = new Set(batch.changedLeads);
    const owners = await leadsOfEvents(tx, batch.site.id, batch.events);
    batchFacts.set(batch, { identityChanged, owners });
    const added = new Map<string, ScoreEvent[]>();
    for (const e of batch.events) {
      const lead = owners.get(e.eventId);
      if (!lead || e.isBot || identityChanged.has(lead)) continue;
      const list = added.get(lead);
      if (list) list.push(toScoreEvent(e));
      else added.set(lead, [toScoreEvent(e)]);
    }
    if (added.size === 0 && identityChanged.size === 0) return;
    const rv = await currentRules(tx, batch.site.id);
    batchFacts.set(batch, { identityChanged, owners, rules: rv });
    const res = await updateScores(
      tx,
      batch.site.id,
      rv,
      { fresh: identityChanged, added },
      batch.now,
    );
    for (const [lead, r] of res) if (r.changed) batch.changedLeads.add(lead);
  },
};

/**
 * Recomputes leads from their whole history (after a merge, an erasure of events, a trait
 * edit outside the pipeline). Run it in the transaction that made the change.
 *
 * @example await recomputeLeads(tx, siteId, [survivorId], new Date());
 */
export async function recomputeLeads(
  tx: Queryable,
  siteId: string,
  leadIds: readonly string[],
  now: Date,
): Promise<Map<string, Score>> {
  const rv = await currentRules(tx, siteId);
  const res = await updateScores(tx, siteId, rv, { fresh: leadIds, added: new Map() }, now);
  return new Map([...res].map(([id, r]) => [id, r.score]));
}

const ZERO: Score = { total: 0, fit: 0, engagement: 0, breakdown: [] };

/**
 * A lead's score at `now` with its breakdown, decayed exactly. Reads the stored engagement
 * state; a lead not yet rescored under the current rules is computed from its history (read
 * only). An unknown lead scores zero.
 *
 * @example const { total, breakdown } = await readScore(store, site.id, leadId, new Date());
 */
export async function readScore(
  db: Queryable,
  siteId: string,
  leadId: string,
  now: Date,
): Promise<Score> {
  const rv = await currentRules(db, siteId);
  const { rows } = await db.query<{
    email: string | null;
    name: string | null;
    traits: Record<string, unknown>;
    rules_version: number | null;
    state: EngagementState | null;
  }>(
    `select l.email, l.name, l.traits, s.rules_version, s.state
       from leads l left join lead_scores s on s.site_id = l.site_id and s.lead_id = l.lead_id
      where l.site_id = $1 and l.lead_id = $2`,
    [siteId, leadId],
  );
  const lead = rows[0];
  if (!lead) return ZERO;
  const traits = scoringTraits(lead);
  if (lead.state && lead.rules_version === rv.version)
    return scoreState(lead.state, traits, rv.rules, now);
  const events = (await scorableEvents(db, siteId, [leadId])).get(leadId) ?? [];
  return scoreFromScratch(events, traits, rv.rules, now);
}
