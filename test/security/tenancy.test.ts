/**
 * The tenancy matrix: every authenticated endpoint (from `app.routes`) × every wrong credential.
 * Never a 2xx with another site's data, never a change to the victim site's rows.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../../collector/store/index.ts';
import { ORIGIN } from '../helpers/app.ts';
import { storeCases } from '../helpers/stores.ts';
import { discoverRoutes, fillPath, type Route, sampleBody } from './endpoints.ts';
import { securityFixture, siteDigest } from './fixture.ts';

type Fx = Awaited<ReturnType<typeof securityFixture>>;

const basic = (user: string) => `Basic ${Buffer.from(`${user}:`).toString('base64')}`;

/** Every wrong way to authenticate, as Authorization header values (null: none sent). */
function wrongCredentials(fx: Fx, route: Route): [string, string | null][] {
  const a = fx.fixture;
  const keyId = /^sk_([a-z0-9]{12})_/.exec(a.secretKey)![1]!;
  const bearer: [string, string | null][] = [
    ['no key', null],
    ['public key', `Bearer ${a.publicKey}`],
    ['malformed key', 'Bearer sk_not-a-key'],
    ['empty bearer', 'Bearer '],
    ['right key id, wrong secret', `Bearer sk_${keyId}_${'0'.repeat(32)}`],
    ['key with trailing garbage', `Bearer ${a.secretKey}x`],
    ['revoked key', `Bearer ${fx.revokedKey}`],
    ['revoked public key', `Bearer ${fx.revokedPublicKey}`],
    ["another site's secret key", `Bearer ${fx.other.secretKey}`],
    ['admin scheme confusion', `Basic ${a.secretKey}`],
  ];
  if (route.auth !== 'basic') return bearer;
  return [
    ...bearer,
    ['basic: public key', basic(a.publicKey)],
    ['basic: malformed', 'Basic !!!not-base64'],
    ['basic: revoked key', basic(fx.revokedKey)],
    ["basic: another site's secret key", basic(fx.other.secretKey)],
    ['basic: key as password', `Basic ${Buffer.from(`:${a.secretKey}`).toString('base64')}`],
  ];
}

describe.each(storeCases)('tenancy matrix on $name', (sc) => {
  let store: Store;
  let close: () => Promise<void>;
  let fx: Fx;
  let routes: Route[];

  beforeAll(async () => {
    ({ store, close } = await sc.open());
    fx = await securityFixture(store);
    routes = discoverRoutes(fx.h.app).filter((r) => ['secret', 'basic', 'admin'].includes(r.auth));
  });
  afterAll(() => close());

  it('covers every authenticated endpoint with every wrong credential', async () => {
    expect(routes.map((r) => `${r.method} ${r.path}`)).toEqual(
      expect.arrayContaining(['GET /v1/leads/:id/export', 'POST /v1/admin/sites/:id/keys']),
    );
    const victim = fx.fixture;
    const secrets = [
      victim.siteId,
      victim.leadId,
      victim.anonymousId,
      'victim@example.com',
      'victim-data',
    ];
    const failures: string[] = [];
    let requests = 0;
    for (const route of routes) {
      const before = await siteDigest(store, victim.siteId);
      for (const [name, auth] of wrongCredentials(fx, route)) {
        requests++;
        const headers = new Headers({ 'content-type': 'application/json', origin: ORIGIN });
        if (auth !== null) headers.set('authorization', auth);
        const hasBody = route.method !== 'GET' && route.method !== 'HEAD';
        const path = fillPath(route.path, victim);
        const body = hasBody ? JSON.stringify(sampleBody(route, victim)) : '';
        const res = await fx.h.app.request(path, {
          method: route.method,
          headers,
          ...(hasBody ? { body } : {}),
        });
        const text = await res.text();
        const where = `${route.method} ${route.path} with ${name} → ${res.status}`;
        const legitimateForOtherSite = name.includes("another site's") && route.auth !== 'admin';
        if (res.status < 300 && !legitimateForOtherSite) failures.push(`${where}: 2xx`);
        if (res.status >= 500) failures.push(`${where}: 5xx ${text}`);
        if (res.status >= 400 && res.headers.get('content-type') !== 'application/problem+json')
          failures.push(`${where}: not problem+json`);
        // An id the request itself named may be echoed back ("no lead X"); anything else is a leak.
        const leaked = secrets.filter(
          (s) => text.includes(s) && !path.includes(s) && !body.includes(s),
        );
        if (leaked.length > 0) failures.push(`${where}: leaked ${leaked.join(', ')}`);
      }
      const after = await siteDigest(store, victim.siteId);
      if (after !== before)
        failures.push(`${route.method} ${route.path}: changed the victim's rows`);
    }
    expect(failures).toEqual([]);
    expect(requests).toBeGreaterThanOrEqual(routes.length * 10);
  });

  it('the victim key itself works on the same requests (the matrix is not vacuous)', async () => {
    const res = await fx.h.app.request(`/v1/leads/${fx.fixture.leadId}/export`, {
      headers: { authorization: `Bearer ${fx.fixture.secretKey}` },
    });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('victim-data');
  });

  it('a revoked public key cannot write events', async () => {
    const res = await fx.h.app.request('/v1/collect', {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: ORIGIN },
      body: JSON.stringify({
        site: fx.revokedPublicKey,
        sentAt: Date.now(),
        events: [{ id: 'e-revoked', type: 'pageview', anonymousId: 'a', timestamp: Date.now() }],
      }),
    });
    expect(res.status).toBe(404);
    const { rows } = await store.query(`select 1 from events where event_id = 'e-revoked'`);
    expect(rows).toEqual([]);
  });
});
