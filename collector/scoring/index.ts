/** Scoring (DESIGN §8): keeps each lead's score up to date as events arrive, and reads it. */
import type { EngagementState, Score, ScoreEvent } from '../../shared/scoring.ts';
import { foldEvents, scoreState } from '../../shared/scoring.ts';
import { leadsOfEvents } from '../identity/links.ts';
import type { EventProcessor, ProcessBatch } from '../ingest/pipeline.ts';
import type { Queryable } from '../store/index.ts';
import { scorableEvents, toScoreEvent } from './lead-events.ts';
import { scoringTraits, updateScores } from './maintain.ts';
import { rememberStates } from './remember.ts';
import { currentRules, type RulesVersion } from './rules.ts';

export { DECAY_REFRESH_MS, decayRefresher, refreshDecayedScores } from './decay.ts';
export { OWNED_EVENTS } from './lead-events.ts';
export {
  type ScoreUpdate,
  scoringTraits,
  shownScore,
  storedScore,
  updateScores,
} from './maintain.ts';
export { currentRules, type RulesVersion, saveRules } from './rules.ts';

/**
 * Per batch: the leads identity reported as changed (before scoring adds its own) and the rules
 * scoring read. Lifecycle reads both instead of asking the store again.
 */
export const batchFacts = new WeakMap<
  ProcessBatch,
  { identityChanged: Set<string>; rules?: RulesVersion; before?: Map<string, number> }
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
    batch.owners ??= await leadsOfEvents(tx, batch.site.id, batch.events);
    const owners = batch.owners;
    batchFacts.set(batch, { identityChanged });
    const added = new Map<string, ScoreEvent[]>();
    for (const e of batch.events) {
      const lead = owners.get(e.eventId);
      if (!lead || e.isBot || identityChanged.has(lead)) continue;
      const list = added.get(lead);
      if (list) list.push(toScoreEvent(e));
      else added.set(lead, [toScoreEvent(e)]);
    }
    if (added.size === 0 && identityChanged.size === 0) return;
    const fresh = new Set(identityChanged);
    for (const id of await previousOwners(tx, batch.site.id, identityChanged, batch.now))
      fresh.add(id);
    const rv = await currentRules(tx, batch.site.id);
    const res = await updateScores(tx, batch.site.id, rv, { fresh, added }, batch.now);
    const before = new Map<string, number>();
    for (const [lead, r] of res) {
      before.set(lead, r.before);
      if (r.changed) batch.changedLeads.add(lead);
    }
    batchFacts.set(batch, { identityChanged, rules: rv, before });
  },
};

/**
 * Leads that lost events in this batch: when identity links an anonymous id to a new lead from
 * some moment on (two people on one device), stored events after that moment move from the
 * earlier lead to the new one. Found as the other leads linked to an anonymous id that got a
 * link in this batch (identity stamps `linked_at` with the batch time).
 */
async function previousOwners(
  tx: Queryable,
  siteId: string,
  leads: Set<string>,
  now: Date,
): Promise<string[]> {
  if (leads.size === 0) return [];
  const { rows } = await tx.query<{ lead_id: string }>(
    `select distinct o.lead_id from anonymous_links n
       join anonymous_links o on o.site_id = n.site_id and o.anonymous_id = n.anonymous_id
      where n.site_id = $1 and n.lead_id = any($2::text[]) and n.linked_at = $3
        and o.lead_id <> n.lead_id`,
    [siteId, [...leads], now.toISOString()],
  );
  return rows.map((r) => r.lead_id);
}

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
 * Scores of several leads at `now`, with breakdowns, decayed exactly: one read of the stored
 * engagement states; leads not yet rescored under the current rules are computed from their
 * history once, and that state is kept (see rememberStates). Unknown leads are absent.
 *
 * @example const scores = await readScores(store, site.id, page.map((l) => l.id), new Date());
 */
export async function readScores(
  db: Queryable,
  siteId: string,
  leadIds: readonly string[],
  now: Date,
): Promise<Map<string, Score>> {
  const out = new Map<string, Score>();
  if (leadIds.length === 0) return out;
  const rv = await currentRules(db, siteId);
  const { rows } = await db.query<{
    lead_id: string;
    email: string | null;
    name: string | null;
    traits: Record<string, unknown>;
    rules_version: number | null;
    state: EngagementState | null;
  }>(
    `select l.lead_id, l.email, l.name, l.traits, s.rules_version, s.state
       from leads l left join lead_scores s on s.site_id = l.site_id and s.lead_id = l.lead_id
      where l.site_id = $1 and l.lead_id = any($2::text[])`,
    [siteId, [...leadIds]],
  );
  const stale = rows.filter((r) => !r.state || r.rules_version !== rv.version);
  const histories = await scorableEvents(
    db,
    siteId,
    stale.map((r) => r.lead_id),
  );
  const computed: { leadId: string; state: EngagementState }[] = [];
  for (const r of rows) {
    const history = histories.get(r.lead_id);
    const state = history ? foldEvents(history, rv.rules) : r.state!;
    if (history) computed.push({ leadId: r.lead_id, state });
    out.set(r.lead_id, scoreState(state, scoringTraits(r), rv.rules, now));
  }
  await rememberStates(db, siteId, rv.version, computed, now);
  return out;
}

/**
 * A lead's score at `now` with its breakdown (see {@link readScores}); an unknown lead scores
 * zero. What `GET /v1/leads/{id}` shows as `score`.
 *
 * @example const { total, breakdown } = await readScore(store, site.id, leadId, new Date());
 */
export async function readScore(
  db: Queryable,
  siteId: string,
  leadId: string,
  now: Date,
): Promise<Score> {
  return (await readScores(db, siteId, [leadId], now)).get(leadId) ?? ZERO;
}
