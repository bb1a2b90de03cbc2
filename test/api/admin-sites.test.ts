/** Admin API for sites: settings on creation, list, read and PATCH (origins, bot policy, settings). */
import { describe, expect, it } from 'vitest';
import { createApp } from '../../collector/app.ts';
import { silentLog } from '../../collector/deps.ts';
import { buildDeps } from '../../collector/index.ts';
import { purgeExpired } from '../../collector/privacy/index.ts';
import { ADMIN_TOKEN, event, ORIGIN, testClock, testConfig } from '../helpers/app.ts';
import { suiteHarness } from '../helpers/fixture.ts';
import { storeCases } from '../helpers/stores.ts';

const DAY = 86_400_000;

interface Created {
  site: { id: string; settings: Record<string, unknown> };
  publicKey: string;
  secretKey: string;
}

describe.each(storeCases)('admin sites on $name', (sc) => {
  const clock = testClock(Date.now());
  const h = suiteHarness(sc, { clock });

  const admin = (path: string, init: RequestInit = {}, token: string | null = ADMIN_TOKEN) =>
    h.app.request(path, {
      ...init,
      headers: {
        'content-type': 'application/json',
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
    });
  const post = (body: unknown) =>
    admin('/v1/admin/sites', { method: 'POST', body: JSON.stringify(body) });
  const patch = (id: string, body: unknown) =>
    admin(`/v1/admin/sites/${id}`, { method: 'PATCH', body: JSON.stringify(body) });
  const create = async (body: Record<string, unknown> = {}): Promise<Created> => {
    const res = await post({ name: 'Shop', allowedOrigins: [ORIGIN], ...body });
    expect(res.status, await res.clone().text()).toBe(201);
    return res.json();
  };
  const stored = async (id: string) =>
    (
      await h.store.query<{ name: string; settings: Record<string, unknown> }>(
        'select name, settings from sites where site_id = $1',
        [id],
      )
    ).rows[0]!;
  const paths = async (res: Response) =>
    ((await res.json()).errors as { path: string }[]).map((e) => e.path);

  it('creates a site with settings: stored, and in the answer', async () => {
    const c = await create({ settings: { retentionDays: 30 } });
    expect(c.site.settings).toEqual({ retentionDays: 30 });
    expect((await stored(c.site.id)).settings).toEqual({ retentionDays: 30 });
    const got = await (await admin(`/v1/admin/sites/${c.site.id}`)).json();
    expect(got).toEqual({ ...c.site, createdAt: expect.any(String) });
    // Without settings: none stored, every one at its default.
    expect((await create()).site.settings).toEqual({});
  });

  it('refuses unknown or out-of-range settings with their paths, and creates nothing', async () => {
    const count = async () =>
      (await h.store.query<{ n: number }>('select count(*)::int as n from sites')).rows[0]!.n;
    const before = await count();
    const unknown = await post({ name: 'X', allowedOrigins: [], settings: { x: 1 } });
    expect(unknown.status).toBe(400);
    expect(unknown.headers.get('content-type')).toBe('application/problem+json');
    expect(await paths(unknown)).toEqual(['settings.x']);
    for (const retentionDays of [0, 3651, 1.5, '30', null]) {
      const res = await post({ name: 'X', allowedOrigins: [], settings: { retentionDays } });
      expect(res.status, String(retentionDays)).toBe(400);
      expect(await paths(res)).toEqual(['settings.retentionDays']);
    }
    expect(await count()).toBe(before);
  });

  it('lists sites newest first, page by page, without keys', async () => {
    const made = [
      await create({ name: 'L1' }),
      await create({ name: 'L2' }),
      await create({ name: 'L3' }),
    ];
    const seen: { id: string; name: string }[] = [];
    let cursor: string | null = null;
    do {
      const url: string = `/v1/admin/sites?limit=2${cursor ? `&cursor=${cursor}` : ''}`;
      const res = await admin(url);
      expect(res.status).toBe(200);
      const text = await res.text();
      for (const c of made) {
        expect(text).not.toContain(c.secretKey);
        expect(text).not.toContain(c.publicKey);
      }
      const page = JSON.parse(text) as { data: typeof seen; nextCursor: string | null };
      expect(page.data.length).toBeLessThanOrEqual(2);
      seen.push(...page.data);
      cursor = page.nextCursor;
    } while (cursor);
    const ids = seen.map((s) => s.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(expect.arrayContaining([h.site.site.id, ...made.map((c) => c.site.id)]));
    // Newest first (created_at, the store's clock).
    expect(ids.indexOf(made[2]!.site.id)).toBeLessThan(ids.indexOf(made[0]!.site.id));
    const bad = await admin('/v1/admin/sites?cursor=nonsense');
    expect(bad.status).toBe(400);
    expect(await paths(bad)).toEqual(['cursor']);
  });

  it('PATCH allowedOrigins: the new origin writes at once, a removed one is refused', async () => {
    const c = await create({ allowedOrigins: [ORIGIN] });
    const other = createApp(buildDeps(h.store, { config: testConfig(), log: silentLog, clock }));
    const send = (origin: string, app = h.app) =>
      app.request('/v1/collect', {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin },
        body: JSON.stringify({ site: c.publicKey, sentAt: Date.now(), events: [event()] }),
      });
    // Both replicas have the site cached with the old allow-list.
    expect((await send(ORIGIN)).status).toBe(202);
    expect((await send(ORIGIN, other)).status).toBe(202);
    expect((await send('https://shop.example.net')).status).toBe(403);

    // Pasted from the address bar: normalised as on creation.
    const res = await patch(c.site.id, { allowedOrigins: [' https://Shop.Example.NET/ '] });
    expect(res.status, await res.clone().text()).toBe(200);
    expect((await res.json()).allowedOrigins).toEqual(['https://shop.example.net']);
    expect((await send('https://shop.example.net')).status).toBe(202);
    expect((await send(ORIGIN)).status).toBe(403);
    // Another replica within its site cache's TTL.
    expect((await send(ORIGIN, other)).status).toBe(202);
    clock.advance(5_001);
    expect((await send(ORIGIN, other)).status).toBe(403);
    expect((await send('https://shop.example.net', other)).status).toBe(202);

    const bad = await patch(c.site.id, { allowedOrigins: ['https://x.example/shop'] });
    expect(bad.status).toBe(400);
    expect(await paths(bad)).toEqual(['allowedOrigins.0']);
    const site = await (await admin(`/v1/admin/sites/${c.site.id}`)).json();
    expect(site.allowedOrigins).toEqual(['https://shop.example.net']);
  });

  it('PATCH botPolicy takes effect on the next batch', async () => {
    const c = await create();
    const bot = (anonymousId: string) =>
      h.app.request('/v1/collect', {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: ORIGIN },
        body: JSON.stringify({
          site: c.publicKey,
          sentAt: Date.now(),
          events: [event({ anonymousId, properties: { webdriver: true } })],
        }),
      });
    const events = async (anon: string) =>
      (
        await h.store.query<{ is_bot: boolean }>(
          'select is_bot from events where site_id = $1 and anonymous_id = $2',
          [c.site.id, anon],
        )
      ).rows.map((r) => r.is_bot);
    expect((await bot('bot-flagged')).status).toBe(202);
    expect(await events('bot-flagged')).toEqual([true]);

    const res = await patch(c.site.id, { botPolicy: 'drop' });
    expect((await res.json()).botPolicy).toBe('drop');
    expect((await bot('bot-dropped')).status).toBe(202);
    expect(await events('bot-dropped')).toEqual([]);

    await patch(c.site.id, { botPolicy: 'allow' });
    expect((await bot('bot-allowed')).status).toBe(202);
    expect(await events('bot-allowed')).toEqual([false]);
  });

  it('PATCH settings.retentionDays: the retention purge uses it; null goes back to the default', async () => {
    const c = await create();
    const now = clock().getTime();
    const visit = (anonymousId: string, daysAgo: number) =>
      h.app.request('/v1/collect', {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: ORIGIN },
        body: JSON.stringify({
          site: c.publicKey,
          sentAt: now,
          events: [event({ anonymousId, timestamp: now - daysAgo * DAY })],
        }),
      });
    const visitors = async () =>
      (
        await h.store.query<{ anonymous_id: string }>(
          'select anonymous_id from visitors where site_id = $1 order by anonymous_id',
          [c.site.id],
        )
      ).rows.map((r) => r.anonymous_id);
    expect((await visit('anon-40', 40)).status).toBe(202);
    expect((await visit('anon-10', 10)).status).toBe(202);
    await purgeExpired(h.store, clock());
    expect(await visitors()).toEqual(['anon-10', 'anon-40']); // default: 395 days

    // A key set outside the API is kept by the merge.
    await h.store.query(`update sites set settings = '{"captureForms": true}' where site_id = $1`, [
      c.site.id,
    ]);
    const res = await patch(c.site.id, { settings: { retentionDays: 30 } });
    expect(res.status).toBe(200);
    expect((await res.json()).settings).toEqual({ captureForms: true, retentionDays: 30 });
    await purgeExpired(h.store, clock());
    expect(await visitors()).toEqual(['anon-10']);

    // A new value replaces the old; a name alone leaves the settings as they are.
    await patch(c.site.id, { settings: { retentionDays: 60 } });
    await patch(c.site.id, { name: 'Renamed' });
    expect((await stored(c.site.id)).settings).toEqual({ captureForms: true, retentionDays: 60 });
    // null removes a setting.
    const reset = await patch(c.site.id, { settings: { retentionDays: null } });
    expect((await reset.json()).settings).toEqual({ captureForms: true });
    expect(await stored(c.site.id)).toEqual({ name: 'Renamed', settings: { captureForms: true } });
  });

  it('PATCH refuses unknown fields and settings with their paths, and changes nothing', async () => {
    const c = await create({ settings: { retentionDays: 90 } });
    for (const [body, path] of [
      [{ settings: { x: 1 } }, 'settings.x'],
      [{ settings: { retentionDays: 0 } }, 'settings.retentionDays'],
      [{ allowedOrigin: ['https://typo.example'] }, 'allowedOrigin'],
      [{ botPolicy: 'block' }, 'botPolicy'],
      [{ name: '  ' }, 'name'],
    ] as const) {
      const res = await patch(c.site.id, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(await paths(res)).toEqual([path]);
    }
    expect(await stored(c.site.id)).toEqual({ name: 'Shop', settings: { retentionDays: 90 } });
    // An empty patch changes nothing and answers the site.
    const same = await patch(c.site.id, {});
    expect(same.status).toBe(200);
    expect((await same.json()).settings).toEqual({ retentionDays: 90 });
  });

  it('an unknown id is a 404 problem', async () => {
    for (const res of [
      await admin('/v1/admin/sites/site_nope'),
      await patch('site_nope', { name: 'X' }),
    ]) {
      expect(res.status).toBe(404);
      expect(res.headers.get('content-type')).toBe('application/problem+json');
      expect((await res.json()).type).toContain('unknown-site');
    }
  });

  it('requires the admin token, as the other admin routes', async () => {
    const id = h.site.site.id;
    for (const token of [null, 'wrong', h.site.secretKey]) {
      for (const res of [
        await admin('/v1/admin/sites', {}, token),
        await admin(`/v1/admin/sites/${id}`, {}, token),
        await admin(
          `/v1/admin/sites/${id}`,
          { method: 'PATCH', body: JSON.stringify({ name: 'Owned' }) },
          token,
        ),
      ]) {
        expect(res.status).toBe(401);
        expect(res.headers.get('content-type')).toBe('application/problem+json');
      }
    }
    expect((await stored(id)).name).toBe('Example');
    // Without a configured token the admin API does not exist.
    const closed = createApp(
      buildDeps(h.store, { config: testConfig({ adminToken: undefined }), log: silentLog }),
    );
    const res = await closed.request(`/v1/admin/sites/${id}`, {
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    expect(res.status).toBe(404);
  });

  it('stores hostile names as data', async () => {
    const hostile = [
      `'); drop table sites; --`,
      '<script>alert(1)</script>',
      '{{constructor.constructor("x")()}}',
      'Ñandú 🦩 ‮evil',
    ];
    const c = await create({ name: hostile[0] });
    expect((await stored(c.site.id)).name).toBe(hostile[0]);
    for (const name of hostile.slice(1)) {
      const res = await patch(c.site.id, { name });
      expect((await res.json()).name).toBe(name);
      expect((await stored(c.site.id)).name).toBe(name);
      const got = await (await admin(`/v1/admin/sites/${c.site.id}`)).json();
      expect(got.name).toBe(name);
    }
    // What PostgreSQL cannot store is refused, never cut or mangled.
    const nul = await patch(c.site.id, { name: 'a\u0000b' });
    expect(nul.status).toBe(400);
    expect(await paths(nul)).toEqual(['name']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    const proto = await patch(c.site.id, JSON.parse('{"settings":{"__proto__":{"polluted":1}}}'));
    expect(proto.status).toBeLessThan(500);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect((await stored(c.site.id)).settings).toEqual({});
  });
});
