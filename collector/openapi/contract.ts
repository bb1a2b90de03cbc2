/**
 * zod shapes of the answers of routes other features implement (they build them in TypeScript,
 * without a schema), following what those routes return; used only to document them. Request
 * bodies and queries are documented with the features' own schemas (see routes.ts).
 */
import { z } from 'zod';
import { ALL_STAGES, CHANNELS } from '../../shared/funnel.ts';
import { EVENT_TYPES } from '../../shared/wire.ts';
import { WEBHOOK_TYPES } from '../webhooks/endpoints.ts';
import { TEST_EVENT_TYPE } from '../webhooks/manual.ts';

const json = z.record(z.string(), z.unknown());
const nullableText = z.string().nullable();
const time = z.iso.datetime();

export const touchSchema = z
  .object({
    channel: z.enum(CHANNELS),
    source: nullableText,
    medium: nullableText,
    campaign: nullableText,
    referrer: nullableText,
    landingUrl: nullableText,
    at: time,
  })
  .nullable();

const stageHistorySchema = z.array(
  z.object({
    from: z.enum(ALL_STAGES).nullable(),
    to: z.enum(ALL_STAGES),
    at: time,
    reason: nullableText,
    actor: z.string(),
  }),
);

export const scoreSchema = z.object({
  total: z.number(),
  fit: z.number(),
  engagement: z.number(),
  breakdown: z.array(
    z.object({ ruleId: z.string(), label: z.string(), points: z.number(), count: z.int() }),
  ),
});

export const leadSchema = z.object({
  id: z.string(),
  email: nullableText,
  name: nullableText,
  traits: json,
  stage: z.enum(ALL_STAGES),
  score: scoreSchema,
  stageHistory: stageHistorySchema,
  identities: z.array(z.object({ kind: z.string(), value: z.string() })),
  anonymousIds: z.array(z.string()),
  firstTouch: touchSchema,
  lastTouch: touchSchema,
  createdAt: time,
  updatedAt: time,
  firstSeenAt: time.nullable(),
  lastSeenAt: time.nullable(),
});

export const page = <T extends z.ZodType>(item: T) =>
  z.object({ data: z.array(item), nextCursor: z.string().nullable() });

export const timelineEventSchema = z.object({
  id: z.string(),
  type: z.enum(EVENT_TYPES),
  name: nullableText,
  anonymousId: z.string(),
  sessionId: nullableText,
  timestamp: time,
  url: nullableText,
  referrer: nullableText,
  title: nullableText,
  properties: json,
  traits: json.nullable(),
  isBot: z.boolean(),
  trusted: z.boolean(),
});

export const sessionSchema = z.object({
  id: z.string(),
  startedAt: time,
  lastSeenAt: time,
  events: z.int(),
  pageviews: z.int(),
  channel: z.enum(CHANNELS),
  touch: touchSchema,
});

export const visitorSchema = z.object({
  anonymousId: z.string(),
  firstSeenAt: time,
  lastSeenAt: time,
  firstTouch: touchSchema,
  lastTouch: touchSchema,
  isBot: z.boolean(),
  leadId: nullableText,
});

export const visitorDetailSchema = visitorSchema.extend({
  sessions: z.array(sessionSchema),
  events: z.array(timelineEventSchema),
});

export const stageMovedSchema = z.object({
  id: z.string(),
  stage: z.enum(ALL_STAGES),
  moved: z.boolean(),
  stageHistory: stageHistorySchema,
});

export const trustedEventAnswerSchema = z.object({
  accepted: z.int(),
  duplicates: z.int(),
  lead: z.object({ id: z.string(), stage: z.enum(ALL_STAGES).nullable(), score: scoreSchema }),
});

export const scoringJobSchema = z.object({
  id: z.string(),
  status: z.enum(['running', 'done', 'failed']),
  done: z.int(),
  total: z.int(),
});

export const webhookSchema = z.object({
  id: z.string(),
  url: z.string(),
  events: z.array(z.enum(WEBHOOK_TYPES)),
  createdAt: time,
});

export const deliverySchema = z.object({
  id: z.string(),
  eventId: z.string(),
  type: z.enum([...WEBHOOK_TYPES, TEST_EVENT_TYPE]),
  status: z.string(),
  attempts: z.int(),
  lastStatus: z.int().nullable(),
  lastError: nullableText,
  nextAttemptAt: time.nullable(),
  createdAt: time,
  deliveredAt: time.nullable(),
});

export const submissionRecordSchema = z.object({
  id: z.string(),
  formId: z.string(),
  status: z.enum(['accepted', 'quarantined']),
  reason: nullableText,
  anonymousId: z.string(),
  values: json,
  consent: z.unknown(),
  url: nullableText,
  elapsedMs: z.number().nullable(),
  createdAt: time,
});

export const siteKeySchema = z.object({
  keyId: z.string(),
  kind: z.enum(['public', 'secret']),
  publicKey: nullableText,
  createdAt: time,
  revokedAt: time.nullable(),
});

export type Lead = z.infer<typeof leadSchema>;
export type Touch = z.infer<typeof touchSchema>;
export type TimelineEvent = z.infer<typeof timelineEventSchema>;
