/** zod schemas of the wire format (DESIGN §4). Collector side only: the widget never imports zod. */
import { z } from 'zod';
import { JSON_LIMITS, jsonProblems, storableString } from './json-limits.ts';
import { EVENT_TYPES, LIMITS } from './wire.ts';

export { JSON_LIMITS };

/** A string PostgreSQL stores byte-for-byte (no NUL, no lone surrogate), at most `max` long. */
export const text = (max: number) =>
  z
    .string()
    .max(max)
    .refine(storableString, 'contains a NUL character, a lone surrogate or a leading U+FEFF');

const id = text(LIMITS.idChars).pipe(z.string().min(1));

/**
 * Milliseconds since 1970 up to the end of year 9999: the range whose ISO-8601 form has a
 * four-digit year, which is what PostgreSQL parses (`+275760-…` from a larger Date it does not).
 */
const epochMs = z.number().int().nonnegative().max(253_402_300_799_999);

/**
 * Free-form properties or traits: a JSON object within {@link JSON_LIMITS}. The parsed value is
 * the original object (never rebuilt), so keys like `__proto__` stay plain data.
 */
export const propsSchema = z
  .custom<Record<string, unknown>>(
    (v) => typeof v === 'object' && v !== null && !Array.isArray(v),
    'expected an object',
  )
  .superRefine((v, ctx) => {
    for (const [path, message] of jsonProblems(v)) {
      ctx.addIssue({ code: 'custom', message, path: path ? path.split('.') : [] });
    }
  });

export const wireEventSchema = z.object({
  id,
  type: z.enum(EVENT_TYPES),
  anonymousId: id,
  sessionId: id.optional(),
  timestamp: epochMs,
  url: text(LIMITS.urlChars).optional(),
  referrer: text(LIMITS.urlChars).optional(),
  title: text(LIMITS.urlChars).optional(),
  name: text(LIMITS.nameChars).optional(),
  properties: propsSchema.optional(),
  traits: propsSchema.optional(),
});

export const collectBatchSchema = z.object({
  site: text(64).pipe(z.string().min(1)),
  sentAt: epochMs,
  events: z.array(wireEventSchema).min(1).max(LIMITS.batchEvents),
});

export const createSiteSchema = z.object({
  name: z.string().trim().min(1).max(200),
  allowedOrigins: z
    .array(
      z
        .string()
        .max(300)
        .regex(
          /^(\*|https?:\/\/(\*\.)?[a-z0-9.-]+(:\d{1,5})?)$/i,
          'an origin such as https://example.com, https://*.example.com or *',
        ),
    )
    .max(100),
  botPolicy: z.enum(['flag', 'drop', 'allow']).optional(),
});

export type CollectBatchInput = z.infer<typeof collectBatchSchema>;
export type WireEventInput = z.infer<typeof wireEventSchema>;
export type CreateSiteInput = z.infer<typeof createSiteSchema>;
