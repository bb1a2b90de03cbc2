/** Creating a site: which allowed origins the admin API takes, and how it writes them down. */
import { describe, expect, it } from 'vitest';
import { ADMIN_TOKEN } from '../helpers/app.ts';
import { suiteHarness } from '../helpers/fixture.ts';
import { pgliteCase } from '../helpers/stores.ts';

describe('allowed origins at site creation', () => {
  const h = suiteHarness(pgliteCase);

  const create = (allowedOrigins: string[]) =>
    h.app.request('/v1/admin/sites', {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Shop', allowedOrigins }),
    });

  it('refuses a port no URL can have and a wildcard over a whole top-level domain, at the entry', async () => {
    for (const origin of [
      'https://shop.example.com:99999',
      'https://shop.example.com:0x50',
      'http://*.com',
      'https://*.vn',
      'https://*',
    ]) {
      const res = await create(['https://ok.example.com', origin]);
      expect(res.status, origin).toBe(400);
      expect(res.headers.get('content-type')).toMatch(/problem\+json/);
      const body = (await res.json()) as { errors: { path: string }[] };
      expect(body.errors.map((e) => e.path)).toEqual(['allowedOrigins.1']);
    }
  });

  it('takes origins as a person types them, a subdomain wildcard and * included', async () => {
    const res = await create([
      ' https://Shop.Example.com:443/ ',
      'https://*.example.com',
      'http://localhost:3000',
      '*',
    ]);
    expect(res.status).toBe(201);
    const body = (await res.json()) as { site: { allowedOrigins: string[] } };
    expect(body.site.allowedOrigins).toEqual([
      'https://shop.example.com',
      'https://*.example.com',
      'http://localhost:3000',
      '*',
    ]);
  });
});
