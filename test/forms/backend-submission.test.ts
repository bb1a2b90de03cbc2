/**
 * A site's own backend posts its form (no Origin, a server's user agent) with the site's secret
 * key: accepted and scored like a browser's submission; without that site's secret key it is
 * refused as any write from an origin the site does not allow.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../../collector/store/index.ts';
import type { FormDefinition } from '../../shared/forms.ts';
import { harness, ORIGIN } from '../helpers/app.ts';
import { storeCases } from '../helpers/stores.ts';

const demo: FormDefinition = {
  id: 'demo',
  name: 'Book a demo',
  kind: 'inline',
  fields: [
    { name: 'email', type: 'email', required: true },
    { name: 'company', type: 'text' },
  ],
};

let seq = 0;

describe.each(storeCases)('form submissions from a backend on $name', (sc) => {
  let store: Store;
  let close: () => Promise<void>;
  let h: Awaited<ReturnType<typeof harness>>;
  let other: Awaited<ReturnType<typeof harness>>;

  beforeAll(async () => {
    ({ store, close } = await sc.open());
    h = await harness(store);
    other = await harness(store);
    const res = await h.secret('/v1/forms', { method: 'POST', body: JSON.stringify(demo) });
    expect(res.status).toBe(201);
  });
  afterAll(() => close());

  /**
   * What a backend sends: no Origin, no Referer, Node's user agent, no fill time or honeypot,
   * from one server address.
   */
  const post = (email: string, authorization?: string, headers: Record<string, string> = {}) =>
    h.app.request(
      '/v1/forms/demo/submissions',
      {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'node',
          ...(authorization ? { authorization } : {}),
          ...headers,
        },
        body: JSON.stringify({
          site: h.site.publicKey,
          id: `backend-${++seq}`,
          anonymousId: `server-${seq}`,
          url: 'https://www.example.com/contact',
          values: { email, company: 'Acme' },
        }),
      },
      { incoming: { socket: { remoteAddress: '203.0.113.7' } } },
    );

  const leadOf = async (email: string) => {
    const res = await h.secret(`/v1/leads?q=${encodeURIComponent(email)}`);
    return (await res.json()).data as { id: string; email: string; traits: object }[];
  };

  it('accepts it with the site secret key: a lead whose events are not flagged as a bot', async () => {
    const res = await post('ngoc@acme.vn', `Bearer ${h.site.secretKey}`);
    expect(res.status).toBe(202);
    const [lead] = await leadOf('ngoc@acme.vn');
    expect(lead).toMatchObject({ email: 'ngoc@acme.vn', traits: { company: 'Acme' } });
    const { rows } = await store.query<{ type: string; is_bot: boolean }>(
      `select type, is_bot from events where site_id = $1 and anonymous_id = $2 order by type`,
      [h.site.site.id, `server-${seq}`],
    );
    expect(rows.map((r) => r.type)).toEqual(['form_submit', 'identify']);
    expect(rows.every((r) => !r.is_bot)).toBe(true);
  });

  it('takes the tag wire format on /v1/collect the same way: scored, not flagged', async () => {
    const post = (authorization?: string, origin?: string) =>
      h.app.request('/v1/collect', {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'curl/8.5.0',
          ...(authorization ? { authorization } : {}),
          ...(origin ? { origin } : {}),
        },
        body: JSON.stringify({
          site: h.site.publicKey,
          events: [
            {
              id: `srv-evt-${++seq}`,
              type: 'pageview',
              anonymousId: 'server-collect',
              timestamp: Date.now(),
              url: 'https://www.example.com/pricing',
            },
          ],
        }),
      });
    expect((await post()).status).toBe(403);
    expect((await post(`Bearer ${h.site.secretKey}`)).status).toBe(202);
    // With an allowed Origin too, the key marks the site's own server (a site allowing `*`).
    expect((await post(`Bearer ${h.site.secretKey}`, ORIGIN)).status).toBe(202);
    // Without it, curl from an allowed Origin is flagged as ever.
    expect((await post(undefined, ORIGIN)).status).toBe(202);
    const { rows } = await store.query<{ is_bot: boolean }>(
      'select is_bot from events where site_id = $1 and anonymous_id = $2',
      [h.site.site.id, 'server-collect'],
    );
    // Two sent with the key, one without.
    expect(rows.map((r) => r.is_bot).sort()).toEqual([false, false, true]);
  });

  it('refuses it without a key, with the public key, or with another site secret key', async () => {
    for (const auth of [
      undefined,
      `Bearer ${h.site.publicKey}`,
      `Bearer ${other.site.secretKey}`,
      'Bearer sk_made_up',
    ]) {
      const res = await post('mallory@evil.test', auth);
      expect(res.status).toBe(403);
      expect((await res.json()).type).toMatch(/origin-not-allowed/);
    }
    expect(await leadOf('mallory@evil.test')).toEqual([]);
  });

  it("is not held to one visitor's per-address limit: every submission of the site comes from that server", async () => {
    const statuses = [];
    for (let i = 0; i < 15; i++)
      statuses.push((await post(`lead${i}@acme.vn`, `Bearer ${h.site.secretKey}`)).status);
    expect(statuses).toEqual(Array(15).fill(202));
    // The same address without the key (here from an allowed page) is limited as before.
    const browser = [];
    for (let i = 0; i < 15; i++)
      browser.push((await post(`page${i}@acme.vn`, undefined, { origin: ORIGIN })).status);
    expect(browser).toContain(429);
  });

  it('never lets a browser send the key across origins (the preflight allows no Authorization)', async () => {
    const res = await h.app.request('/v1/forms/demo/submissions', {
      method: 'OPTIONS',
      headers: {
        origin: 'https://evil.test',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization, content-type',
      },
    });
    expect(res.headers.get('access-control-allow-headers')?.toLowerCase()).not.toContain(
      'authorization',
    );
  });
});
