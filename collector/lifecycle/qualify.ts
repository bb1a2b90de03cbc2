/** Automatic forward moves (DESIGN §8): MQL at the threshold, SQL on a sales-ready form, customers on trusted purchases. */
import type { StoredEvent } from '../ingest/pipeline.ts';
import { OWNED_EVENTS } from '../scoring/lead-events.ts';
import type { Queryable } from '../store/index.ts';
import { advanceStage, EXITS, isForward, type Stage } from './stages.ts';

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

/** Per lead, over its whole history: trusted purchases and whether a sales-ready form was sent. */
export async function lifecycleFacts(
  db: Queryable,
  siteId: string,
  leadIds: readonly string[],
): Promise<Map<string, { purchases: number; salesReady: boolean }>> {
  const out = new Map<string, { purchases: number; salesReady: boolean }>();
  if (leadIds.length === 0) return out;
  const { rows } = await db.query<{ lead_id: string; purchases: number; sales_ready: boolean }>(
    `select lk.lead_id,
            count(*) filter (where e.trusted and e.type = 'track'
                               and e.name = any($3::text[]))::int as purchases,
            coalesce(bool_or(e.type = 'form_submit'
                             and e.context->>'source' = 'form'
                             and e.context->'salesReady' = 'true'::jsonb), false) as sales_ready
       ${OWNED_EVENTS}
        and (e.type = 'form_submit' or (e.trusted and e.type = 'track'))
      group by lk.lead_id`,
    [siteId, leadIds, PURCHASE_NAMES],
  );
  for (const r of rows) out.set(r.lead_id, { purchases: r.purchases, salesReady: r.sales_ready });
  return out;
}

/**
 * A score as marketers read it (two decimals): what the MQL threshold is compared with. Decay
 * is exact, so points earned a moment ago are already a hair under their face value (50 points
 * read 1 s later are 49.9999987); compared unrounded, rules adding up to exactly the threshold
 * would never make an MQL while the lead shows 50.
 *
 * @example shownScore(49.9999987) // 50
 */
export const shownScore = (score: number): number => Math.round(score * 100) / 100;

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
 * @example await qualifyLeads(tx, site.id, ['lead_1'], new Map(), 50, now);
 */
export async function qualifyLeads(
  tx: Queryable,
  siteId: string,
  leadIds: readonly string[],
  facts: Map<string, { purchases: number; salesReady: boolean }>,
  threshold: number,
  now: Date,
): Promise<number> {
  if (leadIds.length === 0) return 0;
  const { rows } = await tx.query<{ lead_id: string; stage: string; score_total: number }>(
    `select lead_id, stage, score_total from leads
      where site_id = $1 and lead_id = any($2::text[]) and merged_into is null
      order by lead_id`,
    [siteId, [...leadIds]],
  );
  let moves = 0;
  for (const lead of rows) {
    if ((EXITS as readonly string[]).includes(lead.stage)) continue;
    for (const t of targets(lead.score_total, threshold, facts.get(lead.lead_id))) {
      if (!isForward(lead.stage, t.to)) continue;
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
