import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWorkers } from '../../collector/jobs/index.ts';
import { event, ORIGIN } from '../helpers/app.ts';
import { suiteHarness } from '../helpers/fixture.ts';
import { storeCases } from '../helpers/stores.ts';
import { startReceiver } from '../webhooks/receiver.ts';
import { leadOfAnon } from './helpers.ts';

const PHONE = '+84 912 345 678';

describe.each(storeCases)('erasure and webhook payloads on $name', (sc) => {
  const h = suiteHarness(sc);

  beforeAll(async () => {
    process.env.TOUCHPOINT_WEBHOOKS_ALLOW_PRIVATE = '1';
    const survey = {
      id: 'callback',
      name: 'Call me back',
      kind: 'inline',
      trigger: { type: 'load' },
      fields: [{ name: 'phone', type: 'tel', label: 'Phone', required: true }],
    };
    expect(
      (await h.secret('/v1/forms', { method: 'POST', body: JSON.stringify(survey) })).status,
    ).toBe(201);
  });
  afterAll(() => {
    delete process.env.TOUCHPOINT_WEBHOOKS_ALLOW_PRIVATE;
  });

  it('a form sent before the visitor was identified is never delivered after the lead is erased', async () => {
    const receiver = await startReceiver();
    const ep = await (
      await h.secret('/v1/webhooks', {
        method: 'POST',
        body: JSON.stringify({ url: receiver.url, events: ['form.submitted', 'lead.created'] }),
      })
    ).json();
    // Anonymous: a phone number, no email — no lead yet, so the payload has `leadId: null`.
    const sub = await h.app.request(
      '/v1/forms/callback/submissions',
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: ORIGIN },
        body: JSON.stringify({
          site: h.site.publicKey,
          id: 'sub-erase-1',
          anonymousId: 'erase-me',
          sessionId: 's-erase',
          url: 'https://www.example.com/contact',
          elapsedMs: 8_000,
          hp: '',
          values: { phone: PHONE },
        }),
      },
      { incoming: { socket: { remoteAddress: '10.9.8.7' } } },
    );
    expect(sub.status).toBe(202);
    const res = await h.collect([
      event({ type: 'identify', anonymousId: 'erase-me', traits: { email: 'erase@example.org' } }),
    ]);
    expect(res.status).toBe(202);
    const lead = await leadOfAnon(h.store, 'erase-me');
    expect(lead).not.toBeNull();

    // Erased before the worker got to it: nothing about the person may leave afterwards.
    expect((await h.secret(`/v1/leads/${lead}`, { method: 'DELETE' })).status).toBe(204);
    const w = startWorkers(h.deps, { intervalMs: 0, deliver: { timeoutMs: 2_000 } });
    await w.tick();
    await w.stop();
    const sent = receiver.received.map((r) => r.body).join('\n');
    expect(sent).not.toContain(PHONE);
    expect(sent).not.toContain('erase@example.org');
    const deliveries = await (await h.secret(`/v1/webhooks/${ep.id}/deliveries`)).json();
    expect(deliveries.data).toEqual([]);
    const { rows } = await h.store.query<{ n: number }>(
      `select count(*)::int as n from webhook_events where data::text like $1`,
      [`%${PHONE}%`],
    );
    expect(rows[0]!.n).toBe(0);
    await receiver.close();
  });
});
