/**
 * Server-side ingestion compatible with the Segment HTTP Tracking API (DESIGN §4): /v1/batch and
 * one route per message type (/v1/identify, /v1/track, /v1/page, /v1/screen, /v1/alias, /v1/group).
 */
import type { Context } from 'hono';
import { Hono } from 'hono';
import { pathsUnder } from '../../shared/json-storable.ts';
import {
  SEGMENT_TYPES,
  type SegmentMessage,
  segmentBatchSchema,
  segmentSingleSchema,
} from '../../shared/segment-schemas.ts';
import type { FieldError } from '../../shared/wire.ts';
import type { Deps, Env } from '../deps.ts';
import { bearer, siteOfSecretKey } from '../http/auth.ts';
import { HttpProblem } from '../http/problem.ts';
import { parse } from '../http/validate.ts';
import { hashIpWithSalt, IpSalts } from '../privacy/ip-salts.ts';
import type { Site } from '../sites/index.ts';
import { ingest } from './accept.ts';
import type { NewEvent } from './events.ts';
import { readSegmentJson } from './segment-body.ts';
import { mapMessage } from './segment-map.ts';

/** Paths of this API; they cap their own (larger, possibly compressed) bodies. */
export const SEGMENT_PATHS = new Set(['/v1/batch', ...SEGMENT_TYPES.map((t) => `/v1/${t}`)]);

const challenge = { 'WWW-Authenticate': 'Basic realm="touchpoint"' };

/**
 * The secret key of a request: HTTP Basic user name (password empty), `Bearer sk_…`, or the
 * body's `writeKey` (Segment libraries send both).
 */
function presentedKey(c: Context, writeKey: unknown): string | null {
  const auth = c.req.header('authorization') ?? '';
  const basic = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(auth);
  if (basic) {
    const decoded = Buffer.from(basic[1]!, 'base64').toString('utf8');
    return decoded.split(':')[0] || null;
  }
  return bearer(auth) ?? (typeof writeKey === 'string' ? writeKey : null);
}

/**
 * Reads the body and the site. A key in the header is checked before the body is read, so an
 * unauthenticated client cannot make the collector decompress anything. Unstorable strings in
 * the body are repaired (`storableJson`), their paths listed in `repaired` (`batch.0.properties.q`).
 */
async function authenticated(
  c: Context,
  deps: Deps,
): Promise<{ site: Site; raw: unknown; repaired: string[] }> {
  const repaired: string[] = [];
  if (c.req.header('authorization')) {
    const site = await authenticate(c, deps, undefined);
    return { site, raw: await readSegmentJson(c, repaired), repaired };
  }
  const raw = await readSegmentJson(c, repaired);
  return { site: await authenticate(c, deps, raw), raw, repaired };
}

/**
 * What message `i` had repaired, relative to it (`properties.q`): its own paths and, in a
 * batch, those of the batch's `context`, which every message's context is merged from.
 */
function repairedOf(repaired: readonly string[], prefix: string, i: number): string[] {
  if (!repaired.length) return [];
  if (!prefix) return repaired.slice(0, 20);
  const shared = repaired.filter((p) => p.startsWith('context.'));
  return [...pathsUnder(repaired, `${prefix}${i}.`), ...shared].slice(0, 20);
}

async function authenticate(c: Context, deps: Deps, raw: unknown): Promise<Site> {
  const writeKey =
    typeof raw === 'object' && raw !== null ? (raw as { writeKey?: unknown }).writeKey : undefined;
  return siteOfSecretKey(deps.store, presentedKey(c, writeKey), {
    detail: 'Send HTTP Basic auth with the secret key as user name',
    challenge,
  });
}

/**
 * Maps messages, collecting every message's field errors: `batch.3.anonymousId` in a batch
 * (`prefix` 'batch.'), `anonymousId` for a single message (`prefix` '').
 */
function toEvents(
  site: Site,
  messages: SegmentMessage[],
  batch: { sentAt?: number; context?: Record<string, unknown> | null },
  receivedAt: Date,
  prefix: string,
  hashIp: (ip: string | undefined) => string | undefined,
  repaired: readonly string[],
): NewEvent[] {
  const events: NewEvent[] = [];
  const errors: FieldError[] = [];
  messages.forEach((m, i) => {
    const e = mapMessage(site, m, batch, receivedAt, hashIp, repairedOf(repaired, prefix, i));
    if (e && 'path' in e)
      errors.push({ path: prefix ? `${prefix}${i}.${e.path}` : e.path, message: e.message });
    else if (e) events.push(e);
  });
  if (errors.length > 0)
    throw new HttpProblem(400, 'invalid', 'Some messages cannot be attributed', errors);
  return events;
}

/**
 * Segment-compatible routes. Events are trusted (sent with the secret key), stored with their
 * `messageId` as event id (a retried batch is stored once), and answered `200 {"success":true}`
 * after commit, as Segment clients expect.
 *
 * @example app.route('/', segmentRoutes(deps));
 */
export function segmentRoutes(deps: Deps) {
  const app = new Hono<Env>();
  // `context.ip` is hashed with the site's daily random salt, as on /v1/collect: never stored raw.
  const salts = new IpSalts();
  const ipHasher = async (site: Site, at: Date) => {
    const salt = await salts.get(deps.store, site.id, at);
    return (ip: string | undefined) => (ip ? hashIpWithSalt(ip, salt) : undefined);
  };

  app.post('/v1/batch', async (c) => {
    const receivedAt = deps.clock();
    const { site, raw, repaired } = await authenticated(c, deps);
    const body = parse(segmentBatchSchema, raw);
    const events = toEvents(
      site,
      body.batch,
      body,
      receivedAt,
      'batch.',
      await ipHasher(site, receivedAt),
      repaired,
    );
    await ingest(deps, site, events);
    return c.json({ success: true });
  });

  // Every type Segment's API has a route for: sources that call /v1/screen or /v1/alias directly
  // work as they do against Segment (`group` is answered and ignored, as inside a batch).
  for (const type of SEGMENT_TYPES) {
    const schema = segmentSingleSchema(type);
    app.post(`/v1/${type}`, async (c) => {
      const receivedAt = deps.clock();
      const { site, raw, repaired } = await authenticated(c, deps);
      const message = parse(schema, raw);
      const events = toEvents(
        site,
        [message],
        {},
        receivedAt,
        '',
        await ipHasher(site, receivedAt),
        repaired,
      );
      await ingest(deps, site, events);
      return c.json({ success: true });
    });
  }

  return app;
}
