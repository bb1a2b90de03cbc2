/** zod shapes of saved segments: a name and a lead filter the leads list can apply (`segment=ID`). */
import { z } from 'zod';
import { ALL_STAGES, CHANNELS } from '../../shared/funnel.ts';
import { text } from '../../shared/schemas.ts';
import { instantSchema } from './reports-schema.ts';

const score = z.number().finite().min(-1_000_000).max(1_000_000);

const stage = z.enum(ALL_STAGES);
const UNKNOWN_STAGE = `a stage (${ALL_STAGES.join(', ')}), an array of them or a comma-separated list`;

/**
 * The stages a segment keeps, as the list takes them: one (`"mql"`, kept as it is, so segments
 * saved before several stages were allowed read the same), an array (`["mql", "sql"]`), or the
 * list's comma form (`"mql,sql"`, saved as the array).
 */
const stagesSchema = z
  .union(
    [
      stage,
      z.array(stage).min(1).max(ALL_STAGES.length),
      z
        .string()
        .max(200)
        .regex(/,/)
        .transform((s) => s.split(',').map((x) => x.trim()))
        .pipe(z.array(stage).min(1)),
    ],
    { error: UNKNOWN_STAGE },
  )
  .meta({ description: 'one stage, several (`["mql", "sql"]`) or the comma form (`"mql,sql"`)' });

/** The filters of `GET /v1/leads` a segment can save (DESIGN §6). */
export const segmentFilterSchema = z
  .strictObject({
    stage: stagesSchema.optional(),
    minScore: score.optional(),
    maxScore: score.optional(),
    channel: z.enum(CHANNELS).optional().meta({ description: "the lead's first-touch channel" }),
    q: text(200).optional().meta({ description: 'matches email or name' }),
    createdAfter: instantSchema.optional(),
    createdBefore: instantSchema.optional(),
  })
  .refine((f) => f.minScore === undefined || f.maxScore === undefined || f.minScore <= f.maxScore, {
    message: 'minScore must not exceed maxScore',
    path: ['minScore'],
  })
  .refine(
    (f) =>
      !f.createdAfter ||
      !f.createdBefore ||
      Date.parse(f.createdAfter) < Date.parse(f.createdBefore),
    { message: 'createdAfter must be before createdBefore', path: ['createdAfter'] },
  );

export const createSegmentSchema = z.strictObject({
  name: z.string().trim().min(1).max(200).pipe(text(200)),
  filter: segmentFilterSchema,
});

export const segmentSchema = z.object({
  id: z.string(),
  name: z.string(),
  filter: segmentFilterSchema,
  createdAt: z.iso.datetime(),
});

export const segmentListSchema = z.object({ data: z.array(segmentSchema) });

export type SegmentFilter = z.infer<typeof segmentFilterSchema>;
export type Segment = z.infer<typeof segmentSchema>;
