/** Stage history of a lead (`{ from, to, at, reason, actor }`) and the time spent in each stage. */
import type { Queryable } from '../store/index.ts';

/** One move, as the Lead's `stageHistory` shows it (DESIGN §6). */
export interface HistoryEntry {
  from: string | null;
  to: string;
  /** ISO time of the move. */
  at: string;
  reason: string | null;
  actor: string;
}

/**
 * A lead's moves, oldest first.
 *
 * @example const stageHistory = await stageHistory(store, site.id, leadId);
 */
export async function stageHistory(
  db: Queryable,
  siteId: string,
  leadId: string,
): Promise<HistoryEntry[]> {
  const { rows } = await db.query<{
    from_stage: string | null;
    to_stage: string;
    at: Date;
    reason: string | null;
    actor: string;
  }>(
    `select from_stage, to_stage, at, reason, actor from stage_history
      where site_id = $1 and lead_id = $2 order by seq`,
    [siteId, leadId],
  );
  return rows.map((r) => ({
    from: r.from_stage,
    to: r.to_stage,
    at: new Date(r.at).toISOString(),
    reason: r.reason,
    actor: r.actor,
  }));
}

/**
 * Time in each stage, derived from the history: a stage is entered by a move into it and left
 * by the next move; the current stage is still open (`leftAt` null, measured up to `now`).
 *
 * @example timeInStages(history, new Date()) // [{ stage: 'lead', enteredAt, leftAt, ms }, …]
 */
export function timeInStages(
  history: readonly HistoryEntry[],
  now: Date,
): { stage: string; enteredAt: string; leftAt: string | null; ms: number }[] {
  return history.map((h, i) => {
    const next = history[i + 1];
    const end = next ? Date.parse(next.at) : now.getTime();
    return {
      stage: h.to,
      enteredAt: h.at,
      leftAt: next ? next.at : null,
      ms: Math.max(0, end - Date.parse(h.at)),
    };
  });
}
