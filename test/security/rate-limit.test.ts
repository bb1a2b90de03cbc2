import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { proxyHops, readEnv } from '../../collector/config.ts';
import { RateLimiter } from '../../collector/http/rate-limit.ts';
import { event, harness, ORIGIN, testClock } from '../helpers/app.ts';
import { suiteHarness } from '../helpers/fixture.ts';
import { storeCases } from '../helpers/stores.ts';

describe('TOUCHPOINT_TRUST_PROXY', () => {
  it('counts the proxies that append to X-Forwarded-For; anything else trusts none', () => {
    expect(readEnv({ TOUCHPOINT_TRUST_PROXY: '1' }).config.trustedProxies).toBe(1);
    expect(readEnv({}).config.trustedProxies).toBe(0);
    expect(['2', '0', '', 'yes', '-1', '1.5', ' '].map(proxyHops)).toEqual([2, 0, 0, 0, 0, 0, 0]);
  });
});

describe('RateLimiter', () => {
  it('allows a burst, then refuses with the seconds to wait, then refills', () => {
    let t = 0;
    const l = new RateLimiter({ perSecond: 2, burst: 3 }, () => t);
    expect([l.take('a'), l.take('a'), l.take('a')]).toEqual([0, 0, 0]);
    expect(l.take('a')).toBe(1);
    expect(l.take('b')).toBe(0); // keys are independent
    t += 500;
    expect(l.take('a')).toBe(0);
    expect(l.take('a')).toBeGreaterThan(0);
  });

  it('keeps at most maxKeys buckets whatever the number of keys (LRU)', () => {
    fc.assert(
      fc.property(fc.array(fc.string(), { maxLength: 300 }), (keys) => {
        const l = new RateLimiter({ perSecond: 1, burst: 1 }, () => 0, 50);
        for (const k of keys) l.take(k);
        expect(l.size).toBeLessThanOrEqual(50);
      }),
      { seed: 8, numRuns: 100 },
    );
  });

  it('never lets more through than burst + rate × time', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 50 }),
        fc.integer({ min: 1, max: 50 }),
        fc.array(fc.integer({ min: 0, max: 200 }), { maxLength: 200 }),
        (rate, burst, gaps) => {
          let t = 0;
          const l = new RateLimiter({ perSecond: rate, burst }, () => t);
          let allowed = 0;
          for (const g of gaps) {
            t += g;
            if (l.take('k') === 0) allowed++;
          }
          expect(allowed).toBeLessThanOrEqual(burst + Math.floor((rate * t) / 1000) + 1);
        },
      ),
      { seed: 8, numRuns: 200 },
    );
  });

  it('is off at rate 0', () => {
    const l = new RateLimiter({ perSecond: 0, burst: 0 });
    for (let i = 0; i < 1000; i++) expect(l.take('x')).toBe(0);
    expect(l.size).toBe(0);
  });
});

describe.each(storeCases)('rate limits on /v1/collect on $name', (sc) => {
  const clock = testClock(Date.now());
  const h = suiteHarness(sc, {
    clock,
    config: {
      rateLimits: { site: { perSecond: 5, burst: 10 }, ip: { perSecond: 1, burst: 3 } },
    },
  });

  const from = (ip: string | undefined) =>
    h.app.request(
      '/v1/collect',
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: ORIGIN },
        body: JSON.stringify({ site: h.site.publicKey, sentAt: Date.now(), events: [event()] }),
      },
      ip ? { incoming: { socket: { remoteAddress: ip } } } : undefined,
    );

  it('limits one client IP with 429 problem+json and Retry-After, readable cross-origin', async () => {
    const statuses = [];
    for (let i = 0; i < 5; i++) statuses.push((await from('203.0.113.7')).status);
    expect(statuses).toEqual([202, 202, 202, 429, 429]);
    const res = await from('203.0.113.7');
    expect(res.status).toBe(429);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(res.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    expect(await res.json()).toMatchObject({ status: 429, title: 'Too many requests' });
    // Another client is not affected; the first one may send again after Retry-After.
    expect((await from('198.51.100.1')).status).toBe(202);
    clock.advance(1_000 * Number(res.headers.get('retry-after')));
    expect((await from('203.0.113.7')).status).toBe(202);
  });

  it('behind trusted proxies, limits the client the last proxy saw, whatever it wrote before', async () => {
    // A load balancer behind the site's first-party path: two proxies append to the header.
    const behind = await harness(h.store, {
      clock,
      config: {
        rateLimits: { site: { perSecond: 0, burst: 0 }, ip: { perSecond: 1, burst: 3 } },
        trustedProxies: 2,
      },
    });
    const via = (forwardedFor: string) =>
      behind.app.request(
        '/v1/collect',
        {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            origin: ORIGIN,
            'x-forwarded-for': forwardedFor,
          },
          body: JSON.stringify({
            site: behind.site.publicKey,
            sentAt: Date.now(),
            events: [event()],
          }),
        },
        { incoming: { socket: { remoteAddress: '10.0.0.9' } } },
      );
    const spoofing = [];
    for (let i = 0; i < 5; i++)
      spoofing.push((await via(`1.2.3.${i}, 203.0.113.50, 10.0.0.2`)).status);
    expect(spoofing).toEqual([202, 202, 202, 429, 429]);
    // Another client behind the same proxies is not affected.
    expect((await via('203.0.113.51, 10.0.0.2')).status).toBe(202);
  });

  it('limits the whole site across clients, and never stores a refused batch', async () => {
    clock.advance(60_000);
    const before = (await h.store.query<{ n: number }>('select count(*)::int as n from events'))
      .rows[0]!.n;
    const results = [];
    for (let i = 0; i < 14; i++) results.push((await from(`192.0.2.${i}`)).status);
    const ok = results.filter((s) => s === 202).length;
    expect(ok).toBe(10);
    expect(results.filter((s) => s === 429).length).toBe(4);
    const after = (await h.store.query<{ n: number }>('select count(*)::int as n from events'))
      .rows[0]!.n;
    expect(after - before).toBe(ok);
  });
});
