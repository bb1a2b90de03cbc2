/**
 * Hostile input against every endpoint (discovered from `app.routes`): no 5xx, problem+json on
 * every 4xx, no hang, no prototype pollution. Fixed seed; the case count is asserted.
 */
import { appendFileSync } from 'node:fs';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { migrate, openPGlite } from '../../collector/store/index.ts';
import { ADMIN_TOKEN } from '../helpers/app.ts';
import { authHeaders, discoverRoutes, fillPath, type Route, sampleBody } from './endpoints.ts';
import { securityFixture } from './fixture.ts';
import {
  contentType,
  encodeLoose,
  hostileQuery,
  hostileString,
  hostileValue,
  mutate,
  rawBody,
  toJsonText,
} from './hostile.ts';

const SEED = 20261123;
const TIMEOUT_MS = 5_000;

const store = await openPGlite();
await migrate(store);
const { h, fixture } = await securityFixture(store);
const routes = discoverRoutes(h.app).filter((r) => r.path.startsWith('/v1/'));
const others = routes.filter((r) => r.path !== '/v1/collect').length;
/** Runs per route: /v1/collect gets 700; the rest share 1,600 (at least 60 each). */
const runsFor = (r: Route) =>
  r.path === '/v1/collect' ? 700 : Math.max(60, Math.floor(1_600 / Math.max(1, others)));

const protoBefore = Object.getOwnPropertyNames(Object.prototype).join();
const arrayProtoBefore = Object.getOwnPropertyNames(Array.prototype).join();
let cases = 0;
const statuses = new Map<number, number>();

afterAll(async () => {
  await store.close();
});

/** One generated attack on a route. */
interface HostileRequest {
  body: string | Uint8Array;
  type: string;
  query: string;
  /** Replaces every path parameter when set. */
  param: string | null;
  /** Replaces the credentials when set. */
  badAuth: string | null;
}

/** A request for `route`: hostile body, content type, query, path params and credentials. */
function requestFor(route: Route): fc.Arbitrary<HostileRequest> {
  const sample = sampleBody(route, fixture);
  const body = fc.oneof(
    { weight: 5, arbitrary: mutate(sample).map(toJsonText) },
    { weight: 2, arbitrary: rawBody },
    { weight: 1, arbitrary: hostileValue.map(toJsonText) },
  );
  return fc.record({
    body,
    type: fc.oneof(
      { weight: 6, arbitrary: fc.constant('application/json') },
      { weight: 2, arbitrary: contentType },
    ),
    query: fc.oneof(
      { weight: 2, arbitrary: fc.constant('') },
      { weight: 1, arbitrary: hostileQuery },
    ),
    param: fc.option(
      hostileString.filter((s) => s.length < 2_000),
      { freq: 2 },
    ),
    // Mostly the right credentials (to reach validation and storage), sometimes hostile ones.
    badAuth: fc.oneof(
      { weight: 7, arbitrary: fc.constant(null) },
      { weight: 1, arbitrary: hostileString.filter((s) => s.length < 200) },
    ),
  });
}

async function send(route: Route, req: HostileRequest): Promise<Response> {
  const path = fillPath(
    route.path,
    fixture,
    req.param === null ? undefined : () => encodeLoose(req.param!),
  );
  const headers = new Headers();
  for (const [k, v] of Object.entries(authHeaders(route, fixture, ADMIN_TOKEN))) headers.set(k, v);
  if (req.badAuth !== null) {
    try {
      headers.set('authorization', `Bearer ${req.badAuth}`);
    } catch {
      // not a valid header value: a client library would refuse to send it as well
    }
  }
  try {
    headers.set('content-type', req.type);
  } catch {}
  const hasBody = route.method !== 'GET' && route.method !== 'HEAD';
  const init: RequestInit = {
    method: route.method,
    headers,
    ...(hasBody ? { body: req.body as BodyInit } : {}),
  };
  const timeout = new Promise<never>((_, reject) =>
    setTimeout(() => reject(new Error(`no answer in ${TIMEOUT_MS} ms`)), TIMEOUT_MS).unref(),
  );
  return Promise.race([h.app.request(`${path}${req.query ? `?${req.query}` : ''}`, init), timeout]);
}

describe('hostile input on every endpoint (PGlite)', () => {
  it('found the endpoints to attack', () => {
    expect(routes.map((r) => `${r.method} ${r.path}`)).toContain('POST /v1/collect');
  });

  it.each(routes.map((r) => [`${r.method} ${r.path}`, r] as const))(
    '%s: no 5xx, problem+json on 4xx, no hang, no prototype pollution',
    async (_name, route) => {
      await fc.assert(
        fc.asyncProperty(requestFor(route), async (req) => {
          cases++;
          const res = await send(route, req);
          statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
          if (process.env.FUZZ_DEBUG)
            appendFileSync(process.env.FUZZ_DEBUG, `${route.method} ${route.path} ${res.status}\n`);
          const text = await res.text();
          expect(res.status, `${route.method} ${route.path} → ${res.status} ${text}`).toBeLessThan(
            500,
          );
          if (res.status >= 400) {
            expect(res.headers.get('content-type')).toBe('application/problem+json');
            expect(JSON.parse(text).status).toBe(res.status);
          }
          expect(Object.getOwnPropertyNames(Object.prototype).join()).toBe(protoBefore);
          expect(Object.getOwnPropertyNames(Array.prototype).join()).toBe(arrayProtoBefore);
          expect(({} as Record<string, unknown>).polluted).toBeUndefined();
        }),
        { seed: SEED, numRuns: runsFor(route), endOnFailure: true },
      );
    },
    60_000,
  );

  it('threw at least 2,000 hostile requests in all', () => {
    expect(cases).toBeGreaterThanOrEqual(2_000);
    // Visible in the test output: what the collector answered to the attacks.
    console.info('fuzz cases', cases, 'statuses', Object.fromEntries([...statuses].sort()));
  });
});
