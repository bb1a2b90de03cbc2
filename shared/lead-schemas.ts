/** zod schemas of the marketer API's lead and visitor endpoints (DESIGN §6). Collector side only. */
import { z } from 'zod';
import { CHANNELS } from './channel.ts';
import { propsSchema, text } from './schemas.ts';

/** Sort keys of the lead list; a leading `-` means descending. */
export const LEAD_SORTS = [
  '-score',
  'score',
  '-createdAt',
  'createdAt',
  '-lastSeenAt',
  'lastSeenAt',
] as const;
export type LeadSort = (typeof LEAD_SORTS)[number];

const STAGE = /^(visitor|lead|mql|sql|opportunity|customer|repeat_customer|disqualified|lost)$/;

const score = z.coerce.number().finite();

/**
 * The instants the API takes and writes into cursors, in ms since the epoch: years 0001–9999 in
 * UTC. Both stores keep a wider `timestamptz`, but `Date#toISOString` writes a later year as
 * `+010000-…` and an earlier one as `-000001-…`, which PostgreSQL refuses (a 500), as it refuses
 * year 0000: the edge refuses them with a 400 instead.
 */
export const INSTANT_RANGE = {
  min: Date.parse('0001-01-01T00:00:00.000Z'),
  max: Date.parse('9999-12-31T23:59:59.999Z'),
} as const;

/** The field message of an instant outside {@link INSTANT_RANGE}. */
export const INSTANT_RANGE_MESSAGE =
  'out of range: from 0001-01-01T00:00:00Z to 9999-12-31T23:59:59.999Z, offset applied';

/**
 * Whether `ms` (since the epoch) is in {@link INSTANT_RANGE}; false for NaN.
 *
 * @example inInstantRange(Date.parse('9999-12-31T23:59:59-12:00')) // false: year 10000 in UTC
 */
export const inInstantRange = (ms: number): boolean =>
  ms >= INSTANT_RANGE.min && ms <= INSTANT_RANGE.max;

/** A date or a date-time with offset, in {@link INSTANT_RANGE} once the offset is applied. */
const date = z.iso
  .datetime({ offset: true })
  .or(z.iso.date())
  .refine((s) => inInstantRange(Date.parse(s)), INSTANT_RANGE_MESSAGE)
  .transform((s) => new Date(s));

/** `limit` (1–200, default 50) and an opaque `cursor` from the previous page. */
export const pageQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: text(500).optional(),
});

/** Filters shared by `GET /v1/leads` and `GET /v1/leads/export.csv`. */
export const leadFilterSchema = z.object({
  /** One stage or a comma-separated list (`mql,sql`). */
  stage: z
    .string()
    .max(200)
    .transform((s) => s.split(',').map((x) => x.trim()))
    .pipe(z.array(z.string().regex(STAGE, 'an unknown stage')).min(1))
    .optional(),
  minScore: score.optional(),
  maxScore: score.optional(),
  /** Case-insensitive substring of the email or name. */
  q: text(200).optional(),
  /**
   * First-touch channel, one of DESIGN §8's: `channel=bogus` is a 400 naming the parameter, not
   * an empty list that reads as "no leads from there".
   */
  channel: z.enum(CHANNELS).optional().meta({ description: "the lead's first-touch channel" }),
  /** A saved segment's id (its filter is applied too). */
  segment: text(100).optional(),
  /** Leads created at or after this instant (`2026-01-15` is midnight UTC). */
  createdAfter: date.optional(),
  /** Leads created before this instant. */
  createdBefore: date.optional(),
});

export const leadListQuerySchema = leadFilterSchema.extend({
  sort: z.enum(LEAD_SORTS).default('-createdAt'),
  ...pageQuerySchema.shape,
  count: z.enum(['true', 'false']).optional().meta({
    description:
      '`true`: the answer also holds `total`, how many leads match the filters on every page (one more query)',
  }),
});

export const leadExportQuerySchema = leadFilterSchema.extend({
  sort: z.enum(LEAD_SORTS).default('-createdAt'),
});

/** `PATCH /v1/leads/{id}`: traits to merge; a `null` value removes the trait. */
export const patchLeadSchema = z.object({ traits: propsSchema });

/** `POST /v1/leads/{id}/merge`: the lead to merge into this one. */
export const mergeLeadSchema = z.object({ leadId: text(100).pipe(z.string().min(1)) });

/** `GET /v1/visitors`: `identified=true|false` narrows to visitors with or without a lead. */
export const visitorListQuerySchema = pageQuerySchema.extend({
  identified: z.enum(['true', 'false']).optional(),
});

export type LeadFilterInput = z.infer<typeof leadFilterSchema>;
export type LeadListQuery = z.infer<typeof leadListQuerySchema>;
