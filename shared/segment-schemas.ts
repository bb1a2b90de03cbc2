/** zod schemas of the Segment-compatible HTTP Tracking API (DESIGN §4). Collector side only. */
import { z } from 'zod';
import { MAX_EPOCH_MS, propsSchema, text } from './schemas.ts';

/** Segment message types; `group` is accepted and ignored (Touchpoint has no accounts yet). */
export const SEGMENT_TYPES = ['identify', 'track', 'page', 'screen', 'alias', 'group'] as const;
export type SegmentType = (typeof SEGMENT_TYPES)[number];

/** Messages in one `/v1/batch` (Segment caps a batch at 500 KB; this bounds the work). */
export const SEGMENT_BATCH_MAX = 2_500;

/**
 * A timestamp as Segment libraries send it: ISO 8601 string (or epoch ms); parsed to ms. Between
 * 1970 and the end of year 9999 (what both stores hold), and a day that exists: `Date.parse`
 * would roll `2026-02-30` over to 2 March.
 */
export const timestamp = z.union([text(64), z.number().finite()]).transform((v, ctx) => {
  const ms = typeof v === 'number' ? v : Date.parse(v);
  const day = typeof v === 'string' ? /^(\d{4}-\d{2}-\d{2})(?!\d)/.exec(v)?.[1] : undefined;
  if (!Number.isFinite(ms) || (day && !realDay(day))) {
    ctx.addIssue({ code: 'custom', message: 'not an ISO 8601 timestamp' });
    return z.NEVER;
  }
  if (ms < 0 || ms > MAX_EPOCH_MS) {
    ctx.addIssue({ code: 'custom', message: 'outside 1970–9999' });
    return z.NEVER;
  }
  return ms;
});

/** Whether `yyyy-mm-dd` names a day of the calendar (not `2026-02-30`, not `2026-13-01`). */
function realDay(day: string): boolean {
  const t = Date.parse(`${day}T00:00:00Z`);
  return Number.isFinite(t) && new Date(t).toISOString().slice(0, 10) === day;
}

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
