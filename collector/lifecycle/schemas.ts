/** Request bodies of the lifecycle endpoints, validated at the edge. */
import { z } from 'zod';
import { propsSchema, text } from '../../shared/schemas.ts';
import { timestamp } from '../../shared/segment-schemas.ts';
import { EVENT_TYPES, LIMITS } from '../../shared/wire.ts';
import { EXITS, STAGES } from './stages.ts';

/** `POST /v1/leads/{id}/stage`: `{ stage, reason? }`. */
export const stageMoveSchema = z.strictObject({
  stage: z.enum([...STAGES, ...EXITS]),
  reason: text(1_000).pipe(z.string().trim().min(1)).optional(),
});

/**
 * `POST /v1/leads/{id}/events`: one trusted event, e.g. `{ type: 'track', name: 'purchase',
 * properties: { value: 99 } }`. Also accepted: `event` for `name` (Segment's spelling) and
 * top-level `value` / `currency`, which land in `properties`.
 */
export const trustedEventSchema = z
  .strictObject({
    /** Idempotency key; a replay with the same id is stored once. Default: a new id. */
    id: text(LIMITS.idChars).pipe(z.string().min(1)).optional(),
    type: z.enum(EVENT_TYPES).default('track'),
    name: text(LIMITS.nameChars).pipe(z.string().min(1)).optional(),
    event: text(LIMITS.nameChars).pipe(z.string().min(1)).optional(),
    /** ms since epoch or ISO 8601 (as the Segment-compatible API); default now; never in the future. */
    timestamp: timestamp.optional(),
    url: text(LIMITS.urlChars).optional(),
    value: z.number().finite().optional(),
    currency: text(10).optional(),
    properties: propsSchema.optional(),
  })
  .superRefine((b, ctx) => {
    if (b.type === 'track' && b.name === undefined && b.event === undefined)
      ctx.addIssue({ code: 'custom', path: ['name'], message: 'a track event needs a name' });
  })
  .transform(({ event, value, currency, ...b }) => ({
    ...b,
    name: b.name ?? event,
    properties:
      value === undefined && currency === undefined
        ? b.properties
        : {
            ...b.properties,
            ...(value !== undefined ? { value } : {}),
            ...(currency !== undefined ? { currency } : {}),
          },
  }));
