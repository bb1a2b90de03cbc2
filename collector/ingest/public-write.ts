/**
 * The gate every public write passes (the tag's events, form submissions): per-IP limit before
 * the body is read, validation (unstorable strings repaired first), the site of the public key,
 * per-site limit, the site's origin allow-list (or, for the site's own backend, its secret key),
 * and the client IP hashed with the site's daily random salt (never stored raw).
 */
import type { Context } from 'hono';
import type { z } from 'zod';
import type { Deps } from '../deps.ts';
import { bearer } from '../http/auth.ts';
import { HttpProblem } from '../http/problem.ts';
import { type IngestLimits, ipKey, limitOrThrow, RateLimiter } from '../http/rate-limit.ts';
import { readJson } from '../http/validate.ts';
import { hashIpWithSalt, IpSalts } from '../privacy/ip-salts.ts';
import type { SiteCache } from '../sites/cache.ts';
import { originAllowed, type Site, siteBySecretKey } from '../sites/index.ts';
import type { Queryable } from '../store/index.ts';

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

/** CORS for the public write endpoints: answers preflights; the real request is checked per site. */
export function publicCors(c: {
  req: { header(n: string): string | undefined };
  header(n: string, v: string): void;
}) {
  const origin = c.req.header('origin');
  if (origin) {
    c.header('Access-Control-Allow-Origin', origin);
    c.header('Vary', 'Origin');
    // The tag honours Retry-After on 429 and loads the forms chunk on Touchpoint-Forms;
    // cross-origin it can only read exposed headers.
    c.header('Access-Control-Expose-Headers', 'Retry-After, Touchpoint-Forms');
  }
}

/**
 * A public write (the tag's events, a form submission): its every answer, a 413 from the body
 * limit included, must be readable cross-origin. The tag drops what it can read as refused, but
 * takes an unreadable answer for a network error and resends it: an oversized event at the
 * head of its queue would then block everything behind it, on every page, for good.
 */
export const isPublicWrite = (method: string, path: string): boolean =>
  method === 'POST' && (path === '/v1/collect' || /^\/v1\/forms\/[^/]+\/submissions$/.test(path));

/** The answer to a public write endpoint's CORS preflight. */
export function publicPreflight(c: Context): Response {
  publicCors(c);
  c.header('Access-Control-Allow-Methods', 'POST, OPTIONS');
  c.header('Access-Control-Allow-Headers', 'Content-Type');
  c.header('Access-Control-Max-Age', '86400');
  return c.body(null, 204);
}

/** A write that passed the gate. */
export interface Admitted<T> {
  body: T;
  site: Site;
  receivedAt: Date;
  userAgent?: string;
  ipHash?: string;
  /** Paths of the body whose strings were made storable (`events.0.title`; `storableJson`). */
  repaired: string[];
}

/**
 * True when the request carries a secret key of `site` itself: a site's backend posting its own
 * form sends no Origin, and the key that can read every lead may also write.
 */
async function sentWithSecretKey(db: Queryable, c: Context, site: Site): Promise<boolean> {
  const key = bearer(c.req.header('authorization'));
  return key !== null && (await siteBySecretKey(db, key))?.id === site.id;
}

/**
 * A gate with its own rate limiters (the tag's events and form submissions have different
 * limits). Errors are readable cross-origin: the tag must tell "drop" from "retry".
 *
 * @example const { body, site } = await admit(c, collectBatchSchema);
 */
export function publicWriteGate(
  deps: Deps,
  sites: SiteCache,
  clientIp: (c: unknown) => string | undefined,
  limits: IngestLimits,
) {
  const now = () => deps.clock().getTime();
  const perSite = new RateLimiter(limits.site, now);
  const perIp = new RateLimiter(limits.ip, now);
  const salts = new IpSalts();
  return async function admit<S extends z.ZodType<{ site: string }>>(
    c: Context,
    schema: S,
  ): Promise<Admitted<z.infer<S>>> {
    publicCors(c);
    const receivedAt = deps.clock();
    const ip = clientIp(c);
    // Per IP before reading the body: a flood from one client costs no parsing and no lookup.
    // A request presenting a key is limited per IP after the key is checked, and not at all
    // when it is the site's own backend (every submission of its site comes from that server;
    // the per-site limit still holds).
    const keyed = c.req.header('authorization') !== undefined;
    if (ip && !keyed) limitOrThrow(perIp, ipKey(ip), 'this address');
    const repaired: string[] = [];
    const body = await readJson(c, schema, repaired);
    const site = await sites.byPublicKey(body.site);
    if (!site) throw new HttpProblem(404, 'unknown-site', 'No site has this public key');
    limitOrThrow(perSite, site.id, 'this site');
    const origin = requestOrigin(c.req.header('origin'), c.req.header('referer'));
    const allowed = originAllowed(origin, site.allowedOrigins);
    // The site's own key marks its backend whatever the Origin (a site allowing `*` included).
    const backend = keyed && (await sentWithSecretKey(deps.store, c, site));
    if (ip && keyed && !backend) limitOrThrow(perIp, ipKey(ip), 'this address');
    if (!allowed && !backend) {
      throw new HttpProblem(
        403,
        'origin-not-allowed',
        `Origin ${origin ?? '(none)'} may not write to this site`,
      );
    }
    const ipHash = ip
      ? hashIpWithSalt(ip, await salts.get(deps.store, site.id, receivedAt))
      : undefined;
    // A backend's HTTP client (`node`, `curl`) says nothing of the person: not judged a bot.
    const userAgent = backend ? undefined : c.req.header('user-agent');
    return { body, site, receivedAt, userAgent, ipHash, repaired };
  };
}
