/** Automatic forward moves (DESIGN §8): MQL at the threshold, SQL on a sales-ready form, customers on trusted purchases. */
import type { StoredEvent } from '../ingest/pipeline.ts';
import { OWNED_EVENTS } from '../scoring/lead-events.ts';
import { shownScore } from '../scoring/maintain.ts';
import type { Queryable } from '../store/index.ts';
import { advanceStage, EXITS, isForward, STAGES, type Stage } from './stages.ts';

/** Event names that record a purchase (ours and Segment's e-commerce spec). */
export const PURCHASE_NAMES = ['purchase', 'Order Completed'] as const;

/**
 * A purchase that counts: only trusted events (secret key: server-side API, marketer API).
 * A browser can send a `purchase` too; it is stored but never makes anyone a customer.
 */
export function isTrustedPurchase(e: Pick<StoredEvent, 'trusted' | 'type' | 'name'>): boolean {
  return (
    e.trusted && e.type === 'track' && (PURCHASE_NAMES as readonly string[]).includes(e.name ?? '')
  );
}

/**
 * A submission of a form marked `salesReady`. Only the forms endpoint sets `context` (the
 * browser cannot), so `context.source === 'form'` vouches for `context.salesReady`. A submission
 * flagged by the bot policy counts too, as it makes its lead: the flag keeps events out of
 * scoring and reports (DESIGN §9), and spam is stopped before (honeypot, fill time, quarantine).
 */
export function isSalesReadyForm(e: Pick<StoredEvent, 'type' | 'context'>): boolean {
  return e.type === 'form_submit' && e.context.source === 'form' && e.context.salesReady === true;
}

/**
 * SQL of the latest manual override of each lead (`$1` site, `$2` lead ids, `$3` the exits, `$4`
 * the stages in order): a person's move back down the lifecycle (`sql` → `mql`, `customer` →
 * `opportunity`…) or out of an exit (`disqualified` → `lead`), as `(lead_id, at, to_stage)`. It
 * stands against what was known then: automatic moves after it need new evidence (see
 * {@link lifecycleFacts} and {@link qualifyLeads}); a forward move by hand contradicts nothing.
 */
const OVERRIDES = `
  select distinct on (lead_id) lead_id, at, to_stage from stage_history
   where site_id = $1 and lead_id = any($2::text[]) and actor <> 'system'
     and (from_stage = any($3::text[])
          or array_position($4::text[], to_stage) < array_position($4::text[], from_stage))
   order by lead_id, seq desc`;

/** The latest manual override of each lead (see {@link OVERRIDES}), as `{ at, to }`. */
export async function lastOverrides(
  db: Queryable,
  siteId: string,
  leadIds: readonly string[],
): Promise<Map<string, { at: Date; to: string }>> {
  if (leadIds.length === 0) return new Map();
  const { rows } = await db.query<{ lead_id: string; at: Date; to_stage: string }>(OVERRIDES, [
    siteId,
    [...leadIds],
    EXITS,
    STAGES,
  ]);
  return new Map(rows.map((r) => [r.lead_id, { at: new Date(r.at), to: r.to_stage }]));
}

/** Purchases a stage set by hand stands for: a customer has made one, a repeat customer two. */
const IMPLIED_PURCHASES: Record<string, number> = { customer: 1, repeat_customer: 2 };

/**
 * Per lead: trusted purchases and whether a sales-ready form was sent — over its whole history,
 * or, after a manual override ({@link OVERRIDES}), only what was received since, plus the
 * purchases the stage set by hand stands for: a repeat customer moved back to customer (a
 * cancelled order) is a repeat customer again on its next order, and a refunded customer moved
 * back to opportunity is a customer again on its next one, not on the refunded one.
 */
export async function lifecycleFacts(
  db: Queryable,
  siteId: string,
  leadIds: readonly string[],
): Promise<Map<string, { purchases: number; salesReady: boolean }>> {
  const out = new Map<string, { purchases: number; salesReady: boolean }>();
  if (leadIds.length === 0) return out;
  const { rows } = await db.query<{
    lead_id: string;
    purchases: number;
    sales_ready: boolean;
    override_to: string | null;
  }>(
    `with o as (${OVERRIDES})
     select lk.lead_id,
            count(*) filter (where e.trusted and e.type = 'track'
                               and e.name = any($5::text[]))::int as purchases,
            coalesce(bool_or(e.type = 'form_submit'
                             and e.context->>'source' = 'form'
                             and e.context->'salesReady' = 'true'::jsonb), false) as sales_ready,
            (select o.to_stage from o where o.lead_id = lk.lead_id) as override_to
       ${OWNED_EVENTS}
        and (e.type = 'form_submit' or (e.trusted and e.type = 'track'))
        and e.received_at > coalesce((select o.at from o where o.lead_id = lk.lead_id),
                                     '-infinity'::timestamptz)
      group by lk.lead_id`,
    [siteId, leadIds, EXITS, STAGES, PURCHASE_NAMES],
  );
  for (const r of rows) {
    const implied = IMPLIED_PURCHASES[r.override_to ?? ''] ?? 0;
    out.set(r.lead_id, { purchases: implied + r.purchases, salesReady: r.sales_ready });
  }
  return out;
}

export { shownScore };

/**
 * The reason of an automatic MQL move, as the stage history shows it.
 *
 * @example mqlReason(61.234, 50) // 'score 61.23 ≥ 50'
 */
export const mqlReason = (score: number, threshold: number): string =>
  `score ${shownScore(score)} ≥ ${threshold}`;

/** What a lead qualifies for, in lifecycle order. */
function targets(
  score: number,
  threshold: number,
  f: { purchases: number; salesReady: boolean } | undefined,
): { to: Stage; reason: string }[] {
  const out: { to: Stage; reason: string }[] = [];
  if (shownScore(score) >= threshold) out.push({ to: 'mql', reason: mqlReason(score, threshold) });
  if (f?.salesReady) out.push({ to: 'sql', reason: 'sales-ready form submitted' });
  if (f && f.purchases >= 1) out.push({ to: 'customer', reason: 'first trusted purchase' });
  if (f && f.purchases >= 2) out.push({ to: 'repeat_customer', reason: 'second trusted purchase' });
  return out;
}

/**
 * Moves each lead forward to every stage it now qualifies for (one history row per stage
 * entered, in order). Never backwards, never out of `disqualified` / `lost`. `facts` is needed
 * only for leads that may have sales-ready forms or purchases; the others are checked on score.
 *
 * A lead a person moved back (or out of an exit: see {@link lastOverrides}) is not made an MQL
 * again by the score it had then: only by a score that crosses the threshold from below —
 * `before` (its stored total before this change) under the threshold, the new one at it.
 * Without `before` such a lead is left as it is.
 *
 * @example await qualifyLeads(tx, site.id, ['lead_1'], new Map(), 50, now, new Map([['lead_1', 42]]));
 */
export async function qualifyLeads(
  tx: Queryable,
  siteId: string,
  leadIds: readonly string[],
  facts: Map<string, { purchases: number; salesReady: boolean }>,
  threshold: number,
  now: Date,
  before: ReadonlyMap<string, number> = new Map(),
): Promise<number> {
  if (leadIds.length === 0) return 0;
  const { rows } = await tx.query<{ lead_id: string; stage: string; score_total: number }>(
    `select lead_id, stage, score_total from leads
      where site_id = $1 and lead_id = any($2::text[]) and merged_into is null
      order by lead_id`,
    [siteId, [...leadIds]],
  );
  const plans = rows
    .filter((lead) => !(EXITS as readonly string[]).includes(lead.stage))
    .map((lead) => ({
      lead,
      moves: targets(lead.score_total, threshold, facts.get(lead.lead_id)).filter((t) =>
        isForward(lead.stage, t.to),
      ),
    }))
    .filter((p) => p.moves.length > 0);
  if (plans.length === 0) return 0;
  // Asked only for leads a score would make MQLs: most batches move no one.
  const overridden = await lastOverrides(
    tx,
    siteId,
    plans.filter((p) => p.moves.some((t) => t.to === 'mql')).map((p) => p.lead.lead_id),
  );
  const crossed = (id: string) => {
    const prev = before.get(id);
    return prev !== undefined && shownScore(prev) < threshold;
  };
  let moves = 0;
  for (const { lead, moves: todo } of plans) {
    for (const t of todo) {
      if (t.to === 'mql' && overridden.has(lead.lead_id) && !crossed(lead.lead_id)) continue;
      const moved = await advanceStage(tx, {
        siteId,
        leadId: lead.lead_id,
        to: t.to,
        at: now,
        reason: t.reason,
        actor: 'system',
      });
      if (moved) {
        lead.stage = t.to;
        moves++;
      }
    }
  }
  return moves;
}
