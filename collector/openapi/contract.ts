/**
 * zod shapes of DESIGN §4–§6 for the routes whose own schemas live with other features; used
 * only to document them. When a feature exports its schema from `shared/`, use that instead.
 */
import { z } from 'zod';
import { ALL_STAGES, CHANNELS } from '../../shared/funnel.ts';
import { EVENT_TYPES } from '../../shared/wire.ts';
import { instantSchema } from '../api/reports-schema.ts';

const json = z.record(z.string(), z.unknown());
const nullableText = z.string().nullable();

export const touchSchema = z
  .object({
    channel: z.enum(CHANNELS),
    source: nullableText,
    medium: nullableText,
    campaign: nullableText,
    referrer: nullableText,
    landingUrl: nullableText,
    at: z.iso.datetime(),
  })
  .nullable();

export const leadSchema = z.object({
  id: z.string(),
  email: nullableText,
  name: nullableText,
  traits: json,
  stage: z.enum(ALL_STAGES),
  score: z.object({
    total: z.number(),
    fit: z.number(),
    engagement: z.number(),
    breakdown: z.array(
      z.object({ ruleId: z.string(), label: z.string(), points: z.number(), count: z.int() }),
    ),
  }),
  stageHistory: z.array(
    z.object({
      from: z.enum(ALL_STAGES).nullable(),
      to: z.enum(ALL_STAGES),
      at: z.iso.datetime(),
      reason: nullableText,
      actor: z.string(),
    }),
  ),
  identities: z.array(z.object({ kind: z.string(), value: z.string() })),
  anonymousIds: z.array(z.string()),
  firstTouch: touchSchema,
  lastTouch: touchSchema,
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  firstSeenAt: z.iso.datetime().nullable(),
  lastSeenAt: z.iso.datetime().nullable(),
});

export const leadListQuerySchema = z.object({
  stage: z.enum(ALL_STAGES).optional(),
  minScore: z.number().optional(),
  maxScore: z.number().optional(),
  q: z.string().max(200).optional().meta({ description: 'matches email or name' }),
  channel: z.enum(CHANNELS).optional(),
  segment: z.string().optional().meta({ description: 'a saved segment id: its filter applies' }),
  createdAfter: instantSchema.optional(),
  createdBefore: instantSchema.optional(),
  sort: z
    .enum(['-score', 'score', '-createdAt', 'createdAt', '-lastSeenAt', 'lastSeenAt'])
    .optional(),
  limit: z.int().min(1).max(200).optional(),
  cursor: z.string().optional().meta({ description: '`nextCursor` of the previous page' }),
});

export const page = <T extends z.ZodType>(item: T) =>
  z.object({ data: z.array(item), nextCursor: z.string().nullable() });

export const pageQuerySchema = z.object({
  limit: z.int().min(1).max(200).optional(),
  cursor: z.string().optional(),
});

export const timelineEventSchema = z.object({
  id: z.string(),
  type: z.enum(EVENT_TYPES),
  name: nullableText,
  anonymousId: z.string(),
  sessionId: nullableText,
  at: z.iso.datetime(),
  url: nullableText,
  referrer: nullableText,
  title: nullableText,
  properties: json,
});

export const sessionSchema = z.object({
  id: z.string(),
  startedAt: z.iso.datetime(),
  lastSeenAt: z.iso.datetime(),
  channel: z.enum(CHANNELS),
  source: nullableText,
  medium: nullableText,
  campaign: nullableText,
  referrer: nullableText,
  landingUrl: nullableText,
  pageviews: z.int(),
});

export const visitorSchema = z.object({
  anonymousId: z.string(),
  firstSeenAt: z.iso.datetime(),
  lastSeenAt: z.iso.datetime(),
  firstTouch: touchSchema,
  lastTouch: touchSchema,
  leadId: nullableText,
  sessions: z.array(sessionSchema).optional(),
  events: z.array(timelineEventSchema).optional(),
});

export const stageMoveSchema = z.object({
  stage: z.enum(ALL_STAGES),
  reason: z.string().max(500).optional().meta({ description: 'required backwards and for exits' }),
});

export const trustedEventSchema = z.object({
  id: z.string().optional().meta({ description: 'idempotency key' }),
  name: z.string().meta({ description: 'e.g. `purchase`' }),
  value: z.number().optional(),
  currency: z.string().optional(),
  properties: json.optional(),
  timestamp: z.int().optional(),
});

const fitRule = z.object({
  id: z.string(),
  label: z.string(),
  trait: z.string(),
  op: z.enum(['eq', 'neq', 'in', 'contains', 'exists', 'gte', 'lte', 'freeEmailDomain']),
  value: z.unknown().optional(),
  points: z.number(),
});
const engagementRule = z.object({
  id: z.string(),
  label: z.string(),
  event: z.object({
    type: z.enum(EVENT_TYPES).optional(),
    name: z.string().optional(),
    form: z.string().optional(),
    url: z.string().optional(),
    properties: json.optional(),
  }),
  points: z.number(),
  max: z.number().optional(),
  once: z.boolean().optional(),
});
export const scoringRulesSchema = z.object({
  mqlThreshold: z.number(),
  halfLifeDays: z.number(),
  caps: z.object({ fit: z.number(), engagement: z.number(), total: z.number() }),
  fit: z.array(fitRule),
  engagement: z.array(engagementRule),
});
export const scoringJobSchema = z.object({
  id: z.string(),
  status: z.enum(['running', 'done', 'failed']),
  done: z.int(),
  total: z.int(),
});

const WEBHOOK_TYPES = [
  'lead.created',
  'lead.identified',
  'lead.stage_changed',
  'lead.merged',
  'form.submitted',
] as const;
export const webhookInputSchema = z.object({
  url: z.url(),
  events: z.array(z.enum(WEBHOOK_TYPES)).min(1),
});
export const webhookSchema = z.object({
  id: z.string(),
  url: z.string(),
  events: z.array(z.enum(WEBHOOK_TYPES)),
  createdAt: z.iso.datetime(),
});
export const deliverySchema = z.object({
  id: z.string(),
  eventId: z.string(),
  type: z.enum(WEBHOOK_TYPES),
  status: z.string(),
  attempts: z.int(),
  responseStatus: z.int().nullable(),
  createdAt: z.iso.datetime(),
});

const localized = z.union([z.string(), z.record(z.string(), z.string())]);
export const formDefinitionSchema = z.object({
  id: z.string(),
  name: z.string(),
  kind: z.enum(['inline', 'popup', 'slide_in', 'bar']),
  fields: z.array(
    z.object({
      type: z.enum(['email', 'text', 'tel', 'textarea', 'select', 'checkbox', 'consent', 'hidden']),
      name: z.string(),
      label: localized.optional(),
      required: z.boolean().optional(),
      options: z.array(z.unknown()).optional(),
      maxLength: z.int().optional(),
      progressive: z.boolean().optional(),
    }),
  ),
  trigger: json.optional(),
  targeting: json.optional(),
  frequency: json.optional(),
  salesReady: z.boolean().optional(),
  locale: z.string().optional(),
  texts: json.optional(),
  theme: z.record(z.string(), z.string()).optional(),
});
export const siteConfigSchema = z.object({ forms: z.array(formDefinitionSchema), settings: json });
export const submissionSchema = z.object({
  site: z.string(),
  id: z.string(),
  anonymousId: z.string(),
  sessionId: z.string().optional(),
  values: json,
  url: z.string().optional(),
  elapsedMs: z.number().optional(),
  hp: z.string().optional().meta({ description: 'honeypot: must stay empty' }),
});

/** A Segment spec message (https://segment.com/docs/connections/spec/). */
export const segmentMessageSchema = z.object({
  type: z.enum(['track', 'identify', 'page']).optional(),
  messageId: z.string().optional(),
  userId: z.string().optional(),
  anonymousId: z.string().optional(),
  event: z.string().optional(),
  name: z.string().optional(),
  properties: json.optional(),
  traits: json.optional(),
  context: json.optional(),
  timestamp: z.string().optional(),
});

export type Lead = z.infer<typeof leadSchema>;
export type Touch = z.infer<typeof touchSchema>;
export type TimelineEvent = z.infer<typeof timelineEventSchema>;
export type ScoringRules = z.infer<typeof scoringRulesSchema>;
export type FormDefinition = z.infer<typeof formDefinitionSchema>;
