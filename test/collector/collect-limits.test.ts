/**
 * What real pages make too long — an ad-click URL, a CMS's endless title, a big `track`
 * property — is cut and recorded, never the reason a batch (and the pageviews in it) is lost;
 * what is truly malformed is still a 400; a 413 is readable cross-origin.
 */

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cut, fitJson, jsonPrefix } from '../../shared/json-fit.ts';
import { jsonProblems } from '../../shared/json-limits.ts';
import { event, ORIGIN } from '../helpers/app.ts';
import { suiteHarness } from '../helpers/fixture.ts';
import { storeCases } from '../helpers/stores.ts';

interface Row {
  url: string;
  referrer: string | null;
  title: string | null;
  name: string | null;
  properties: Record<string, unknown>;
  traits: Record<string, unknown> | null;
  context: { truncated?: string[] };
}

describe('fitting free-form values to the limits', () => {
  it('cuts strings on a code point boundary', () => {
    expect(cut('ab😀', 3)).toBe('ab');
    expect(cut('ab😀', 4)).toBe('ab😀');
    expect(cut('abc', 5)).toBe('abc');
  });

  it('returns what fits as the same object, and what does not within every limit', () => {
    const fine = { a: [1, { b: 'x' }] };
    const cuts: string[] = [];
    expect(fitJson(fine, 'p', cuts)).toBe(fine);
    expect(cuts).toEqual([]);

    let deep: unknown = 'bottom';
    for (let i = 0; i < 9; i++) deep = { d: deep };
    const big = {
      q: 'x'.repeat(9_000),
      arr: Array.from({ length: 150 }, (_, i) => i),
      many: Object.fromEntries(Array.from({ length: 150 }, (_, i) => [`k${i}`, i])),
      ['k'.repeat(300)]: 1,
      deep,
    };
    const fitted = fitJson(big, 'properties', cuts) as Record<string, unknown>;
    expect(jsonProblems(fitted)).toEqual([]);
    expect((fitted.q as string).length).toBe(8_192);
    expect(fitted.arr).toHaveLength(100);
    expect(Object.keys(fitted.many as object)).toHaveLength(100);
    expect(fitted['k'.repeat(200)]).toBe(1);
    expect(cuts).toEqual([
      'properties.q',
      'properties.arr',
      'properties.many',
      `properties.${'k'.repeat(200)}`.slice(0, 200),
      'properties.deep.d.d.d.d.d',
    ]);
  });

  it('writes what is nested too deep as its JSON text, however deep (JSON.stringify overflowed)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        expect(jsonPrefix(v, 1e9)).toBe(JSON.stringify(v));
        const text = jsonPrefix(v, 20);
        expect(JSON.stringify(v).startsWith(text)).toBe(true);
        expect(text.length).toBeLessThanOrEqual(20);
      }),
      { seed: 20_261_124, numRuns: 500 },
    );
    const deep = JSON.parse(`${'{"a":'.repeat(50_000)}1${'}'.repeat(50_000)}`);
    const cuts: string[] = [];
    const fitted = fitJson({ deep }, 'properties', cuts) as { deep: Record<string, unknown> };
    let leaf: unknown = fitted.deep;
    for (let i = 0; i < 5; i++) leaf = (leaf as { a: unknown }).a;
    // Compared as a boolean: a failure should not print 8 KB of braces.
    expect(leaf === '{"a":'.repeat(2_000).slice(0, 8_192)).toBe(true);
    expect(cuts).toEqual(['properties.deep.a.a.a.a.a']);
  });
});

describe.each(storeCases)('POST /v1/collect with over-long values on $name', (sc) => {
  const h = suiteHarness(sc);

  const rows = async (ids: string[]) =>
    (
      await h.store.query<Row & { event_id: string }>(
        `select event_id, url, referrer, title, name, properties, traits, context
           from events where event_id = any($1::text[])`,
        [ids],
      )
    ).rows.sort((a, b) => ids.indexOf(a.event_id) - ids.indexOf(b.event_id));

  it('keeps the whole batch when a page URL, referrer, title or name is over-long: cut, recorded', async () => {
    // An ad click: 2,600 characters of tracking parameters, an emoji across the 2,048 mark.
    const url = `https://www.example.com/landing?q=${'a'.repeat(2_013)}😀&gclid=${'b'.repeat(560)}`;
    const long = event({
      url,
      referrer: `https://search.example/?q=${'r'.repeat(3_000)}`,
      title: 'Sale – '.repeat(600),
    });
    const named = event({ type: 'track', name: 'n'.repeat(300) });
    const plain = event({ type: 'track', name: 'signup' });
    const res = await h.collect([long, named, plain]);
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ accepted: 3, duplicates: 0 });

    const [a, b, c] = await rows([long.id, named.id, plain.id]);
    expect(a!.url).toBe(url.slice(0, 2_047)); // the emoji is not split in half
    expect(a!.referrer).toHaveLength(2_048);
    expect(a!.title).toBe('Sale – '.repeat(600).slice(0, 2_048));
    expect(a!.context.truncated).toEqual(['url', 'referrer', 'title']);
    expect(b!.name).toBe('n'.repeat(200));
    expect(b!.context.truncated).toEqual(['name']);
    expect(c!.name).toBe('signup');
    expect(c!.context.truncated).toBeUndefined();
  });

  it('keeps the whole batch when a track call has oversized properties or traits: cut, recorded', async () => {
    const pageview = event();
    const big = event({
      type: 'track',
      name: 'search',
      properties: {
        query: '🔎'.repeat(5_000),
        results: Array.from({ length: 250 }, (_, i) => ({ i })),
        ok: true,
      },
    });
    const who = event({
      type: 'identify',
      traits: { email: 'lan@example.com', bio: 'x'.repeat(10_000) },
    });
    const res = await h.collect([pageview, big, who]);
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ accepted: 3, duplicates: 0 });

    const [p, t, i] = await rows([pageview.id, big.id, who.id]);
    expect(p!.context.truncated).toBeUndefined();
    expect(t!.properties.query).toBe('🔎'.repeat(4_096));
    expect(t!.properties.results).toHaveLength(100);
    expect(t!.properties.ok).toBe(true);
    expect(t!.context.truncated).toEqual(['properties.query', 'properties.results']);
    expect(i!.traits).toEqual({ email: 'lan@example.com', bio: 'x'.repeat(8_192) });
    expect(i!.context.truncated).toEqual(['traits.bio']);

    const metrics = await (await h.app.request('/metrics')).text();
    expect(metrics).toMatch(/touchpoint_events_truncated_total(\{\})? [1-9]/);
  });

  it('keeps a batch whose properties are nested 6,000 deep: cut to JSON text (was a 500)', async () => {
    const ok = event({ type: 'track', name: 'deep', properties: { DEEP: 1 } });
    const deep = `${'{"a":'.repeat(6_000)}1${'}'.repeat(6_000)}`;
    // Written by hand: JSON.stringify of such a value overflows the stack (the collector's did).
    const body = `{"site":"${h.site.publicKey}","sentAt":${Date.now()},"events":[${JSON.stringify(ok).replace('{"DEEP":1}', deep)}]}`;
    const res = await h.app.request('/v1/collect', {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: ORIGIN },
      body,
    });
    expect(res.status, await res.clone().text()).toBe(202);
    const [row] = await rows([ok.id]);
    expect(row!.context.truncated).toEqual(['properties.a.a.a.a.a.a']);
  });

  it('still refuses a truly malformed event with 400 and its path, and stores nothing of the batch', async () => {
    const ok = event();
    const res = await h.collect([
      ok,
      event({ id: 'i'.repeat(200) }),
      event({ type: 'nope' as never, properties: { q: 'x'.repeat(9_000) } }),
      event({ title: 123 as never }),
    ]);
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    const paths = (await res.json()).errors.map((e: { path: string }) => e.path);
    expect(paths.sort()).toEqual(['events.1.id', 'events.2.type', 'events.3.title']);
    expect(await rows([ok.id])).toEqual([]);
  });

  it('answers a 413 readably cross-origin, so the tag drops the event instead of resending it forever', async () => {
    const big = JSON.stringify({
      site: h.site.publicKey,
      sentAt: Date.now(),
      events: [event({ type: 'track', properties: { a: 'x'.repeat(70_000) } })],
    });
    for (const path of ['/v1/collect', '/v1/forms/demo/submissions']) {
      const res = await h.app.request(path, {
        method: 'POST',
        headers: { 'content-type': 'text/plain', origin: ORIGIN },
        body: big,
      });
      expect(res.status).toBe(413);
      expect(res.headers.get('access-control-allow-origin')).toBe(ORIGIN);
      expect(await res.json()).toMatchObject({ status: 413 });
    }
    // Not on marketer endpoints: their answers stay unreadable from other origins.
    const api = await h.app.request('/v1/forms', {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: ORIGIN },
      body: big,
    });
    expect(api.status).toBe(413);
    expect(api.headers.get('access-control-allow-origin')).toBeNull();
  });
});
