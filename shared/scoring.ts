/**
 * Lead scoring as a pure function of (events, traits, rules, now) — DESIGN §8. No zod, no I/O:
 * the collector and the dashboard import it alike.
 *
 * Engagement is kept as a small per-rule state that folds events in any order and any batch
 * split, so the collector updates a lead on ingest without rereading its history; decay is
 * applied exactly at read time from that state.
 */

import { evalFitRule } from './scoring-fit.ts';
import type { BreakdownItem, EventMatcher, Score, ScoringRules } from './scoring-rules.ts';

export { evalFitRule, traitValue } from './scoring-fit.ts';
export { emailDomain, FREE_EMAIL_DOMAINS, isFreeEmailDomain } from './scoring-free-email.ts';
export type * from './scoring-rules.ts';

/** What scoring needs of an event. */
export interface ScoreEvent {
  type: string;
  name: string | null;
  url: string | null;
  properties: Record<string, unknown>;
  /** Event time, ms since epoch. */
  ts: number;
  /** Bot traffic (site policy `flag`): stored, never scored. */
  isBot?: boolean;
}

/**
 * One engagement rule's memory of a lead: `n` matching events, the newest at `a` (ms), and
 * `s` = Σ 2^((tᵢ − a) / h) over them (h: half-life in ms). Every term is ≤ 1 because `a` is the
 * newest time, so `s` ≤ `n` never overflows, and the decayed sum at any `now` is exactly
 * `s · 2^((a − now) / h)`. Without a half-life, `s` = `n`.
 */
export interface RuleState {
  n: number;
  a: number;
  s: number;
}

/** Engagement state of one lead: per rule id. Stored as JSON by the collector. */
export type EngagementState = Record<string, RuleState>;

const DAY_MS = 86_400_000;

/** The half-life in ms, or Infinity when engagement does not decay. */
export function halfLifeMs(rules: Pick<ScoringRules, 'halfLifeDays'>): number {
  return rules.halfLifeDays ? rules.halfLifeDays * DAY_MS : Number.POSITIVE_INFINITY;
}

/**
 * True when `text` matches the glob (`*` = any run of characters, case-insensitive), the whole
 * text. Two pointers with one backtrack point: O(glob × text) at worst, never exponential,
 * so no rule can make ingest slow (a regular expression of many `*` could).
 *
 * @example globMatch('*\/pricing*', 'https://x.com/pricing?a=1') // true
 */
export function globMatch(glob: string, text: string): boolean {
  const g = glob.toLowerCase();
  const t = text.toLowerCase();
  let gi = 0;
  let ti = 0;
  let star = -1;
  let mark = 0;
  while (ti < t.length) {
    if (gi < g.length && g[gi] === '*') {
      star = gi++;
      mark = ti;
    } else if (gi < g.length && g[gi] === t[ti]) {
      gi++;
      ti++;
    } else if (star >= 0) {
      gi = star + 1;
      ti = ++mark;
    } else return false;
  }
  while (gi < g.length && g[gi] === '*') gi++;
  return gi === g.length;
}

/**
 * True when `e` satisfies every condition of `m`.
 *
 * @example matchEvent({ type: 'pageview', url: '*\/pricing*' }, event)
 */
export function matchEvent(m: EventMatcher, e: ScoreEvent): boolean {
  if (m.type !== undefined && e.type !== m.type) return false;
  if (m.name !== undefined && e.name !== m.name) return false;
  if (m.form !== undefined && !(e.type.startsWith('form_') && e.name === m.form)) return false;
  if (m.url !== undefined && (e.url === null || !globMatch(m.url, e.url))) return false;
  if (m.properties) {
    for (const [k, v] of Object.entries(m.properties)) {
      if (!Object.hasOwn(e.properties, k) || e.properties[k] !== v) return false;
    }
  }
  return true;
}

/**
 * Folds one event into `state` (mutated and returned). Order of folding does not matter.
 *
 * @example for (const e of events) addEvent(state, e, rules);
 */
export function addEvent(
  state: EngagementState,
  e: ScoreEvent,
  rules: ScoringRules,
): EngagementState {
  if (e.isBot) return state;
  const h = halfLifeMs(rules);
  for (const r of rules.engagement) {
    if (!matchEvent(r.event, e)) continue;
    const cur = Object.hasOwn(state, r.id) ? state[r.id] : undefined;
    if (!cur) state[r.id] = { n: 1, a: e.ts, s: 1 };
    else if (e.ts > cur.a) {
      // Re-anchor at the newer event so every term stays ≤ 1.
      state[r.id] = { n: cur.n + 1, a: e.ts, s: cur.s * 2 ** ((cur.a - e.ts) / h) + 1 };
    } else state[r.id] = { n: cur.n + 1, a: cur.a, s: cur.s + 2 ** ((e.ts - cur.a) / h) };
  }
  return state;
}

/** The engagement state of a whole event history. */
export function foldEvents(events: Iterable<ScoreEvent>, rules: ScoringRules): EngagementState {
  const state: EngagementState = {};
  for (const e of events) addEvent(state, e, rules);
  return state;
}

/** Limits `v` to `cap` from above; the breakdown line that explains the difference, if any. */
function capLine(
  raw: number,
  cap: number | undefined,
  ruleId: string,
  label: string,
): [number, BreakdownItem | null] {
  if (cap === undefined || raw <= cap) return [raw, null];
  return [cap, { ruleId, label, points: cap - raw, count: 0 }];
}

/**
 * The score of a lead from its engagement state and traits at `now`.
 *
 * Caps show in the breakdown so that it always sums to the total: a rule's `max` limits that
 * rule's own line; a part or total cap adds a negative line `cap:fit`, `cap:engagement` or
 * `cap:total` ("Capped at 100") with what the cap removed.
 *
 * @example scoreState(state, { email: 'lan@acme.vn' }, rules, Date.now()).total
 */
export function scoreState(
  state: EngagementState,
  traits: Record<string, unknown>,
  rules: ScoringRules,
  now: number | Date,
): Score {
  const t = typeof now === 'number' ? now : now.getTime();
  const h = halfLifeMs(rules);
  const caps = rules.caps ?? {};
  const breakdown: BreakdownItem[] = [];

  let fitRaw = 0;
  for (const r of rules.fit) {
    if (!evalFitRule(r, traits)) continue;
    fitRaw += r.points;
    breakdown.push({ ruleId: r.id, label: r.label, points: r.points, count: 1 });
  }
  const [fit, fitCap] = capLine(fitRaw, caps.fit, 'cap:fit', `Fit capped at ${caps.fit}`);
  if (fitCap) breakdown.push(fitCap);

  let engRaw = 0;
  for (const r of rules.engagement) {
    const st = Object.hasOwn(state, r.id) ? state[r.id] : undefined;
    if (!st || st.n === 0) continue;
    const decay = 2 ** ((st.a - t) / h);
    let points = r.once ? r.points * decay : r.points * st.s * decay;
    if (r.max !== undefined && Math.abs(points) > r.max) points = Math.sign(points) * r.max;
    engRaw += points;
    breakdown.push({ ruleId: r.id, label: r.label, points, count: r.once ? 1 : st.n });
  }
  const [engagement, engCap] = capLine(
    engRaw,
    caps.engagement,
    'cap:engagement',
    `Engagement capped at ${caps.engagement}`,
  );
  if (engCap) breakdown.push(engCap);

  const [total, totalCap] = capLine(
    fit + engagement,
    caps.total,
    'cap:total',
    `Total capped at ${caps.total}`,
  );
  if (totalCap) breakdown.push(totalCap);
  return { total, fit, engagement, breakdown };
}

/**
 * The score of a lead from its whole history: the definition the incremental path must equal.
 *
 * @example score(events, { email: 'lan@gmail.com', title: 'Director' }, rules, new Date())
 */
export function score(
  events: Iterable<ScoreEvent>,
  traits: Record<string, unknown>,
  rules: ScoringRules,
  now: number | Date,
): Score {
  return scoreState(foldEvents(events, rules), traits, rules, now);
}
