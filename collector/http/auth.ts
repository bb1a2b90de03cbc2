/** Authentication at the edge: secret keys for the marketer API, the admin token for admin. */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import type { Env } from '../deps.ts';
import { type Site, siteBySecretKey } from '../sites/index.ts';
import type { Queryable } from '../store/index.ts';
import { HttpProblem } from './problem.ts';

const challenge = { 'WWW-Authenticate': 'Bearer realm="touchpoint"' };

/** The bearer token of a request, or null. */
export function bearer(header: string | undefined): string | null {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return m ? m[1]! : null;
}

/**
 * The site of a presented secret key, or a 401 problem: `missing` says how to send one (the
 * marketer API takes Bearer, the Segment-compatible API Basic). A malformed, public, unknown or
 * revoked key is refused the same way.
 *
 * @example const site = await siteOfSecretKey(db, key, { detail: 'Send …', challenge });
 */
export async function siteOfSecretKey(
  db: Queryable,
  key: string | null,
  missing: { detail: string; challenge: Record<string, string> },
): Promise<Site> {
  if (!key)
    throw new HttpProblem(401, 'unauthenticated', missing.detail, undefined, missing.challenge);
  const site = await siteBySecretKey(db, key);
  if (!site) {
    throw new HttpProblem(
      401,
      'invalid-key',
      'This key is not a valid secret key',
      undefined,
      missing.challenge,
    );
  }
  return site;
}

const bearerMissing = { detail: 'Send Authorization: Bearer sk_…', challenge };

/**
 * Requires `Authorization: Bearer sk_…` and puts its site on the context. A missing, malformed,
 * public, unknown or revoked key gets 401; data of another site is then simply not found.
 */
export function requireSecretKey(db: Queryable): MiddlewareHandler<Env> {
  return async (c, next) => {
    const key = bearer(c.req.header('authorization'));
    c.set('site', await siteOfSecretKey(db, key, bearerMissing));
    await next();
  };
}

/** Constant-time comparison of two tokens of any length. */
export function tokensEqual(a: string, b: string): boolean {
  const ha = createHash('sha256').update(a).digest();
  const hb = createHash('sha256').update(b).digest();
  return timingSafeEqual(ha, hb);
}

/** Requires the admin token; the admin API does not exist (404) when no token is configured. */
export function requireAdmin(token: string | undefined): MiddlewareHandler<Env> {
  return async (c, next) => {
    if (!token)
      throw new HttpProblem(
        404,
        'not-found',
        'The admin API is disabled (set TOUCHPOINT_ADMIN_TOKEN)',
      );
    const presented = bearer(c.req.header('authorization'));
    if (!presented || !tokensEqual(presented, token)) {
      throw new HttpProblem(
        401,
        'unauthenticated',
        'Send Authorization: Bearer <admin token>',
        undefined,
        challenge,
      );
    }
    await next();
  };
}
