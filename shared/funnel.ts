/**
 * The lead lifecycle and its mappings onto the seeds' other funnel models: pure data and helpers
 * the collector's reports and the dashboard share (no zod, no Node: the dashboard imports it).
 */

/** Forward order of the lead lifecycle (seed 001); `collector/lifecycle` uses this list. */
export const LIFECYCLE = [
  'visitor',
  'lead',
  'mql',
  'sql',
  'opportunity',
  'customer',
  'repeat_customer',
] as const;

/** Side exits of the lifecycle: a reason is required to enter one. */
export const LIFECYCLE_EXITS = ['disqualified', 'lost'] as const;

/** Every stage a lead can be in. */
export const ALL_STAGES = [...LIFECYCLE, ...LIFECYCLE_EXITS] as const;

export type LifecycleStage = (typeof LIFECYCLE)[number];
export type AnyStage = (typeof ALL_STAGES)[number];

/** Channels of a session (DESIGN §8): one list, the classifier's. */
import { CHANNELS, type Channel } from './channel.ts';

export { CHANNELS, type Channel };

/** Human labels for stages and channels (the API speaks ids; people read these). */
export const STAGE_LABELS: Record<AnyStage, string> = {
  visitor: 'Visitor',
  lead: 'Lead',
  mql: 'MQL',
  sql: 'SQL',
  opportunity: 'Opportunity',
  customer: 'Customer',
  repeat_customer: 'Repeat customer',
  disqualified: 'Disqualified',
  lost: 'Lost',
};

export const CHANNEL_LABELS: Record<Channel, string> = {
  direct: 'Direct',
  organic_search: 'Organic search',
  paid_search: 'Paid search',
  organic_social: 'Organic social',
  paid_social: 'Paid social',
  email: 'Email',
  referral: 'Referral',
  display: 'Display',
  affiliate: 'Affiliate',
  other: 'Other',
};

/** One step of another funnel model and the lifecycle stages whose population it holds. */
export interface ModelStep {
  id: string;
  label: string;
  stages: readonly AnyStage[];
}

/** A funnel model from the seeds, expressed as a mapping of the lifecycle. */
export interface FunnelModel {
  id: string;
  label: string;
  /** The seed document it comes from (`seeds/NNN_*.txt`). */
  seed: string;
  steps: readonly ModelStep[];
}

/**
 * The seeds' other models as mappings of the lead lifecycle. Every lifecycle stage lands in at
 * most one step per model, so a population splits without double counting:
 *
 * - CRM funnel (seed 002): awareness = anonymous visitors; interest = people who left their
 *   contact (lead) or engage enough to qualify (MQL); decision = sales evaluates with them (SQL,
 *   opportunity); action = the outcome: won (customer, repeat customer) or declined (lost).
 *   Disqualified people never were real prospects: outside this funnel.
 * - Customer lifecycle (seed 000): reach = visitors researching; acquisition = contact made,
 *   data collected, nurtured (lead, MQL, SQL); conversion = deciding to buy (opportunity);
 *   retention = bought once and must be kept (customer); loyalty = came back (repeat customer).
 * - CX journey (seed 003): awareness = visitors; consideration = actively evaluating (lead, MQL,
 *   SQL); decision = "buy or not" (opportunity); retention = customer; advocacy = repeat customer.
 */
export const FUNNEL_MODELS: readonly FunnelModel[] = [
  {
    id: 'crm_funnel',
    label: 'CRM funnel',
    seed: '002',
    steps: [
      { id: 'awareness', label: 'Awareness', stages: ['visitor'] },
      { id: 'interest', label: 'Interest', stages: ['lead', 'mql'] },
      { id: 'decision', label: 'Decision', stages: ['sql', 'opportunity'] },
      { id: 'action', label: 'Action', stages: ['customer', 'repeat_customer', 'lost'] },
    ],
  },
  {
    id: 'customer_lifecycle',
    label: 'Customer lifecycle',
    seed: '000',
    steps: [
      { id: 'reach', label: 'Reach', stages: ['visitor'] },
      { id: 'acquisition', label: 'Acquisition', stages: ['lead', 'mql', 'sql'] },
      { id: 'conversion', label: 'Conversion', stages: ['opportunity'] },
      { id: 'retention', label: 'Retention', stages: ['customer'] },
      { id: 'loyalty', label: 'Loyalty', stages: ['repeat_customer'] },
    ],
  },
  {
    id: 'cx_journey',
    label: 'Customer-experience journey',
    seed: '003',
    steps: [
      { id: 'awareness', label: 'Awareness', stages: ['visitor'] },
      { id: 'consideration', label: 'Consideration', stages: ['lead', 'mql', 'sql'] },
      { id: 'decision', label: 'Decision', stages: ['opportunity'] },
      { id: 'retention', label: 'Retention', stages: ['customer'] },
      { id: 'advocacy', label: 'Advocacy', stages: ['repeat_customer'] },
    ],
  },
];

/** Position in the forward lifecycle, -1 for exits. */
export function lifecycleRank(stage: string): number {
  return (LIFECYCLE as readonly string[]).indexOf(stage);
}

/**
 * A ratio rounded to 4 decimals, or null when the denominator is 0 (no data is not 0%).
 *
 * @example ratio(1, 3) // 0.3333
 */
export function ratio(n: number, d: number): number | null {
  return d > 0 ? Math.round((n / d) * 10_000) / 10_000 : null;
}

/**
 * A duration for people: `45s`, `12m`, `5.5h`, `3.2d`.
 *
 * @example formatDuration(90_000) // '1.0d'
 */
export function formatDuration(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return '—';
  if (seconds < 60) return `${Math.round(seconds)}s`;
  if (seconds < 3600) return `${Math.round(seconds / 60)}m`;
  if (seconds < 86_400) return `${(seconds / 3600).toFixed(1)}h`;
  return `${(seconds / 86_400).toFixed(1)}d`;
}

/**
 * A ratio as a percentage for people: `33.3%`, or `—` when there is no data.
 *
 * @example formatPercent(0.3333) // '33.3%'
 */
export function formatPercent(r: number | null): string {
  return r === null ? '—' : `${(r * 100).toFixed(1)}%`;
}
