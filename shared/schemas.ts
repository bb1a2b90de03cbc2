/** zod schemas of the wire format (DESIGN §4). Collector side only: the widget never imports zod. */
import { z } from 'zod';
import { cut, fitJson } from './json-fit.ts';
import { JSON_LIMITS, jsonProblems, storableString } from './json-limits.ts';
import { EVENT_TYPES, LIMITS, type Props, type WireEvent } from './wire.ts';

export { JSON_LIMITS };

/** A string PostgreSQL stores byte-for-byte (no NUL, no lone surrogate), at most `max` long. */
export const text = (max: number) =>
  z
    .string()
    .max(max)
    .refine(storableString, 'contains a NUL character, a lone surrogate or a leading U+FEFF');

/** A storable string of any length (cut afterwards, by {@link cutText} or the event's transform). */
const anyText = z
  .string()
  .refine(storableString, 'contains a NUL character, a lone surrogate or a leading U+FEFF');

/**
 * Text the page provides and the visitor's request must not fail on (a URL, a title): a longer
 * one is cut to `max` characters, on a code point boundary, instead of being refused.
 */
export const cutText = (max: number) =>
  anyText.transform((s) => cut(s, max)).describe(`cut to ${max} characters when longer`);

const id = text(LIMITS.idChars).pipe(z.string().min(1));

/**
 * The end of year 9999 in ms since 1970: the last time whose ISO-8601 form has a four-digit year,
 * which is what PostgreSQL parses (`+275760-…` from a larger Date it does not).
 */
export const MAX_EPOCH_MS = 253_402_300_799_999;

/**
 * A point in time: ms since 1970 (what the tag sends) or an ISO 8601 string (what Segment
 * libraries send); parsed to ms. Between 1970 and the end of year 9999 (what both stores hold),
 * and a day that exists: `Date.parse` would roll `2026-02-30` over to 2 March. Whole ms: a
 * fraction (`performance.now()` arithmetic) is dropped.
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
  return Math.floor(ms);
});

/** Whether `yyyy-mm-dd` names a day of the calendar (not `2026-02-30`, not `2026-13-01`). */
function realDay(day: string): boolean {
  const t = Date.parse(`${day}T00:00:00Z`);
  return Number.isFinite(t) && new Date(t).toISOString().slice(0, 10) === day;
}

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

const jsonObject = z.custom<Props>(
  (v) => typeof v === 'object' && v !== null && !Array.isArray(v),
  'expected an object',
);

/** An event as the collector stores it: within the limits, with the paths cut to get there. */
export type FittedEvent<E> = E & {
  /** Dotted paths of values cut to their limit (`url`, `properties.q`); absent when none was. */
  truncated?: string[];
  /**
   * Dotted paths of values made storable before validation (lone surrogates or NUL replaced by
   * U+FFFD, a leading U+FEFF removed: `storableJson`), e.g. `title`, `properties.q`; absent when
   * none was. Set by the route that read the body.
   */
  repaired?: string[];
};

/**
 * Cuts what a real page can make too long — url, referrer and title past 2,048 characters, a
 * name past 200, property and trait values past {@link JSON_LIMITS} — rather than refusing the
 * batch: one ad-click URL or one big `track` property must not cost the visit's other events
 * (the tag drops a batch answered 400). Cut paths are recorded on the event. Unstorable strings
 * (lone surrogates, NUL, a leading U+FEFF) never get here: the public routes repair them first
 * (`storableJson`). What no page produces by accident stays a 400: wrong types, bad ids or times.
 */
function fitEvent(
  e: z.infer<typeof looseEventSchema>,
  ctx: z.RefinementCtx,
): FittedEvent<WireEvent> {
  const cuts: string[] = [];
  // `null` where a value may be absent is absent: an encoder that writes every field of its type.
  const out = Object.fromEntries(
    Object.entries(e).filter(([, v]) => v !== null),
  ) as unknown as FittedEvent<WireEvent>;
  for (const k of ['url', 'referrer', 'title', 'name'] as const) {
    const max = k === 'name' ? LIMITS.nameChars : LIMITS.urlChars;
    const v = out[k];
    if (v !== undefined && v.length > max) {
      out[k] = cut(v, max);
      cuts.push(k);
    }
  }
  for (const k of ['properties', 'traits'] as const) {
    const v = out[k];
    if (!v) continue;
    const fitted = fitJson(v, k, cuts) as Props;
    out[k] = fitted;
    for (const [path, message] of jsonProblems(fitted)) {
      ctx.addIssue({ code: 'custom', message, path: [k, ...(path ? path.split('.') : [])] });
    }
  }
  if (cuts.length) out.truncated = cuts;
  return out;
}

/**
 * Prefixes of the anonymous ids the collector makes up for events no browser sent:
 * `lead:<leadId>` for `POST /v1/leads/{id}/events` (`leadAnonymousId` in `lifecycle/`) and
 * `uid:<userId>` for Segment messages with only a `userId` (`anonymousIdOf` in `ingest/`). They
 * are linked to leads like browsers, so merges, erasure, timelines and scoring need no special
 * case; but they are nobody's device, so they are never visitors (`collector/identity/browsers.ts`).
 */
export const SERVER_ANONYMOUS_ID_PREFIXES = ['lead:', 'uid:'] as const;

/**
 * True when events under this anonymous id come from a browser (or a server speaking for one,
 * as Segment's `anonymousId` does), not from an id the collector made up for server-side events.
 *
 * @example isBrowserAnonymousId('8f14e45f-…') // true; isBrowserAnonymousId('lead:lead_abc') // false
 */
export function isBrowserAnonymousId(anonymousId: string): boolean {
  return !SERVER_ANONYMOUS_ID_PREFIXES.some((p) => anonymousId.startsWith(p));
}

/**
 * A browser's anonymous id, as the public routes take it: never one of the collector's own
 * server-side ids, which are linked to their leads — a page naming `uid:<a guessable userId>`
 * would write its events into that person's lead (and score).
 */
export const browserAnonymousId = id.refine(
  isBrowserAnonymousId,
  'lead: and uid: ids are reserved for server-side events',
);

/** Optional fields also take `null` (absent, as a JSON encoder writing every field sends it). */
const looseEventSchema = z.object({
  id,
  type: z.enum(EVENT_TYPES),
  anonymousId: browserAnonymousId,
  sessionId: id.nullish(),
  timestamp,
  url: anyText.describe(`cut to ${LIMITS.urlChars} characters when longer`).nullish(),
  referrer: anyText.describe(`cut to ${LIMITS.urlChars} characters when longer`).nullish(),
  title: anyText.describe(`cut to ${LIMITS.urlChars} characters when longer`).nullish(),
  name: anyText.describe(`cut to ${LIMITS.nameChars} characters when longer`).nullish(),
  properties: jsonObject.nullish(),
  traits: jsonObject.nullish(),
});

/** One `/v1/collect` event; over-long values are cut (see `fitEvent`), not refused. */
export const wireEventSchema = looseEventSchema.transform(fitEvent);

export const collectBatchSchema = z.object({
  site: text(64).pipe(z.string().min(1)),
  /** The client clock at send time, for skew correction; without it times are taken as sent. */
  sentAt: timestamp.optional(),
  events: z.array(wireEventSchema).min(1).max(LIMITS.batchEvents),
});

/**
 * An allowed origin as browsers send it in `Origin`: what a person pastes from the address bar
 * (`https://Bücher.de/`) becomes `https://xn--bcher-kva.de` — scheme and host lowercased, the
 * host in its ASCII form, a default port and a bare trailing `/` dropped. Anything with a path,
 * query or credentials is left as typed, for the pattern to refuse.
 *
 * @example asOrigin(' https://WWW.Example.com:443/ ') // 'https://www.example.com'
 */
export function asOrigin(typed: string): string {
  const s = typed.trim();
  if (s === '*') return s;
  try {
    const u = new URL(s);
    if (u.pathname !== '/' || u.search || u.hash || u.username || u.password || s.endsWith('?'))
      return s;
    return `${u.protocol}//${u.host}`;
  } catch {
    return s;
  }
}

/** A site's allowed origins as pasted from the address bar, each normalised by {@link asOrigin}. */
const allowedOriginsSchema = z
  .array(
    z
      .string()
      .max(300)
      .transform(asOrigin)
      .pipe(
        z
          .string()
          // A wildcard covers the subdomains of a domain (`*.example.com`), never of a bare
          // top-level domain (`*.com`); the port is one a URL can have (what fails to parse
          // is left as typed by asOrigin).
          .refine(
            (o) =>
              o === '*' ||
              (/^https?:\/\/(\*\.[a-z0-9-]+\.)?[a-z0-9.-]+(:\d{1,5})?$/.test(o) &&
                URL.canParse(o.replace('*.', 'x.'))),
            'an origin such as https://example.com, https://*.example.com or *',
          ),
      ),
  )
  .max(100);

const siteName = z.string().trim().min(1).max(200).pipe(text(200));
const botPolicy = z.enum(['flag', 'drop', 'allow']);

/**
 * An object of `shape` where every other key is a 400 at its own path (`settings.x`), where
 * zod's strict objects would report it at the object's path; documented as
 * `additionalProperties: false`. A typo in a setting must not be a silent no-op.
 */
function closedObject<S extends z.ZodRawShape>(shape: S) {
  return z
    .object(shape)
    .catchall(z.unknown())
    .superRefine((v, ctx) => {
      for (const k of Object.keys(v))
        if (!Object.hasOwn(shape, k))
          ctx.addIssue({
            code: 'custom',
            path: [k],
            message: `unknown key (known: ${Object.keys(shape).join(', ')})`,
          });
    })
    .meta({ additionalProperties: false });
}

/** How long never-identified visitors are kept, in days (`collector/privacy/retention.ts`). */
const retentionDays = z.int().min(1).max(3650).meta({
  description:
    'days a never-identified visitor is kept after their last activity (default 395, about 13 months)',
});

/** Per-site settings (`sites.settings`); a key left out takes its default. */
const siteSettingsSchema = closedObject({ retentionDays: retentionDays.optional() });

export const createSiteSchema = z.object({
  name: siteName,
  allowedOrigins: allowedOriginsSchema,
  botPolicy: botPolicy.optional(),
  settings: siteSettingsSchema.optional(),
});

/**
 * `PATCH /v1/admin/sites/{id}`: each field given replaces the site's; `settings` is a merge
 * patch (RFC 7396): a key set to `null` is removed (back to its default), the others are kept.
 */
export const patchSiteSchema = closedObject({
  name: siteName.optional(),
  allowedOrigins: allowedOriginsSchema.optional(),
  botPolicy: botPolicy.optional(),
  settings: closedObject({
    retentionDays: retentionDays.nullable().optional(),
  })
    .optional()
    .meta({ description: 'merge patch: a key set to `null` goes back to its default' }),
});

export type CollectBatchInput = z.infer<typeof collectBatchSchema>;
export type WireEventInput = z.infer<typeof wireEventSchema>;
export type CreateSiteInput = z.infer<typeof createSiteSchema>;
export type PatchSiteInput = z.infer<typeof patchSiteSchema>;
