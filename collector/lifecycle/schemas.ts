/** Request bodies of the lifecycle endpoints, validated at the edge. */
import { z } from 'zod';
import { propsSchema, text, timestamp } from '../../shared/schemas.ts';
import { EVENT_TYPES, type EventType, LIMITS } from '../../shared/wire.ts';
import { EXITS, STAGES } from './stages.ts';

const isEventType = (t: string): t is EventType => (EVENT_TYPES as readonly string[]).includes(t);

/** `POST /v1/leads/{id}/stage`: `{ stage, reason? }`. */
export const stageMoveSchema = z.strictObject({
  stage: z.enum([...STAGES, ...EXITS]),
  reason: text(1_000).pipe(z.string().trim().min(1)).optional(),
});

/**
 * `POST /v1/leads/{id}/events`: one trusted event, e.g. `{ type: 'track', name: 'purchase',
 * properties: { value: 99 } }`. Also accepted: `event` for `name` (Segment's spelling), a `type`
 * that is no event type as the name of a `track` (`{ type: 'purchase', value: 99 }`), and
 * top-level `value` / `currency`, which land in `properties`.
 */
export const trustedEventSchema = z
  .strictObject({
    /** Idempotency key; a replay with the same id is stored once. Default: a new id. */
    id: text(LIMITS.idChars).pipe(z.string().min(1)).optional(),
    type: text(LIMITS.nameChars).pipe(z.string().min(1)).default('track'),
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
    const named = b.name !== undefined || b.event !== undefined;
    if (!isEventType(b.type) && named)
      ctx.addIssue({
        code: 'custom',
        path: ['type'],
        message: `one of ${EVENT_TYPES.join(', ')}; or, without a name, the name of a track event`,
      });
    else if (b.type === 'track' && !named)
      ctx.addIssue({ code: 'custom', path: ['name'], message: 'a track event needs a name' });
  })
  .transform(({ event, value, currency, ...b }) => ({
    ...b,
    type: isEventType(b.type) ? b.type : 'track',
    name: b.name ?? event ?? (isEventType(b.type) ? undefined : b.type),
    properties:
      value === undefined && currency === undefined
        ? b.properties
        : {
            ...b.properties,
            ...(value !== undefined ? { value } : {}),
            ...(currency !== undefined ? { currency } : {}),
          },
  }));
