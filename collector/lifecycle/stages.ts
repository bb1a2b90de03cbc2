/** The lead lifecycle (DESIGN §8): ordered stages, side exits, and the one way to move a lead. */
import { LIFECYCLE, LIFECYCLE_EXITS } from '../../shared/funnel.ts';
import type { Queryable } from '../store/index.ts';
import { enqueueWebhook } from '../webhooks/outbox.ts';

/** Forward order of the lifecycle (one list, shared with the reports and the dashboard). */
export const STAGES = LIFECYCLE;
/** Side exits; entering one needs a reason. */
export const EXITS = LIFECYCLE_EXITS;

export type Stage = (typeof STAGES)[number] | (typeof EXITS)[number];

/** Position in the lifecycle; exits rank below every stage (a merge keeps the furthest stage). */
export function stageRank(stage: string): number {
  return (STAGES as readonly string[]).indexOf(stage);
}

/** True when `to` is further down the lifecycle than `from`. */
export function isForward(from: string | null, to: string): boolean {
  return stageRank(to) > (from === null ? -1 : stageRank(from));
}

/** Who moved a lead: `system` (automatic rules) or `api` / a user label. */
export interface StageMove {
  siteId: string;
  leadId: string;
  from: string | null;
  to: Stage;
  at: Date;
  reason?: string | null;
  actor: string;
}

/**
 * Moves a lead to `to`: updates the lead, appends a history row `{ from, to, at, reason, actor }`
 * and records the `lead.stage_changed` webhook, all in `tx`. Callers hold the lead's row lock and
 * decide whether the move is allowed (automatic moves only go forward).
 *
 * The move is dated `m.at`, or the lead's latest move if that is later: a clock read before the
 * lock was taken (an ingest batch's, another replica's) must not date a move before the one it
 * follows. A lead's history is thus in time order as well as in `seq` order, and the two orders
 * that read it — `seq` (the API) and `at, seq` (the funnel's stays) — agree.
 */
export async function moveStage(tx: Queryable, m: StageMove): Promise<void> {
  const { rows } = await tx.query<{
    at: Date;
    email: string | null;
    name: string | null;
    score: number;
  }>(
    `update leads l set stage = $3, stage_changed_at = x.at, updated_at = x.at
       from (select greatest($4::timestamptz, max(h.at)) as at from stage_history h
              where h.site_id = $1 and h.lead_id = $2) x
      where l.site_id = $1 and l.lead_id = $2
     returning x.at, l.email, l.name, l.score_total as score`,
    [m.siteId, m.leadId, m.to, m.at.toISOString()],
  );
  const at = rows[0] ? new Date(rows[0].at) : m.at;
  await tx.query(
    `insert into stage_history (site_id, lead_id, from_stage, to_stage, at, reason, actor)
     values ($1, $2, $3, $4, $5, $6, $7)`,
    [m.siteId, m.leadId, m.from, m.to, at.toISOString(), m.reason ?? null, m.actor],
  );
  await enqueueWebhook(
    tx,
    m.siteId,
    'lead.stage_changed',
    {
      leadId: m.leadId,
      from: m.from,
      to: m.to,
      reason: m.reason ?? null,
      actor: m.actor,
      at: at.toISOString(),
      // Who moved, so a sales tool can act on an SQL without a call back to the API.
      lead: {
        id: m.leadId,
        email: rows[0]?.email ?? null,
        name: rows[0]?.name ?? null,
        score: rows[0]?.score ?? 0,
      },
    },
    at,
  );
}

/**
 * Moves a lead forward to `to` if it is not already there or further (automatic moves never go
 * backwards, and never out of `disqualified` / `lost`). Returns true when it moved.
 *
 * @example await advanceStage(tx, { siteId, leadId, to: 'sql', at, reason: 'form demo', actor: 'system' });
 */
export async function advanceStage(tx: Queryable, m: Omit<StageMove, 'from'>): Promise<boolean> {
  const { rows } = await tx.query<{ stage: string }>(
    'select stage from leads where site_id = $1 and lead_id = $2 for update',
    [m.siteId, m.leadId],
  );
  const from = rows[0]?.stage;
  if (from === undefined || (EXITS as readonly string[]).includes(from) || !isForward(from, m.to))
    return false;
  await moveStage(tx, { ...m, from });
  return true;
}
