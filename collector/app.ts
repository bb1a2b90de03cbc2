/** `createApp(deps)`: the whole collector as a Hono app that speaks only Request/Response. */
import type { Context } from 'hono';
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { apiRoutes } from './api/index.ts';
import type { Deps, Env } from './deps.ts';
import { formRoutes } from './forms/routes.ts';
import { healthRoutes } from './http/health.ts';
import { requestMetrics, routeOf } from './http/metrics.ts';
import { HttpProblem, problemResponse } from './http/problem.ts';
import { safeUrl } from './http/safe-url.ts';
import { staticRoutes } from './http/static.ts';
import { collectRoutes, isPublicWrite, publicCors } from './ingest/collect.ts';
import { SEGMENT_PATHS, segmentRoutes } from './ingest/segment.ts';
import { lifecycleRoutes } from './lifecycle/routes.ts';
import { privacyRoutes } from './privacy/routes.ts';
import { scoringRoutes } from './scoring/routes.ts';
import { SiteCache } from './sites/cache.ts';
import { adminRoutes } from './sites/routes.ts';
import { isUnavailable } from './store/index.ts';
import { webhookRoutes } from './webhooks/routes.ts';

/**
 * The client's address. Behind `hops` trusted proxies, each appending the address it saw to
 * `X-Forwarded-For`, the client is the `hops`-th entry from the right: entries further left
 * come from the client itself and prove nothing (taking the first would let anyone pick a new
 * address per request past the per-IP limits). Without proxies, the socket's peer.
 */
export function clientIp(hops = 0) {
  return (c: unknown): string | undefined => {
    const ctx = c as Context<{ Bindings: { incoming?: { socket?: { remoteAddress?: string } } } }>;
    const fwd = hops ? ctx.req.header('x-forwarded-for')?.split(',') : undefined;
    const forwarded = fwd?.[Math.max(0, fwd.length - hops)]?.trim();
    return forwarded || ctx.env?.incoming?.socket?.remoteAddress;
  };
}

/**
 * Builds the collector. No ports, no globals: everything comes from `deps`.
 *
 * @example
 * const app = createApp(deps);
 * const res = await app.request('/v1/collect', { method: 'POST', body, headers });
 */
export function createApp(deps: Deps): Hono<Env> {
  const app = new Hono<Env>();
  app.use('*', requestMetrics(deps.metrics));
  const sites = new SiteCache(deps.store, () => deps.clock().getTime());

  // Cap bodies before they are buffered: a flood of huge bodies cannot grow memory.
  const tooLarge = () =>
    new HttpProblem(413, 'too-large', `Bodies are limited to ${deps.config.bodyLimit} bytes`);
  const limit = bodyLimit({
    maxSize: deps.config.bodyLimit,
    onError: () => {
      throw tooLarge();
    },
  });
  // The Segment-compatible API caps its own bodies (Segment batches are up to 500 KB, gzipped).
  // A declared length is checked from its header, and GET/HEAD carry no body: Hono's bodyLimit
  // reads `c.req.raw.body`, which makes @hono/node-server build a web Request with a stream for
  // every request — 11 % of the collector's CPU at ingest (profile). Chunked bodies go through
  // it, and are counted as they arrive.
  app.use('/v1/*', (c, next) => {
    if (SEGMENT_PATHS.has(c.req.path) || c.req.method === 'GET' || c.req.method === 'HEAD')
      return next();
    // Before the limit: the tag must be able to read a 413 (see `isPublicWrite`).
    if (isPublicWrite(c.req.method, c.req.path)) publicCors(c);
    const declared = c.req.header('content-length');
    if (declared === undefined || c.req.header('transfer-encoding')) return limit(c, next);
    if (Number(declared) > deps.config.bodyLimit) throw tooLarge();
    return next();
  });

  // Path and query values reach SQL as parameters: refuse what PostgreSQL cannot store (400).
  app.use('/v1/*', safeUrl());

  app.route('/', healthRoutes(deps));
  const peer = clientIp(deps.config.trustedProxies);
  app.route('/', collectRoutes(deps, sites, peer));
  app.route('/', adminRoutes(deps, sites));
  app.route('/', segmentRoutes(deps));
  app.route('/', formRoutes(deps, peer, sites));
  app.route('/', lifecycleRoutes(deps));
  app.route('/', scoringRoutes(deps));
  app.route('/', webhookRoutes(deps));
  app.route('/', privacyRoutes(deps));
  app.route('/', apiRoutes(deps));
  app.route('/', staticRoutes(deps));

  // Why requests were refused (invalid, too-large, rate-limited, unavailable…), by route.
  const refused = deps.metrics.counter(
    'touchpoint_http_problems_total',
    'Requests answered with a problem (4xx/5xx), by route and problem type',
  );
  const problem = (c: Context, p: HttpProblem) => {
    refused.inc({ route: routeOf(c), type: p.code, status: p.status });
    return problemResponse(c, p);
  };

  // Returned, not thrown: a throw from notFound skips the middleware that counts requests.
  app.notFound((c) => problem(c, new HttpProblem(404, 'not-found', 'No such endpoint')));

  app.onError((err, c) => {
    if (err instanceof HttpProblem) return problem(c, err);
    if (isUnavailable(err)) {
      deps.log.warn('store unavailable', { error: String(err) });
      return problem(
        c,
        new HttpProblem(503, 'unavailable', 'The store is unreachable; retry later', undefined, {
          'Retry-After': '5',
        }),
      );
    }
    deps.log.error('unhandled error', {
      path: c.req.path,
      error: String(err),
      stack: (err as Error).stack,
    });
    return problem(c, new HttpProblem(500, 'internal', 'Unexpected error'));
  });

  return app;
}
