import { beforeAll, describe, expect, it } from 'vitest';
import { event, harness } from '../helpers/app.ts';
import { suiteHarness } from '../helpers/fixture.ts';
import { storeCases } from '../helpers/stores.ts';
import { type Harness, identify, send } from './leads-helpers.ts';

describe.each(storeCases)('secret endpoints of leads and visitors on $name', (sc) => {
  let other: Harness;
  let leadId: string;
  let loserId: string;
  const h = suiteHarness(sc);

  beforeAll(async () => {
    other = await harness(h.store);
    await send(h, event({ anonymousId: 'auth-anon' }));
    leadId = await identify(h, h.store, 'auth-anon', { email: 'auth@example.com' });
    loserId = await identify(h, h.store, 'auth-anon-2', { email: 'auth2@example.com' });
  });

  const endpoints = (): [string, string, string?][] => [
    ['GET', '/v1/leads'],
    ['GET', '/v1/leads/export.csv'],
    ['GET', `/v1/leads/${leadId}`],
    ['GET', `/v1/leads/${leadId}/timeline`],
    ['PATCH', `/v1/leads/${leadId}`, '{"traits":{"x":1}}'],
    ['POST', `/v1/leads/${leadId}/merge`, JSON.stringify({ leadId: loserId })],
    ['DELETE', `/v1/leads/${leadId}`],
    ['GET', '/v1/visitors'],
    ['GET', '/v1/visitors/auth-anon'],
  ];

  it('refuse a missing key and the public key with 401 problem+json', async () => {
    for (const [method, path, body] of endpoints()) {
      for (const authorization of [
        undefined,
        `Bearer ${h.site.publicKey}`,
        'Bearer sk_nope',
        'Basic abc',
      ]) {
        const headers: Record<string, string> = { 'content-type': 'application/json' };
        if (authorization) headers.authorization = authorization;
        const res = await h.app.request(path, { method, headers, body });
        expect(res.status, `${method} ${path} with ${authorization}`).toBe(401);
        expect(res.headers.get('content-type')).toContain('application/problem+json');
      }
    }
  });

  it('another site’s secret key sees none of this site’s data', async () => {
    for (const [method, path, body] of endpoints()) {
      const res = await other.secret(path, { method, body });
      if (path === '/v1/leads' || path === '/v1/visitors') {
        expect(res.status).toBe(200);
        expect((await res.json()).data).toEqual([]);
      } else if (path.endsWith('.csv')) {
        expect(res.status).toBe(200);
        expect((await res.text()).trim().split('\r\n')).toHaveLength(1); // header only
      } else {
        expect(res.status, `${method} ${path}`).toBe(404);
      }
    }
    // Nothing was changed by those attempts.
    const lead = await h.secret(`/v1/leads/${leadId}`);
    expect(lead.status).toBe(200);
    expect((await lead.json()).traits).not.toHaveProperty('x');
  });
});
