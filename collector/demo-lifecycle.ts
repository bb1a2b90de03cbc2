/**
 * The demo's automatic MQL moves, placed where the live pipeline makes them (DESIGN §8): at the
 * first moment a lead's score, by the real scoring under the site's rules, reaches the threshold.
 */
import {
  addEvent,
  type EngagementState,
  type ScoreEvent,
  type ScoringRules,
  scoreState,
} from '../shared/scoring.ts';
import { EXITS, isForward, mqlReason } from './lifecycle/index.ts';

/** One move of a demo lead's story (ms times), before its `from` is known. */
export interface DemoMove {
  to: string;
  at: number;
  reason: string | null;
  actor: string;
}

/**
 * When a lead's score first reaches `rules.mqlThreshold` between `from` (its creation) and
 * `end`, and the score then. Checked at `from`, after each later event (engagement only rises
 * with an event; between events it decays) and at `end` (a negative rule decaying lifts a
 * score without any event: the next rescore would move it then).
 *
 * @example mqlCrossing(events, traits, DEFAULT_RULES, created, now.getTime()) // { at, score } | null
 */
export function mqlCrossing(
  events: readonly ScoreEvent[],
  traits: Record<string, unknown>,
  rules: ScoringRules,
  from: number,
  end: number,
): { at: number; score: number } | null {
  const sorted = [...events].sort((a, b) => a.ts - b.ts);
  const checks = [from, ...sorted.map((e) => e.ts).filter((t) => t > from && t < end), end];
  const state: EngagementState = {};
  let i = 0;
  for (const t of checks) {
    while (i < sorted.length && sorted[i]!.ts <= t) addEvent(state, sorted[i++]!, rules);
    const score = scoreState(state, traits, rules, t).total;
    if (score >= rules.mqlThreshold) return { at: t, score };
  }
  return null;
}

/**
 * A lead's moves after it became a lead, with the automatic MQL move inserted at `crossing` if
 * the lead is then still below `mql` and not out of the funnel (automatic moves only go
 * forward), each with its `from`. The reason reads like the live one (lifecycle/qualify.ts).
 *
 * @example withAutomaticMql([{ to: 'sql', at, reason: null, actor: 'sales' }], { at: t, score: 62 }, 50)
 */
export function withAutomaticMql(
  moves: readonly DemoMove[],
  crossing: { at: number; score: number } | null,
  threshold: number,
): (DemoMove & { from: string })[] {
  const out: (DemoMove & { from: string })[] = [];
  let stage = 'lead';
  let pending = crossing;
  const qualify = (before: number) => {
    if (!pending || pending.at > before) return;
    if (!(EXITS as readonly string[]).includes(stage) && isForward(stage, 'mql')) {
      out.push({
        from: stage,
        to: 'mql',
        at: pending.at,
        reason: mqlReason(pending.score, threshold),
        actor: 'system',
      });
      stage = 'mql';
    }
    pending = null;
  };
  for (const m of moves) {
    qualify(m.at);
    out.push({ ...m, from: stage });
    stage = m.to;
  }
  qualify(Number.POSITIVE_INFINITY);
  return out;
}
