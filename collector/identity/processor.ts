/** The identity step of the ingest pipeline: identify signals resolve; every event touches its lead. */
import type { EventProcessor, ProcessBatch, StoredEvent } from '../ingest/pipeline.ts';
import type { Queryable } from '../store/index.ts';
import { leadsOfEvents } from './links.ts';
import { lockKeys } from './locks.ts';
import { type IdentifyInput, lockKeysOf, resolveIdentity } from './resolve.ts';

/**
 * An identify signal: an `identify` event (tag, forms with `context.source = 'form'`, Segment),
 * a site's own form captured by the tag (`form_submit` carrying traits — DESIGN §7), or a
 * trusted server-side event carrying `context.userId` (Segment `track`/`page` with a userId).
 */
function isSignal(e: StoredEvent): boolean {
  return (
    e.type === 'identify' || capturedForm(e) || (e.trusted && typeof e.context.userId === 'string')
  );
}

/** A browser `form_submit` with traits: the tag captured a site's own form (`data-tp-capture`). */
const capturedForm = (e: StoredEvent) => e.type === 'form_submit' && e.traits !== null;

/**
 * Runs identity resolution for each identify signal in event order, then resolves the lead of
 * every event of the batch (one statement, shared with later steps as `batch.owners`) and moves
 * the first/last seen times of those leads (one more, only when some event has a lead). A batch
 * of anonymous traffic costs one statement, whatever its size.
 *
 * @example defaultProcessors() // [sessionsProcessor, identityProcessor, scoringProcessor, …]
 */
export const identityProcessor: EventProcessor = {
  name: 'identity',
  async process(tx, batch) {
    const signals = batch.events.filter(isSignal).map((e) => signalInput(batch, e));
    // The whole batch's identifiers up front, in one sorted order: resolving signal after signal
    // would take them in batch order, which two transactions could take in opposite orders.
    await lockKeys(tx, batch.site.id, signals.flatMap(lockKeysOf));
    for (const input of signals) {
      const res = await resolveIdentity(tx, input);
      if (res.leadId) batch.changedLeads.add(res.leadId);
    }
    batch.owners = await leadsOfEvents(tx, batch.site.id, batch.events);
    await touchLeads(tx, batch, batch.owners);
  },
};

function signalInput(batch: ProcessBatch, e: StoredEvent): IdentifyInput {
  const traits = e.type === 'identify' || capturedForm(e) ? (e.traits ?? {}) : {};
  return {
    siteId: batch.site.id,
    anonymousId: e.anonymousId,
    email: traits.email,
    userId: traits.userId ?? e.context.userId,
    traits,
    at: e.ts,
    source: sourceOf(e),
    now: batch.now,
  };
}

function sourceOf(e: StoredEvent): string {
  const s = e.context.source;
  if (typeof s === 'string' && s) return s;
  return e.trusted ? 'server' : 'tag';
}

/** Widens first/last seen of the lead each event belongs to (through the link valid at its time). */
async function touchLeads(
  tx: Queryable,
  batch: ProcessBatch,
  owners: Map<string, string>,
): Promise<void> {
  if (owners.size === 0) return;
  const seen = new Map<string, { min: number; max: number }>();
  for (const e of batch.events) {
    const lead = owners.get(e.eventId);
    if (!lead) continue;
    const t = e.ts.getTime();
    const s = seen.get(lead);
    if (!s) seen.set(lead, { min: t, max: t });
    else {
      s.min = Math.min(s.min, t);
      s.max = Math.max(s.max, t);
    }
  }
  // In lead id order: concurrent transactions lock the lead rows in the same order.
  const rows = [...seen]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([id, s]) => ({
      id,
      first: new Date(s.min).toISOString(),
      last: new Date(s.max).toISOString(),
    }));
  await tx.query(
    `update leads l set first_seen_at = least(l.first_seen_at, x.first),
                        last_seen_at = greatest(l.last_seen_at, x.last)
       from jsonb_to_recordset($2::jsonb) as x(id text, first timestamptz, last timestamptz)
      where l.site_id = $1 and l.lead_id = x.id`,
    [batch.site.id, JSON.stringify(rows)],
  );
}
