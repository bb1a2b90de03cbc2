/** Lifecycle (DESIGN §8): automatic forward stage moves after scoring. */

import { leadsOfEvents } from '../identity/links.ts';
import type { EventProcessor } from '../ingest/pipeline.ts';
import { batchFacts, currentRules, updateScores } from '../scoring/index.ts';
import type { Queryable } from '../store/index.ts';
import { isSalesReadyForm, isTrustedPurchase, lifecycleFacts, qualifyLeads } from './qualify.ts';

export { type HistoryEntry, stageHistory, timeInStages } from './history.ts';
export {
  isSalesReadyForm,
  isTrustedPurchase,
  lifecycleFacts,
  mqlReason,
  PURCHASE_NAMES,
  qualifyLeads,
} from './qualify.ts';
export { leadAnonymousId } from './routes.ts';
export {
  advanceStage,
  EXITS,
  isForward,
  moveStage,
  STAGES,
  type Stage,
  stageRank,
} from './stages.ts';

/**
 * Checks the leads scoring and identity changed (MQL threshold) and the leads of sales-ready
 * form submissions and trusted purchases in the batch. Leads identity changed get their whole
 * history checked: a newly linked device may bring a purchase or a form with it.
 */
export const lifecycleProcessor: EventProcessor = {
  name: 'lifecycle',
  async process(tx, batch) {
    const known = batchFacts.get(batch);
    const identityChanged = known?.identityChanged ?? new Set(batch.changedLeads);
    batch.owners ??= await leadsOfEvents(tx, batch.site.id, batch.events);
    const owners = batch.owners;
    const deep = new Set(identityChanged);
    for (const e of batch.events) {
      const lead = owners.get(e.eventId);
      if (lead && (isSalesReadyForm(e) || isTrustedPurchase(e))) deep.add(lead);
    }
    const leads = new Set([...batch.changedLeads, ...deep]);
    if (leads.size === 0) return;
    const facts = await lifecycleFacts(tx, batch.site.id, [...deep]);
    const { rules } = known?.rules ?? (await currentRules(tx, batch.site.id));
    await qualifyLeads(
      tx,
      batch.site.id,
      [...leads],
      facts,
      rules.mqlThreshold,
      batch.now,
      known?.before,
    );
  },
};

/**
 * Recomputes leads' scores from their whole history and applies the automatic moves they now
 * qualify for, in `tx`. For changes outside the ingest pipeline: a merge (the survivor gains
 * the loser's events), a traits edit (`PATCH /v1/leads/{id}`).
 *
 * @example await refreshLeads(tx, siteId, [survivorId], new Date());
 */
export async function refreshLeads(
  tx: Queryable,
  siteId: string,
  leadIds: readonly string[],
  now: Date,
): Promise<void> {
  if (leadIds.length === 0) return;
  const rv = await currentRules(tx, siteId);
  const res = await updateScores(tx, siteId, rv, { fresh: leadIds, added: new Map() }, now);
  const before = new Map([...res].map(([id, r]) => [id, r.before]));
  const facts = await lifecycleFacts(tx, siteId, leadIds);
  await qualifyLeads(tx, siteId, leadIds, facts, rv.rules.mqlThreshold, now, before);
}
