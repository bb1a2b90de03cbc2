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
 * text; every other character, `?` and `.` included, stands for itself. The literals between
 * the `*`s are placed left to right: the first at the start, the last at the end, each middle
 * one at its first place after the one before (the leftmost place never loses a match that a
 * later one would allow). Small, because the forms chunk ships it; `indexOf` can cost literal ×
 * text on a crafted literal, which a visitor's own page can afford. The collector, where every
 * site's globs share one process, uses {@link globMatcher}, linear whatever the glob.
 *
 * @example globMatch('*\/pricing*', 'https://x.com/pricing?a=1') // true
 */
export function globMatch(glob: string, text: string): boolean {
  const lits = glob.toLowerCase().split('*');
  const t = text.toLowerCase();
  const last = lits.length - 1;
  let at = 0;
  for (let k = 0; k <= last; k++) {
    const lit = lits[k]!;
    const i = k ? (k === last ? t.length - lit.length : t.indexOf(lit, at)) : 0;
    if (i < at || !t.startsWith(lit, i)) return false;
    at = i + lit.length;
  }
  return at === t.length;
}

/** Compiled globs by source: each is compiled once, not per event or page. Cleared when full. */
const compiledGlobs = /* @__PURE__ */ new Map<string, (text: string) => boolean>();

/**
 * {@link globMatch} compiled, for the collector: about 2 × text steps per call whatever the glob
 * (each middle literal is found by Knuth–Morris–Pratt, which never reads a text position twice),
 * so no site's rules or targeting can stall ingest or the config route for every site, as
 * backtracking (glob × text per event) did. Compiled once per glob: at most 512 are kept.
 *
 * @example globMatcher('*\/pricing*')('https://x.com/Pricing') // true
 */
export function globMatcher(glob: string): (text: string) => boolean {
  let m = compiledGlobs.get(glob);
  if (!m) {
    if (compiledGlobs.size >= 512) compiledGlobs.clear();
    m = compileGlob(glob);
    compiledGlobs.set(glob, m);
  }
  return m;
}

function compileGlob(glob: string): (text: string) => boolean {
  const lits = glob.toLowerCase().split('*');
  const head = lits.shift()!;
  const tail = lits.pop();
  if (tail === undefined) return (text) => text.toLowerCase() === head;
  // Empty middle literals (`**`) match anywhere: the place found so far stands.
  const middle = lits.filter((l) => l).map((lit) => ({ lit, b: borders(lit) }));
  return (text) => {
    const t = text.toLowerCase();
    const end = t.length - tail.length;
    let at = head.length;
    if (end < at || !t.startsWith(head) || !t.endsWith(tail)) return false;
    for (const { lit, b } of middle) {
      const i = findIn(t, lit, b, at, end);
      if (i < 0) return false;
      at = i + lit.length;
    }
    return true;
  };
}

/** KMP's failure function: `b[j]` is the longest proper border of `p[0..j]`. */
function borders(p: string): Int32Array {
  const b = new Int32Array(p.length);
  for (let j = 1, q = 0; j < p.length; j++) {
    while (q > 0 && p.charCodeAt(j) !== p.charCodeAt(q)) q = b[q - 1]!;
    if (p.charCodeAt(j) === p.charCodeAt(q)) q++;
    b[j] = q;
  }
  return b;
}

/**
 * The first `i` ≥ `from` where `p` (non-empty) stands in `t` and ends by `end`, or -1. Each text
 * position is read once; while nothing is matched, `indexOf` of one character skips ahead (V8's
 * `indexOf` of a long literal is not linear: `a…aba…a` in `a…a` costs their product).
 */
function findIn(t: string, p: string, b: Int32Array, from: number, end: number): number {
  const first = p[0]!;
  const m = p.length;
  let q = 0;
  for (let j = from; j < end; j++) {
    const c = t.charCodeAt(j);
    while (q > 0 && c !== p.charCodeAt(q)) q = b[q - 1]!;
    if (c === p.charCodeAt(q)) {
      if (++q === m) return j - m + 1;
    } else {
      j = t.indexOf(first, j + 1) - 1;
      if (j < 0) return -1;
    }
  }
  return -1;
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
  if (m.url !== undefined && (e.url === null || !globMatcher(m.url)(e.url))) return false;
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
