import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { createSite } from '../../collector/sites/index.ts';
import { event, ORIGIN } from '../helpers/app.ts';
import { suiteHarness } from '../helpers/fixture.ts';
import { storeCases } from '../helpers/stores.ts';

describe.each(storeCases)('POST /v1/collect on $name', (sc) => {
  const h = suiteHarness(sc);

  const count = async (sql = 'select count(*)::int as n from events') =>
    (await h.store.query<{ n: number }>(sql)).rows[0]!.n;

  it('accepts a batch after commit and counts a replay as duplicates', async () => {
    const events = [
      event({ anonymousId: 'a-replay' }),
      event({ anonymousId: 'a-replay', type: 'track', name: 'Signup' }),
    ];
    const res = await h.collect(events);
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ accepted: 2, duplicates: 0 });
    const { rows } = await h.store.query<{ n: number }>(
      `select count(*)::int as n from events where anonymous_id = 'a-replay'`,
    );
    expect(rows[0]!.n).toBe(2);

    const replay = await h.collect(events);
    expect(await replay.json()).toEqual({ accepted: 0, duplicates: 2 });
    const again = await h.store.query<{ n: number }>(
      `select count(*)::int as n from events where anonymous_id = 'a-replay'`,
    );
    expect(again.rows[0]!.n).toBe(2);
  });

  it('counts the same id twice in one batch once', async () => {
    const e = event();
    const res = await h.collect([e, e]);
    expect(await res.json()).toEqual({ accepted: 1, duplicates: 1 });
  });

  it('accepts text/plain bodies (sendBeacon) and answers CORS for the origin', async () => {
    const res = await h.collect([event()], { contentType: 'text/plain;charset=UTF-8' });
    expect(res.status).toBe(202);
    expect(res.headers.get('access-control-allow-origin')).toBe(ORIGIN);
  });

  it('answers the preflight', async () => {
    const res = await h.app.request('/v1/collect', {
      method: 'OPTIONS',
      headers: { origin: ORIGIN, 'access-control-request-method': 'POST' },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    expect(res.headers.get('access-control-allow-methods')).toContain('POST');
  });

  it('stores receive time and clock skew from sentAt', async () => {
    const now = Date.now();
    const e = event({ timestamp: now - 3_600_000 - 1_000 });
    await h.collect([e], { sentAt: now - 3_600_000 });
    const { rows } = await h.store.query<{
      ts: Date;
      client_ts: Date;
      received_at: Date;
      skew_ms: number;
    }>('select ts, client_ts, received_at, skew_ms from events where event_id = $1', [e.id]);
    const row = rows[0]!;
    expect(row.client_ts.getTime()).toBe(e.timestamp);
    expect(row.skew_ms).toBeGreaterThan(3_590_000);
    expect(Math.abs(row.ts.getTime() - (now - 1_000))).toBeLessThan(5_000);
    expect(row.received_at.getTime()).toBeGreaterThanOrEqual(now);
  });

  it('takes a batch as a hand-written client sends it: no sentAt, nulls, ISO times', async () => {
    const at = '2026-03-01T10:00:00.250Z';
    const e = {
      id: 'hand-written',
      type: 'pageview',
      anonymousId: 'a-hand',
      sessionId: null,
      timestamp: at,
      url: 'https://example.com/pricing',
      referrer: null,
      title: null,
      name: null,
      properties: null,
      traits: null,
    };
    const res = await h.app.request('/v1/collect', {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: ORIGIN },
      body: JSON.stringify({ site: h.site.publicKey, events: [e] }),
    });
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ accepted: 1, duplicates: 0 });
    const { rows } = await h.store.query<{
      ts: Date;
      skew_ms: number;
      session_id: string | null;
      referrer: string | null;
      properties: object;
    }>('select ts, skew_ms, session_id, referrer, properties from events where event_id = $1', [
      e.id,
    ]);
    // No sentAt: the time is taken as sent, not corrected.
    expect(rows[0]).toEqual({
      ts: new Date(at),
      skew_ms: 0,
      session_id: null,
      referrer: null,
      properties: {},
    });
    // Still refused: a time that is no time, and a null where a value is required.
    const bad = await h.app.request('/v1/collect', {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: ORIGIN },
      body: JSON.stringify({
        site: h.site.publicKey,
        events: [
          { ...e, id: 'b1', timestamp: '2026-02-30T00:00:00Z' },
          { ...e, id: null },
        ],
      }),
    });
    expect(bad.status).toBe(400);
    const paths = (await bad.json()).errors.map((x: { path: string }) => x.path);
    expect(paths).toEqual(['events.0.timestamp', 'events.1.id']);
  });

  it('accepts wildcard origins and refuses others with 403', async () => {
    expect((await h.collect([event()], { origin: 'https://shop.example.org' })).status).toBe(202);
    const res = await h.collect([event()], { origin: 'https://evil.example.net' });
    expect(res.status).toBe(403);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    const body = await res.json();
    expect(body).toMatchObject({ status: 403, title: 'Forbidden' });
    expect(body.type).toMatch(/origin-not-allowed/);
    expect((await h.collect([event()], { origin: 'https://example.org' })).status).toBe(403);
  });

  it('lets a site that allows `*` take requests without an origin; other sites refuse them', async () => {
    const open = await createSite(h.store, { name: 'Open', allowedOrigins: ['*'] });
    const send = (site: string, headers: Record<string, string>) =>
      h.app.request('/v1/collect', {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ site, sentAt: Date.now(), events: [event()] }),
      });
    expect((await send(open.publicKey, {})).status).toBe(202);
    expect((await send(open.publicKey, { origin: 'null' })).status).toBe(202);
    expect((await send(h.site.publicKey, {})).status).toBe(403);
    expect((await send(h.site.publicKey, { origin: 'null' })).status).toBe(403);
  });

  it('answers a compressed body with 415, not as malformed JSON', async () => {
    const res = await h.app.request('/v1/collect', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-encoding': 'gzip', origin: ORIGIN },
      body: gzipSync(
        JSON.stringify({ site: h.site.publicKey, sentAt: Date.now(), events: [event()] }),
      ),
    });
    expect(res.status).toBe(415);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect(await res.json()).toMatchObject({
      status: 415,
      type: expect.stringMatching(/unsupported-encoding/),
    });
  });

  it('answers an unknown site with 404', async () => {
    const res = await h.collect([event()], { site: 'pk_doesnotexist' });
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ status: 404, detail: expect.any(String) });
  });

  it('answers invalid batches with 400 and field paths', async () => {
    const res = await h.collect([event({ type: 'nope' as never }), event({ id: '' })]);
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(body.status).toBe(400);
    const paths = body.errors.map((e: { path: string }) => e.path);
    expect(paths).toContain('events.0.type');
    expect(paths).toContain('events.1.id');
  });

  it('answers malformed JSON and unknown media types', async () => {
    const bad = await h.app.request('/v1/collect', {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: ORIGIN },
      body: '{"site":',
    });
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toBe('application/problem+json');
    const xml = await h.app.request('/v1/collect', {
      method: 'POST',
      headers: { 'content-type': 'application/xml', origin: ORIGIN },
      body: '<a/>',
    });
    expect(xml.status).toBe(415);
  });

  it('refuses more than 500 events and bodies over 64 KB', async () => {
    const many = Array.from({ length: 501 }, () => ({ ...event(), url: undefined }));
    const res = await h.collect(many);
    expect([400, 413]).toContain(res.status);
    const big = await h.collect([
      event({ title: 'x'.repeat(2000) }),
      ...Array.from({ length: 40 }, () => event({ title: 'y'.repeat(2000) })),
    ]);
    expect(big.status).toBe(413);
    expect(await big.json()).toMatchObject({ status: 413 });
  });

  it('repairs strings PostgreSQL cannot store byte-for-byte; the marketer API refuses them with 400', async () => {
    // A page's batch is repaired, not lost (collect-repair.test.ts has the details).
    const res = await h.collect([
      event({ properties: { a: 'x\u0000y' } }),
      event({ title: '\ud800' }),
    ]);
    expect(res.status).toBe(202);
    // What a marketer types is refused at its field instead: they can fix it.
    const form = await h.secret('/v1/forms', {
      method: 'POST',
      body: JSON.stringify({
        id: 'nul',
        name: 'News\u0000letter',
        kind: 'inline',
        trigger: { type: 'load' },
        fields: [{ name: 'email', type: 'email', label: 'Email', required: true }],
      }),
    });
    expect(form.status).toBe(400);
    expect((await form.json()).errors.map((e: { path: string }) => e.path)).toEqual(['name']);
  });

  it('keeps hostile strings as data, byte for byte', async () => {
    const hostile = `'); drop table events; -- <script>alert(1)</script> 𝕏 "quoted"`;
    const e = event({
      title: hostile,
      properties: { ['__proto__']: { polluted: true }, q: hostile },
    });
    const body = JSON.stringify({
      site: h.site.publicKey,
      sentAt: Date.now(),
      events: [{ ...e, properties: undefined }],
    }).replace(
      '"events":[{',
      `"events":[{"properties":{"__proto__":{"polluted":true},"q":${JSON.stringify(hostile)}},`,
    );
    const res = await h.app.request('/v1/collect', {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: ORIGIN },
      body,
    });
    expect(res.status).toBe(202);
    const { rows } = await h.store.query<{ title: string; properties: Record<string, unknown> }>(
      'select title, properties from events where event_id = $1',
      [e.id],
    );
    expect(rows[0]!.title).toBe(hostile);
    expect(rows[0]!.properties.q).toBe(hostile);
    expect(Object.hasOwn(rows[0]!.properties, '__proto__')).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('flags automation as bot traffic by default', async () => {
    const e = event({ properties: { webdriver: true } });
    await h.collect([e]);
    const { rows } = await h.store.query<{ is_bot: boolean }>(
      'select is_bot from events where event_id = $1',
      [e.id],
    );
    expect(rows[0]!.is_bot).toBe(true);
  });

  it('keeps one visitor row per anonymous id with its first and last sighting', async () => {
    const t0 = Date.now() - 60_000;
    await h.collect([event({ anonymousId: 'v-1', timestamp: t0 + 10_000 })]);
    await h.collect([
      event({ anonymousId: 'v-1', timestamp: t0 }),
      event({ anonymousId: 'v-1', timestamp: t0 + 20_000, properties: { webdriver: true } }),
      event({ anonymousId: 'v-2', timestamp: t0 + 5_000 }),
    ]);
    const { rows } = await h.store.query<{
      anonymous_id: string;
      first_seen_at: Date;
      last_seen_at: Date;
      is_bot: boolean;
    }>(
      `select anonymous_id, first_seen_at, last_seen_at, is_bot from visitors
        where anonymous_id in ('v-1', 'v-2') order by anonymous_id`,
    );
    expect(
      rows.map((r) => [
        r.anonymous_id,
        r.first_seen_at.getTime(),
        r.last_seen_at.getTime(),
        r.is_bot,
      ]),
    ).toEqual([
      ['v-1', t0, t0 + 20_000, true],
      ['v-2', t0 + 5_000, t0 + 5_000, false],
    ]);
  });

  it('counts an id sent by two concurrent requests once, for whichever stored it', async () => {
    const shared = Array.from({ length: 5 }, () => event({ anonymousId: 'overlap' }));
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        h.collect([...shared, event({ anonymousId: `own-${i}` })]),
      ),
    );
    const bodies = await Promise.all(results.map((r) => r.json()));
    const accepted = bodies.reduce((n, b) => n + b.accepted, 0);
    const duplicates = bodies.reduce((n, b) => n + b.duplicates, 0);
    expect({ accepted, duplicates }).toEqual({ accepted: 5 + 6, duplicates: 5 * 5 });
    const { rows } = await h.store.query<{ n: number }>(
      `select count(*)::int as n from events where anonymous_id = 'overlap'`,
    );
    expect(rows[0]!.n).toBe(5);
  });

  it('commits concurrent requests together and answers each', async () => {
    const before = await count();
    const results = await Promise.all(
      Array.from({ length: 40 }, () => h.collect([event(), event()])),
    );
    expect(results.every((r) => r.status === 202)).toBe(true);
    expect(await count()).toBe(before + 80);
  });
});
