/** `POST /v1/collect`: the tag's endpoint (DESIGN §4). */
import { createHash } from 'node:crypto';
import { Hono } from 'hono';
import { collectBatchSchema } from '../../shared/schemas.ts';
import type { Deps, Env } from '../deps.ts';
import { HttpProblem } from '../http/problem.ts';
import { readJson } from '../http/validate.ts';
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
 * A daily-rotating hash of the client IP: enough to rate-limit and count, never the raw address.
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
  }
}

export function collectRoutes(
  deps: Deps,
  sites: SiteCache,
  clientIp: (c: unknown) => string | undefined,
) {
  const app = new Hono<Env>();

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
    const batch = await readJson(c, collectBatchSchema);
    const site = await sites.byPublicKey(batch.site);
    if (!site) throw new HttpProblem(404, 'unknown-site', 'No site has this public key');
    const origin = requestOrigin(c.req.header('origin'), c.req.header('referer'));
    if (!originAllowed(origin, site.allowedOrigins)) {
      throw new HttpProblem(
        403,
        'origin-not-allowed',
        `Origin ${origin ?? '(none)'} may not write to this site`,
      );
    }
    const events = toNewEvents(site, batch.events, {
      userAgent: c.req.header('user-agent'),
      ipHash: hashIp(clientIp(c), site.id, receivedAt),
      receivedAt,
      sentAt: batch.sentAt,
      trusted: false,
    });
    const res = await ingest(deps, site, events, batch.events.length - events.length);
    return c.json({ accepted: res.accepted, duplicates: res.duplicates }, 202);
  });

  return app;
}
