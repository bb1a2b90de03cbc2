import { describe, expect, it } from 'vitest';
import { createApp } from '../../collector/app.ts';
import { silentLog } from '../../collector/deps.ts';
import { buildDeps } from '../../collector/index.ts';
import { ADMIN_TOKEN, event, ORIGIN, testClock, testConfig } from '../helpers/app.ts';
import { suiteHarness } from '../helpers/fixture.ts';
import { storeCases } from '../helpers/stores.ts';

describe.each(storeCases)('key rotation and revocation on $name', (sc) => {
  const clock = testClock(Date.now());
  const h = suiteHarness(sc, { clock });

  const admin = (path: string, init: RequestInit = {}, token = ADMIN_TOKEN) =>
    h.app.request(path, {
      ...init,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    });
  const issue = (kind: string, siteId = h.site.site.id, token = ADMIN_TOKEN) =>
    admin(
      `/v1/admin/sites/${siteId}/keys`,
      { method: 'POST', body: JSON.stringify({ kind }) },
      token,
    );
  const revoke = (keyId: string, siteId = h.site.site.id) =>
    admin(`/v1/admin/sites/${siteId}/keys/${keyId}`, { method: 'DELETE' });
  // The export endpoint needs a secret key: 401 means the key was refused, 404 that it worked.
  const withSecret = (key: string) =>
    h.app.request('/v1/leads/nobody/export', { headers: { authorization: `Bearer ${key}` } });

  it('requires the admin token', async () => {
    expect((await issue('secret', h.site.site.id, 'wrong')).status).toBe(401);
    expect((await issue('secret', h.site.site.id, h.site.secretKey)).status).toBe(401);
    const none = await h.app.request(`/v1/admin/sites/${h.site.site.id}/keys`, {
      method: 'POST',
      body: '{"kind":"secret"}',
    });
    expect(none.status).toBe(401);
    expect(none.headers.get('content-type')).toBe('application/problem+json');
  });

  it('issues a secret key once, with its id inside, and revokes it at once', async () => {
    const res = await issue('secret');
    expect(res.status).toBe(201);
    const k = await res.json();
    expect(k.key).toMatch(new RegExp(`^sk_${k.keyId}_[a-z0-9]{32}$`));
    expect((await withSecret(k.key)).status).toBe(404);
    const listed = await (await admin(`/v1/admin/sites/${h.site.site.id}/keys`)).json();
    expect(JSON.stringify(listed)).not.toContain(k.key);
    expect(listed.data.map((x: { keyId: string }) => x.keyId)).toContain(k.keyId);

    expect((await revoke(k.keyId)).status).toBe(204);
    expect((await withSecret(k.key)).status).toBe(401);
    expect((await revoke(k.keyId)).status).toBe(204); // idempotent
    // The original key still works: rotation is issue, deploy, revoke the old one.
    expect((await withSecret(h.site.secretKey)).status).toBe(404);
  });

  it('revokes a public key: this replica at once, others within the site cache TTL', async () => {
    const k = await (await issue('public')).json();
    expect(k).toMatchObject({ kind: 'public', keyId: expect.any(String) });
    expect(k.key).toMatch(/^pk_/);
    const other = createApp(
      buildDeps(h.store, { config: testConfig(), log: silentLog, clock: clock }),
    );
    const send = (app: typeof h.app) =>
      app.request('/v1/collect', {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: ORIGIN },
        body: JSON.stringify({ site: k.key, sentAt: Date.now(), events: [event()] }),
      });
    // The public form routes read the same site: the config a tag fetches with this key.
    const config = () => h.app.request(`/v1/sites/${k.key}/config`);
    expect((await send(h.app)).status).toBe(202);
    expect((await config()).status).toBe(200);
    expect((await send(other)).status).toBe(202); // now cached by the other replica

    expect((await revoke(k.keyId)).status).toBe(204);
    expect((await send(h.app)).status).toBe(404);
    expect((await config()).status).toBe(404);
    expect((await send(other)).status).toBe(202); // still cached there …
    clock.advance(5_001);
    expect((await send(other)).status).toBe(404); // … for at most the TTL
  });

  it('stores allowed origins as browsers send them: pasted with a slash, capitals or an IDN host', async () => {
    const res = await admin('/v1/admin/sites', {
      method: 'POST',
      body: JSON.stringify({
        name: 'Pasted',
        allowedOrigins: [
          ' https://Shop.Example.com/ ',
          'https://Bücher.de:443',
          'https://*.bücher.de',
        ],
      }),
    });
    expect(res.status, await res.clone().text()).toBe(201);
    expect((await res.json()).site.allowedOrigins).toEqual([
      'https://shop.example.com',
      'https://xn--bcher-kva.de',
      'https://*.xn--bcher-kva.de',
    ]);
    const bad = await admin('/v1/admin/sites', {
      method: 'POST',
      body: JSON.stringify({ name: 'Path', allowedOrigins: ['https://x.example/shop'] }),
    });
    expect(bad.status).toBe(400);
    expect((await bad.json()).errors[0].path).toBe('allowedOrigins.0');
  });

  it('cannot revoke or issue keys of another site through a wrong site id', async () => {
    const b = await (
      await admin('/v1/admin/sites', {
        method: 'POST',
        body: JSON.stringify({ name: 'B', allowedOrigins: ['https://b.example'] }),
      })
    ).json();
    expect(b.publicKeyId).toEqual(expect.any(String));
    const bKeyId = /^sk_([a-z0-9]{12})_/.exec(b.secretKey)![1]!;
    expect((await revoke(bKeyId, h.site.site.id)).status).toBe(404);
    expect((await withSecret(b.secretKey)).status).toBe(404); // still valid
    expect((await issue('secret', 'site_nope')).status).toBe(404);
    expect((await issue('root')).status).toBe(400);
  });
});
