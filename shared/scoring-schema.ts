/** zod schema of a site's scoring rules (DESIGN §8). Collector side only: the dashboard uses the types. */
import { z } from 'zod';
import { storableString } from './json-limits.ts';
import type { ScoringRules } from './scoring-rules.ts';
import { EVENT_TYPES } from './wire.ts';

const str = (max: number) =>
  z.string().min(1).max(max).refine(storableString, 'contains a NUL character or a lone surrogate');

const ruleId = z
  .string()
  .max(64)
  .regex(
    /^[a-z0-9][a-z0-9_.-]*$/i,
    'letters, digits, "_", "-" and "." (starting with a letter or digit)',
  );

const points = z.number().finite().min(-10_000).max(10_000);
const primitive = z.union([str(500), z.number().finite(), z.boolean()]);
const base = { id: ruleId, label: str(200), trait: str(200), points };

/** One schema per operator, so an unknown `op` or a value of the wrong kind is a 400 at its path. */
const fitRule = z.discriminatedUnion('op', [
  z.strictObject({ ...base, op: z.enum(['eq', 'neq']), value: primitive }),
  z.strictObject({ ...base, op: z.literal('in'), value: z.array(primitive).min(1).max(200) }),
  z.strictObject({
    ...base,
    op: z.literal('contains'),
    value: z.union([str(200), z.array(str(200)).min(1).max(200)]),
  }),
  z.strictObject({ ...base, op: z.literal('exists'), value: z.boolean().optional() }),
  z.strictObject({ ...base, op: z.enum(['gte', 'lte']), value: z.number().finite() }),
  z.strictObject({ ...base, op: z.literal('freeEmailDomain'), value: z.boolean() }),
]);

const matcher = z
  .strictObject({
    type: z.enum(EVENT_TYPES).optional(),
    name: str(200).optional(),
    form: str(200).optional(),
    url: str(2048).optional(),
    properties: z
      .record(str(200), z.union([str(2048), z.number().finite(), z.boolean(), z.null()]))
      .refine((p) => Object.keys(p).length <= 20, 'at most 20 properties')
      .optional(),
  })
  .refine((m) => Object.values(m).some((v) => v !== undefined), 'give at least one condition');

const engagementRule = z.strictObject({
  id: ruleId,
  label: str(200),
  event: matcher,
  points,
  max: z.number().finite().positive().optional(),
  once: z.boolean().optional(),
});

const cap = z.number().finite().min(0).optional();

/** The body of `PUT /v1/scoring`; unknown keys anywhere are rejected (a typo is not ignored). */
export const scoringRulesSchema = z
  .strictObject({
    mqlThreshold: z.number().finite().min(0).max(1_000_000).default(50),
    halfLifeDays: z.number().finite().positive().max(3_650).nullable().optional(),
    caps: z.strictObject({ fit: cap, engagement: cap, total: cap }).optional(),
    fit: z.array(fitRule).max(200).default([]),
    engagement: z.array(engagementRule).max(200).default([]),
  })
  .superRefine((r, ctx) => {
    const seen = new Set<string>();
    for (const part of ['fit', 'engagement'] as const) {
      r[part].forEach((rule, i) => {
        if (seen.has(rule.id)) {
          ctx.addIssue({
            code: 'custom',
            path: [part, i, 'id'],
            message: `duplicate rule id "${rule.id}"`,
          });
        }
        seen.add(rule.id);
      });
    }
  });

// The inferred type must stay assignable to the shared one the pure scorer reads.
const _check = (r: z.infer<typeof scoringRulesSchema>): ScoringRules => r;
void _check;
