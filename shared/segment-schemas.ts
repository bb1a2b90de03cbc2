/** zod schemas of the Segment-compatible HTTP Tracking API (DESIGN §4). Collector side only. */
import { z } from 'zod';
import { propsSchema, text, timestamp } from './schemas.ts';

/** Segment message types; `group` is accepted and ignored (Touchpoint has no accounts yet). */
export const SEGMENT_TYPES = ['identify', 'track', 'page', 'screen', 'alias', 'group'] as const;
export type SegmentType = (typeof SEGMENT_TYPES)[number];

/** Messages in one `/v1/batch` (Segment caps a batch at 500 KB; this bounds the work). */
export const SEGMENT_BATCH_MAX = 2_500;

/** An id that Segment allows as string or number; numbers become strings. */
const idLike = z
  .union([text(256), z.number().finite()])
  .transform((v) => String(v))
  .nullable();

/** One Segment message. Unknown keys (`integrations`, `_metadata`, …) are accepted and ignored. */
const messageShape = z.looseObject({
  type: z.enum(SEGMENT_TYPES),
  /** The idempotency key: a replayed message is stored once. */
  messageId: text(128).pipe(z.string().min(1)).optional(),
  anonymousId: idLike.optional(),
  userId: idLike.optional(),
  /** `alias`: the id the user had before. */
  previousId: idLike.optional(),
  /** `track`: the event name. */
  event: text(200).optional(),
  /** `page` / `screen`: the page name. */
  name: text(200).nullable().optional(),
  properties: propsSchema.nullable().optional(),
  traits: propsSchema.nullable().optional(),
  context: propsSchema.nullable().optional(),
  timestamp: timestamp.optional(),
  originalTimestamp: timestamp.optional(),
  sentAt: timestamp.optional(),
});

/** A `track` names its event, as Segment's own API requires (a nameless one counts nothing). */
const trackHasEvent = (m: { type: SegmentType; event?: string }, ctx: z.RefinementCtx) => {
  if (m.type === 'track' && !m.event)
    ctx.addIssue({ code: 'custom', path: ['event'], message: 'a track message needs an event' });
};

export const segmentMessageSchema = messageShape.superRefine(trackHasEvent);

/** The body of `POST /v1/batch`. */
export const segmentBatchSchema = z.looseObject({
  batch: z.array(segmentMessageSchema).min(1).max(SEGMENT_BATCH_MAX),
  sentAt: timestamp.optional(),
  context: propsSchema.nullable().optional(),
  writeKey: text(200).optional(),
});

/** The body of `POST /v1/identify|track|page`: one message; `type` comes from the path. */
export const segmentSingleSchema = (type: SegmentType) =>
  z.preprocess(
    (v) => (typeof v === 'object' && v !== null && !Array.isArray(v) ? { ...v, type } : v),
    messageShape.extend({ writeKey: text(200).optional() }).superRefine(trackHasEvent),
  );

export type SegmentMessage = z.infer<typeof segmentMessageSchema>;
