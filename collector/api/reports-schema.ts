/** zod shapes of the reports (queries and answers): the routes validate with them, OpenAPI documents them. */
import { z } from 'zod';
import { ALL_STAGES, CHANNELS } from '../../shared/funnel.ts';
import { INSTANT_RANGE, INSTANT_RANGE_MESSAGE, inInstantRange } from '../../shared/lead-schemas.ts';

/**
 * An instant in a query: `2026-01-15` (midnight UTC) or a full ISO date-time with offset, in
 * years 0001–9999 once the offset is applied (`INSTANT_RANGE`: what the stores read back).
 */
export const instantSchema = z
  .union([z.iso.date(), z.iso.datetime({ offset: true })])
  .refine((s) => inInstantRange(Date.parse(s)), INSTANT_RANGE_MESSAGE)
  .meta({ description: 'ISO date (`2026-01-15`, midnight UTC) or date-time with offset' });

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * The exclusive end of a report's window for its `to`: a marketer asking `to=2026-01-15` means
 * through the 15th, so a date-only `to` ends at the start of the next UTC day; a date-time is
 * taken as it is.
 *
 * @example reportEnd('2026-01-15').toISOString() // '2026-01-16T00:00:00.000Z'
 */
export function reportEnd(to: string): Date {
  const end = new Date(to);
  if (DATE_ONLY.test(to)) end.setUTCDate(end.getUTCDate() + 1);
  return end;
}

/** How far back a report reaches when only `to` is given. */
const DEFAULT_REPORT_MS = 30 * 86_400_000;

/**
 * The start of a report's window when `from` is not given: 30 days before its end.
 *
 * @example defaultReportFrom(new Date('2026-01-31T00:00:00Z')) // 2026-01-01T00:00:00.000Z
 */
export const defaultReportFrom = (end: Date): Date => new Date(end.getTime() - DEFAULT_REPORT_MS);

/**
 * A report's `to`: a date-only one means through that whole day, a date-time is exclusive. The
 * window's end must be an instant the stores read back ({@link reportEnd}: `9999-12-31` would
 * end in year 10000).
 */
const reportToSchema = z
  .union([z.iso.date(), z.iso.datetime({ offset: true })])
  .refine(
    (s) => inInstantRange(reportEnd(s).getTime()),
    'out of range: the window must end from 0001-01-01T00:00:00Z to 9999-12-31T23:59:59.999Z, offset applied (a date-only to runs through that day)',
  )
  .meta({
    description:
      'ISO date (`2026-01-15`: through the end of that day, UTC) or date-time with offset (exclusive)',
  });

/**
 * `from`, `to` (default: the 30 days up to now) and the optional `by=channel` breakdown. The
 * window is checked as the reports will run it: without `from`, its default start must be in
 * range too (`to=0001-01-01` would start in year 0), so `reportWindow` never leaves the range.
 */
export const reportQuerySchema = z
  .object({
    from: instantSchema.optional(),
    to: reportToSchema.optional(),
    by: z.enum(['channel']).optional().meta({ description: 'also break the report down' }),
  })
  .refine((q) => !q.from || !q.to || Date.parse(q.from) < reportEnd(q.to).getTime(), {
    message: 'from must be before to',
    path: ['from'],
  })
  .refine(
    (q) =>
      q.from ||
      !q.to ||
      !inInstantRange(reportEnd(q.to).getTime()) ||
      defaultReportFrom(reportEnd(q.to)).getTime() >= INSTANT_RANGE.min,
    {
      message: 'the default from (30 days before to) is before 0001-01-01T00:00:00Z: send from',
      path: ['from'],
    },
  );

export type ReportQuery = z.infer<typeof reportQuerySchema>;

const count = z.int().nonnegative();
const rate = z
  .number()
  .min(0)
  .max(1)
  .nullable()
  .meta({ description: 'null when nothing to divide' });

export const stageRowSchema = z.object({
  stage: z.enum(ALL_STAGES),
  count: count.meta({ description: 'people in this stage now' }),
  entered: count.meta({ description: 'entries into this stage within the window' }),
  converted: count.meta({
    description: 'of those entries, how many reached a later lifecycle stage by `to`',
  }),
  conversionRate: rate.meta({ description: 'converted / entered (null for exits or no entries)' }),
  timeInStage: z.object({
    samples: count.meta({ description: 'stays in this stage that ended within the window' }),
    medianSeconds: z.number().nullable(),
    p90Seconds: z.number().nullable(),
  }),
});

export const reasonSchema = z.object({ reason: z.string(), count });

export const modelStepSchema = z.object({
  id: z.string(),
  label: z.string(),
  stages: z.array(z.enum(ALL_STAGES)),
  count: count.meta({ description: 'people whose current stage maps to this step' }),
  entered: count.meta({ description: 'people entering this step within the window' }),
  share: rate.meta({ description: 'count / everyone mapped onto this model' }),
});

export const modelViewSchema = z.object({
  id: z.string(),
  label: z.string(),
  seed: z.string(),
  steps: z.array(modelStepSchema),
});

const funnelSection = {
  stages: z.array(stageRowSchema),
  reasons: z.object({ lost: z.array(reasonSchema), disqualified: z.array(reasonSchema) }),
  models: z.array(modelViewSchema),
};

export const funnelReportSchema = z.object({
  from: z.iso.datetime(),
  to: z.iso.datetime(),
  ...funnelSection,
  byChannel: z.array(z.object({ channel: z.enum(CHANNELS), ...funnelSection })).optional(),
});

export const channelRowSchema = z.object({
  channel: z.enum(CHANNELS),
  visitors: count.meta({ description: 'new visitors of the window' }),
  leads: count,
  mqls: count,
  customers: count,
  leadRate: rate,
  mqlRate: rate.meta({ description: 'mqls / leads' }),
  customerRate: rate.meta({ description: 'customers / leads' }),
});

export const channelsReportSchema = z.object({
  from: z.iso.datetime(),
  to: z.iso.datetime(),
  firstTouch: z.array(channelRowSchema),
  lastTouch: z.array(channelRowSchema),
});

export const formRowSchema = z.object({
  formId: z.string(),
  views: count,
  viewers: count.meta({ description: 'distinct browsers (anonymous ids) that saw the form' }),
  submissions: count,
  dismissals: count,
  conversionRate: rate.meta({
    description: 'submissions / views, at most 1 (null without views)',
  }),
});

export const formsReportSchema = z.object({
  from: z.iso.datetime(),
  to: z.iso.datetime(),
  forms: z.array(formRowSchema),
});

export type StageRow = z.infer<typeof stageRowSchema>;
export type ModelView = z.infer<typeof modelViewSchema>;
export type FunnelReport = z.infer<typeof funnelReportSchema>;
export type ChannelRow = z.infer<typeof channelRowSchema>;
export type ChannelsReport = z.infer<typeof channelsReportSchema>;
export type FormRow = z.infer<typeof formRowSchema>;
export type FormsReport = z.infer<typeof formsReportSchema>;
