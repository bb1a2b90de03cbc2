/** The identity step of the ingest pipeline: identify signals resolve; every event touches its lead. */
import type { EventProcessor, ProcessBatch, StoredEvent } from '../ingest/pipeline.ts';
import type { Queryable } from '../store/index.ts';
import { resolveIdentity } from './resolve.ts';

/**
 * An identify signal: an `identify` event (tag, forms with `context.source = 'form'`, Segment),
 * or a trusted server-side event carrying `context.userId` (Segment `track`/`page` with a userId).
 */
function isSignal(e: StoredEvent): boolean {
  return e.type === 'identify' || (e.trusted && typeof e.context.userId === 'string');
}

/**
 * Runs identity resolution for each identify signal in event order, then moves the first/last
 * seen times of the leads the batch's events belong to (one statement). A batch without
 * identify signals costs that one statement.
 *
 * @example defaultProcessors() // [sessionsProcessor, identityProcessor, scoringProcessor, …]
 */
export const identityProcessor: EventProcessor = {
  name: 'identity',
  async process(tx, batch) {
    for (const e of batch.events) {
      if (!isSignal(e)) continue;
      const traits = e.type === 'identify' ? (e.traits ?? {}) : {};
      const res = await resolveIdentity(tx, {
        siteId: batch.site.id,
        anonymousId: e.anonymousId,
        email: traits.email,
        userId: traits.userId ?? e.context.userId,
        traits,
        at: e.ts,
        source: sourceOf(e),
        now: batch.now,
      });
      if (res.leadId) batch.changedLeads.add(res.leadId);
    }
    await touchLeads(tx, batch);
  },
};

function sourceOf(e: StoredEvent): string {
  const s = e.context.source;
  if (typeof s === 'string' && s) return s;
  return e.trusted ? 'server' : 'tag';
}

/** Widens first/last seen of the lead each event belongs to (through the link valid at its time). */
async function touchLeads(tx: Queryable, batch: ProcessBatch): Promise<void> {
  const seen = new Map<string, { min: number; max: number }>();
  for (const e of batch.events) {
    const t = e.ts.getTime();
    const s = seen.get(e.anonymousId);
    if (!s) seen.set(e.anonymousId, { min: t, max: t });
    else {
      s.min = Math.min(s.min, t);
      s.max = Math.max(s.max, t);
    }
  }
  const rows = [...seen].flatMap(([a, s]) => [
    { a, t: new Date(s.min).toISOString() },
    ...(s.max !== s.min ? [{ a, t: new Date(s.max).toISOString() }] : []),
  ]);
  await tx.query(
    `update leads l set first_seen_at = least(l.first_seen_at, x.first),
                        last_seen_at = greatest(l.last_seen_at, x.last)
       from (select k.lead_id, min(b.t) as first, max(b.t) as last
               from jsonb_to_recordset($2::jsonb) as b(a text, t timestamptz)
               cross join lateral (select al.lead_id from anonymous_links al
                                    where al.site_id = $1 and al.anonymous_id = b.a
                                      and al.valid_from <= b.t
                                    order by al.valid_from desc limit 1) k
              group by k.lead_id) x
      where l.site_id = $1 and l.lead_id = x.lead_id`,
    [batch.site.id, JSON.stringify(rows)],
  );
}
