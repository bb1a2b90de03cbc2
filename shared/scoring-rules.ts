/** Types of a site's scoring rules (DESIGN §8). Types only: the dashboard imports these, never zod. */

/** A JSON primitive a rule compares with. */
export type Primitive = string | number | boolean;

/** Operators of fit rules, on one trait of the lead. */
export const FIT_OPS = [
  'eq',
  'neq',
  'in',
  'contains',
  'exists',
  'gte',
  'lte',
  'freeEmailDomain',
] as const;
export type FitOp = (typeof FIT_OPS)[number];

/** A rule on the lead's traits (`email`, `name` and everything in `traits`). Never decays. */
export interface FitRule {
  /** Unique among all rules of the set; the breakdown names it. */
  id: string;
  /** What the marketer reads in the breakdown ("Work email"). */
  label: string;
  /** Trait name; a dotted path (`company.size`) reads nested objects. */
  trait: string;
  /**
   * `eq` / `neq`: equal (strings trimmed, case-insensitive); `in`: equal to any of `value`;
   * `contains`: the trait contains any of `value` (case-insensitive); `exists`: present and
   * non-empty (`value: false` inverts); `gte` / `lte`: numeric bounds; `freeEmailDomain`: the
   * trait is an email at a free-mail provider (`value: false`: at any other domain).
   */
  op: FitOp;
  value?: Primitive | Primitive[];
  /** Points when the rule holds; negative allowed. */
  points: number;
}

/** Which events an engagement rule counts; every given condition must hold. */
export interface EventMatcher {
  /** Event type (`pageview`, `track`, `form_submit`, …). */
  type?: string;
  /** Event name (track / click name; the form id for `form_*` events). */
  name?: string;
  /** Form id: matches `form_*` events whose name is this id. */
  form?: string;
  /** Glob over the full URL, case-insensitive; `*` is any run of characters. */
  url?: string;
  /** Property values, compared with `===` after JSON (strings exactly). */
  properties?: Record<string, Primitive | null>;
}

/** A rule on events: points per matching event, decayed by age. */
export interface EngagementRule {
  id: string;
  label: string;
  event: EventMatcher;
  /** Points per matching event (at age 0); negative allowed. */
  points: number;
  /** Cap on the magnitude of this rule's (decayed) points. */
  max?: number;
  /** Count only the most recent matching event. */
  once?: boolean;
}

/** A site's rule set, as `GET/PUT /v1/scoring` carries it. */
export interface ScoringRules {
  /** Score at which a lead becomes an MQL (default 50). */
  mqlThreshold: number;
  /** Engagement half-life in days; null or absent: engagement never decays. */
  halfLifeDays?: number | null;
  /** Upper bounds of the fit part, the engagement part and the total. */
  caps?: { fit?: number; engagement?: number; total?: number };
  fit: FitRule[];
  engagement: EngagementRule[];
}

/** One line of a score's explanation. */
export interface BreakdownItem {
  /** The rule's id, or `cap:fit` / `cap:engagement` / `cap:total` for what a cap removed. */
  ruleId: string;
  label: string;
  /** Points this line adds to the total (caps are negative lines). */
  points: number;
  /** Matching events the rule counted (1 for fit rules and caps). */
  count: number;
}

/** A score with its reasons: `breakdown` sums to `total`. */
export interface Score {
  total: number;
  fit: number;
  engagement: number;
  breakdown: BreakdownItem[];
}
