import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { suiteHarness } from '../helpers/fixture.ts';
import { storeCases } from '../helpers/stores.ts';

describe.each(storeCases)('Segment HTTP Tracking API on $name', (sc) => {
  const h = suiteHarness(sc);

  const basic = (key: string) => `Basic ${Buffer.from(`${key}:`).toString('base64')}`;
  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    h.app.request(path, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: basic(h.site.secretKey),
        ...headers,
      },
      body:
        typeof body === 'string'
          ? body
          : body instanceof Uint8Array
            ? new Blob([new Uint8Array(body)])
            : JSON.stringify(body),
    });
  const eventRow = (id: string) =>
    h.store.query<{
      ts: Date;
      anonymous_id: string;
      trusted: boolean;
      type: string;
      context: Record<string, unknown>;
    }>('select ts, anonymous_id, trusted, type, context from events where event_id = $1', [id]);

  it('answers 200 {"success": true} after commit; messageId is the idempotency key', async () => {
    const body = {
      batch: [
        {
          type: 'track',
          messageId: 'm-idem-1',
          anonymousId: 'sa-1',
          event: 'Signed Up',
          timestamp: new Date().toISOString(),
        },
      ],
    };
    const res = await post('/v1/batch', body);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ success: true });
    expect((await post('/v1/batch', body)).status).toBe(200);
    const { rows } = await h.store.query(`select 1 from events where event_id = 'm-idem-1'`);
    expect(rows).toHaveLength(1);
    expect((await eventRow('m-idem-1')).rows[0]).toMatchObject({
      trusted: true,
      type: 'track',
      anonymous_id: 'sa-1',
    });
  });

  it('accepts Bearer and the body writeKey as well as Basic', async () => {
    const m = (id: string) => ({
      type: 'page',
      messageId: id,
      anonymousId: 'sa-auth',
      name: 'Home',
    });
    expect(
      (await post('/v1/page', m('m-bearer'), { authorization: `Bearer ${h.site.secretKey}` }))
        .status,
    ).toBe(200);
    expect(
      (
        await post(
          '/v1/batch',
          { batch: [m('m-wk')], writeKey: h.site.secretKey },
          { authorization: '' },
        )
      ).status,
    ).toBe(200);
    expect((await eventRow('m-bearer')).rows[0]?.type).toBe('pageview');
    expect((await eventRow('m-wk')).rows).toHaveLength(1);
  });

  it('refuses a missing key, the public key and another site’s… unknown key with 401', async () => {
    const m = { type: 'track', event: 'x', anonymousId: 'sa-no' };
    for (const authorization of [
      '',
      basic(h.site.publicKey),
      basic('sk_aaaaaaaaaaaa_bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb'),
    ]) {
      const res = await post('/v1/track', m, { authorization });
      expect(res.status, authorization).toBe(401);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
    }
  });

  it('decompresses gzip bodies, and refuses a gzip bomb with 413', async () => {
    const body = gzipSync(
      JSON.stringify({
        batch: [{ type: 'track', messageId: 'm-gz', anonymousId: 'sa-gz', event: 'Zipped' }],
      }),
    );
    const res = await post('/v1/batch', body, { 'content-encoding': 'gzip' });
    expect(res.status).toBe(200);
    expect((await eventRow('m-gz')).rows).toHaveLength(1);
    const bomb = gzipSync(
      Buffer.from(`{"batch":[{"type":"track","event":"${'a'.repeat(5_000_000)}"}]}`),
    );
    expect(bomb.length).toBeLessThan(64 * 1024);
    const big = await post('/v1/batch', bomb, { 'content-encoding': 'gzip' });
    expect(big.status).toBe(413);
    const broken = await post('/v1/batch', 'not gzip', { 'content-encoding': 'gzip' });
    expect(broken.status).toBe(400);
    expect(await broken.json()).toMatchObject({
      errors: [{ path: '', message: expect.any(String) }],
    });
    const brotli = await post('/v1/batch', '{}', { 'content-encoding': 'br' });
    expect(brotli.status).toBe(415);
  });

  it('accepts batches larger than the tag’s 64 KB limit', async () => {
    const batch = Array.from({ length: 60 }, (_, i) => ({
      type: 'track',
      messageId: `m-big-${i}`,
      anonymousId: 'sa-big',
      event: 'Big',
      properties: { blob: 'x'.repeat(2000) },
    }));
    const res = await post('/v1/batch', { batch });
    expect(res.status).toBe(200);
  });

  it('corrects a wrong client clock from sentAt', async () => {
    const now = Date.now();
    const hourAhead = now + 3_600_000;
    const res = await post('/v1/batch', {
      sentAt: new Date(hourAhead).toISOString(),
      batch: [
        {
          type: 'track',
          messageId: 'm-skew',
          anonymousId: 'sa-skew',
          event: 'Skewed',
          timestamp: new Date(hourAhead - 60_000).toISOString(),
        },
      ],
    });
    expect(res.status).toBe(200);
    const ts = (await eventRow('m-skew')).rows[0]!.ts.getTime();
    expect(Math.abs(ts - (now - 60_000))).toBeLessThan(10_000);
  });

  it('answers invalid messages with 400 and field paths', async () => {
    const res = await post('/v1/batch', {
      batch: [{ type: 'track', anonymousId: 'ok', event: 'x' }, { type: 'bogus' }],
    });
    expect(res.status).toBe(400);
    expect((await res.json()).errors[0].path).toBe('batch.1.type');
    const noId = await post('/v1/batch', {
      batch: [{ type: 'track', event: 'x', userId: 'null' }],
    });
    expect(noId.status).toBe(400);
    expect((await noId.json()).errors[0].path).toBe('batch.0.anonymousId');
    const json = await post('/v1/identify', '{nope');
    expect(json.status).toBe(400);
    const ts = await post('/v1/track', { event: 'x', anonymousId: 'a', timestamp: 'yesterday' });
    expect(ts.status).toBe(400);
    expect((await ts.json()).errors[0].path).toBe('timestamp');
  });

  it('refuses a track without an event name, as Segment does', async () => {
    const one = await post('/v1/track', { anonymousId: 'a', properties: { x: 1 } });
    expect(one.status).toBe(400);
    expect((await one.json()).errors[0].path).toBe('event');
    const batch = await post('/v1/batch', {
      batch: [{ type: 'track', anonymousId: 'a', event: '' }],
    });
    expect(batch.status).toBe(400);
    expect((await batch.json()).errors[0].path).toBe('batch.0.event');
  });

  it('refuses a time past year 9999 or a day the calendar lacks with 400 (was a 500)', async () => {
    for (const timestamp of [
      1e20,
      253_402_300_800_000,
      '+010000-01-01T00:00:00Z',
      '2026-02-30T10:00:00Z',
      '2026-02-29',
    ]) {
      for (const [path, body] of [
        ['/v1/track', { event: 'x', anonymousId: 'a', timestamp }],
        [
          '/v1/batch',
          { batch: [{ type: 'track', event: 'x', anonymousId: 'a' }], sentAt: timestamp },
        ],
      ] as const) {
        const res = await post(path, body);
        expect(res.status, `${path} ${timestamp}`).toBe(400);
        expect((await res.json()).errors[0].path).toMatch(/^(timestamp|sentAt)$/);
      }
    }
    // The last millisecond of 9999 and a leap day are times like any other.
    const late = await post('/v1/track', {
      event: 'x',
      anonymousId: 'a',
      timestamp: '2024-02-29T23:59:59.999+07:00',
    });
    expect(late.status, await late.clone().text()).toBe(200);
    const last = await post('/v1/track', {
      event: 'x',
      anonymousId: 'a',
      timestamp: 253_402_300_799_999,
    });
    expect(last.status, await last.clone().text()).toBe(200);
  });

  it('alias links the previous anonymous id to the user’s lead', async () => {
    await post('/v1/identify', { userId: 'alias-user', traits: { email: 'alias@example.com' } });
    await post('/v1/batch', {
      batch: [{ type: 'track', anonymousId: 'alias-prev', event: 'Before' }],
    });
    await post('/v1/batch', {
      batch: [{ type: 'alias', previousId: 'alias-prev', userId: 'alias-user' }],
    });
    const { rows } = await h.store.query<{ n: number }>(
      `select count(distinct al.lead_id)::int as n from anonymous_links al
         join identities i on i.lead_id = al.lead_id and i.value = 'alias-user'
        where al.anonymous_id in ('alias-prev', 'uid:alias-user')`,
    );
    expect(rows[0]!.n).toBe(1);
  });

  it('takes screen, alias and group on their own routes, as Segment does', async () => {
    const screen = await post('/v1/screen', {
      messageId: 'm-screen-1',
      anonymousId: 'single-1',
      name: 'Home',
    });
    expect([screen.status, await screen.json()]).toEqual([200, { success: true }]);
    expect((await eventRow('m-screen-1')).rows).toEqual([
      expect.objectContaining({ type: 'pageview', anonymous_id: 'single-1', trusted: true }),
    ]);
    await post('/v1/identify', { userId: 'single-user', traits: { email: 'single@example.com' } });
    const alias = await post('/v1/alias', { previousId: 'single-1', userId: 'single-user' });
    expect(alias.status).toBe(200);
    const { rows } = await h.store.query<{ n: number }>(
      `select count(distinct al.lead_id)::int as n from anonymous_links al
         join identities i on i.lead_id = al.lead_id and i.value = 'single-user'
        where al.anonymous_id = 'single-1'`,
    );
    expect(rows[0]!.n).toBe(1);
    // Accepted and ignored (no accounts yet), as inside a batch.
    const group = await post('/v1/group', { userId: 'single-user', groupId: 'acme' });
    expect(group.status).toBe(200);
    const bad = await post('/v1/alias', { traits: {} });
    expect(bad.status).toBe(400);
    expect((await bad.json()).errors).toEqual([expect.objectContaining({ path: 'previousId' })]);
  });
});
