/** `POST /v1/collect`: the tag's endpoint (DESIGN §4). */
import { createHash } from 'node:crypto';
import { Hono } from 'hono';
import { collectBatchSchema } from '../../shared/schemas.ts';
import type { Deps, Env } from '../deps.ts';
import { HttpProblem } from '../http/problem.ts';
import { DEFAULT_INGEST_LIMITS, ipKey, limitOrThrow, RateLimiter } from '../http/rate-limit.ts';
import { readJson } from '../http/validate.ts';
import { hashIpWithSalt, IpSalts } from '../privacy/ip-salts.ts';
import type { SiteCache } from '../sites/cache.ts';
import { originAllowed } from '../sites/index.ts';
import { ingest, toNewEvents } from './accept.ts';

/** The request's Origin, or the origin of its Referer when a browser sent no Origin. */
export function requestOrigin(
  origin: string | undefined,
  referer: string | undefined,
): string | null {
  if (origin && origin !== 'null') return origin;
  if (!referer) return null;
  try {
    return new URL(referer).origin;
  } catch {
    return null;
  }
}

/**
 * A daily-rotating hash of the client IP without a secret salt. `/v1/collect` uses the salted
 * `hashIpWithSalt` (collector/privacy); this stays for callers without a store at hand.
 * The day is part of the input, so hashes of different days cannot be joined.
 */
export function hashIp(ip: string | undefined, siteId: string, now: Date): string | undefined {
  if (!ip) return undefined;
  const day = now.toISOString().slice(0, 10);
  return createHash('sha256').update(`${day}|${siteId}|${ip}`).digest('base64url').slice(0, 16);
}

/** CORS for the public write endpoints: answers preflights; the real request is checked per site. */
export function publicCors(c: {
  req: { header(n: string): string | undefined };
  header(n: string, v: string): void;
}) {
  const origin = c.req.header('origin');
  if (origin) {
    c.header('Access-Control-Allow-Origin', origin);
    c.header('Vary', 'Origin');
    // The tag honours Retry-After on 429; cross-origin it can only read exposed headers.
    c.header('Access-Control-Expose-Headers', 'Retry-After');
  }
}

export function collectRoutes(
  deps: Deps,
  sites: SiteCache,
  clientIp: (c: unknown) => string | undefined,
) {
  const app = new Hono<Env>();
  const limits = deps.config.rateLimits ?? DEFAULT_INGEST_LIMITS;
  const now = () => deps.clock().getTime();
  const perSite = new RateLimiter(limits.site, now);
  const perIp = new RateLimiter(limits.ip, now);
  const salts = new IpSalts();

  app.options('/v1/collect', (c) => {
    publicCors(c);
    c.header('Access-Control-Allow-Methods', 'POST, OPTIONS');
    c.header('Access-Control-Allow-Headers', 'Content-Type');
    c.header('Access-Control-Max-Age', '86400');
    return c.body(null, 204);
  });

  app.post('/v1/collect', async (c) => {
    // Errors are readable by the page (the tag must tell "drop" from "retry"); they reveal nothing.
    publicCors(c);
    const receivedAt = deps.clock();
    const ip = clientIp(c);
    // Per IP before reading the body: a flood from one client costs no parsing and no lookup.
    if (ip) limitOrThrow(perIp, ipKey(ip), 'this address');
    const batch = await readJson(c, collectBatchSchema);
    const site = await sites.byPublicKey(batch.site);
    if (!site) throw new HttpProblem(404, 'unknown-site', 'No site has this public key');
    limitOrThrow(perSite, site.id, 'this site');
    const origin = requestOrigin(c.req.header('origin'), c.req.header('referer'));
    if (!originAllowed(origin, site.allowedOrigins)) {
      throw new HttpProblem(
        403,
        'origin-not-allowed',
        `Origin ${origin ?? '(none)'} may not write to this site`,
      );
    }
    // A random salt per site and day (deleted after the day): the hash cannot be reversed.
    const ipHash = ip
      ? hashIpWithSalt(ip, await salts.get(deps.store, site.id, receivedAt))
      : undefined;
    const events = toNewEvents(site, batch.events, {
      userAgent: c.req.header('user-agent'),
      ipHash,
      receivedAt,
      sentAt: batch.sentAt,
      trusted: false,
    });
    const res = await ingest(deps, site, events, batch.events.length - events.length);
    return c.json({ accepted: res.accepted, duplicates: res.duplicates }, 202);
  });

  return app;
}
