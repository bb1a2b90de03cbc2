import { createHmac } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { startWorkers } from '../../collector/jobs/index.ts';
import { openPostgres } from '../../collector/store/index.ts';
import { deliverDue, fanOut, verifySignature } from '../../collector/webhooks/index.ts';
import { testClock } from '../helpers/app.ts';
import { suiteHarness } from '../helpers/fixture.ts';
import { storeCases } from '../helpers/stores.ts';
import { makeLead } from '../scoring/fixtures.ts';
import { startReceiver } from './receiver.ts';

describe.each(storeCases)('webhooks on $name', (sc) => {
  const clock = testClock(Date.now());
  const h = suiteHarness(sc, { clock });

  beforeAll(async () => {
    // The receiver listens on 127.0.0.1: allow private destinations (refused by default).
    process.env.TOUCHPOINT_WEBHOOKS_ALLOW_PRIVATE = '1';
  });

  const post = (body: unknown) =>
    h.secret('/v1/webhooks', { method: 'POST', body: JSON.stringify(body) });
  const move = (lead: string, stage: string, reason?: string) =>
    h.secret(`/v1/leads/${lead}/stage`, {
      method: 'POST',
      body: JSON.stringify({ stage, reason }),
    });
  const workers = () =>
    startWorkers({ ...h.deps }, { intervalMs: 0, deliver: { timeoutMs: 2_000 } });

  it('creates endpoints (secret shown once), lists, deletes, and rejects bad input', async () => {
    const bad = await post({ url: 'ftp://example.com/x', events: ['lead.created', 'lead.nope'] });
    expect(bad.status).toBe(400);
    const paths = (await bad.json()).errors.map((e: { path: string }) => e.path);
    expect(paths).toEqual(expect.arrayContaining(['url', 'events.1']));
    expect((await post({ url: 'javascript:alert(1)', events: ['lead.created'] })).status).toBe(400);

    const res = await post({ url: 'https://hooks.example.com/tp', events: ['lead.stage_changed'] });
    expect(res.status).toBe(201);
    const ep = await res.json();
    expect(ep).toMatchObject({
      url: 'https://hooks.example.com/tp',
      events: ['lead.stage_changed'],
    });
    expect(ep.secret).toMatch(/^whsec_/);
    const list = await (await h.secret('/v1/webhooks')).json();
    expect(list.data).toEqual([
      { id: ep.id, url: ep.url, events: ep.events, createdAt: ep.createdAt },
    ]);
    expect(JSON.stringify(list)).not.toContain(ep.secret);
    expect((await h.secret(`/v1/webhooks/${ep.id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await h.secret(`/v1/webhooks/${ep.id}`, { method: 'DELETE' })).status).toBe(404);
    expect((await h.secret(`/v1/webhooks/${ep.id}/deliveries`)).status).toBe(404);
    expect((await h.app.request('/v1/webhooks')).status).toBe(401);
  });

  it('pages deliveries newest first with a cursor, and refuses a cursor not from the list', async () => {
    const receiver = await startReceiver();
    const ep = await (await post({ url: receiver.url, events: ['lead.stage_changed'] })).json();
    const lead = await makeLead(h.store, h.site.site.id);
    for (const stage of ['mql', 'sql', 'opportunity']) {
      await move(lead, stage);
      clock.advance(1_000);
    }
    const w = workers();
    await w.tick();
    await w.stop();
    await receiver.close();
    const list = (q: string) => h.secret(`/v1/webhooks/${ep.id}/deliveries?${q}`);
    const first = await (await list('limit=2')).json();
    expect(first.data).toHaveLength(2);
    expect(first.nextCursor).toEqual(expect.any(String));
    const second = await (await list(`limit=2&cursor=${first.nextCursor}`)).json();
    expect(second).toMatchObject({ data: [expect.anything()], nextCursor: null });
    const all = [...first.data, ...second.data];
    expect(new Set(all.map((d: { id: string }) => d.id)).size).toBe(3);
    const times = all.map((d: { createdAt: string }) => d.createdAt);
    expect(times).toEqual([...times].sort().reverse());
    const bad = await list('cursor=garbage');
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ errors: [{ path: 'cursor' }] });
    await h.secret(`/v1/webhooks/${ep.id}`, { method: 'DELETE' });
  });

  it('delivers a signed { id, type, createdAt, data } a receiver can verify', async () => {
    const receiver = await startReceiver();
    const ep = await (await post({ url: receiver.url, events: ['lead.stage_changed'] })).json();
    const lead = await makeLead(h.store, h.site.site.id, { email: 'hook@acme.vn' });
    await h.store.query(`update leads set name = 'Hồ Thu' where lead_id = $1`, [lead]);
    await move(lead, 'sql');
    const w = workers();
    await w.tick();
    await w.stop();
    await receiver.close();

    expect(receiver.received).toHaveLength(1);
    const { headers, body } = receiver.received[0]!;
    expect(headers['content-type']).toBe('application/json');
    const sig = String(headers['touchpoint-signature']);
    expect(verifySignature(ep.secret, body, sig, Date.now() / 1000)).toBe(true);
    expect(verifySignature(ep.secret, `${body} `, sig, Date.now() / 1000)).toBe(false);
    // The README's recipe, by hand.
    const [, t, v1] = /^t=(\d+),v1=([0-9a-f]+)$/.exec(sig)!;
    expect(createHmac('sha256', ep.secret).update(`${t}.${body}`).digest('hex')).toBe(v1);
    const payload = JSON.parse(body);
    expect(Object.keys(payload)).toEqual(['id', 'type', 'createdAt', 'data']);
    expect(payload).toMatchObject({
      type: 'lead.stage_changed',
      data: {
        leadId: lead,
        from: 'lead',
        to: 'sql',
        actor: 'api',
        // Who it is, for a sales tool that gets no other call.
        lead: { id: lead, email: 'hook@acme.vn', name: 'Hồ Thu', score: 0 },
      },
    });
    const deliveries = await (await h.secret(`/v1/webhooks/${ep.id}/deliveries`)).json();
    expect(deliveries.data).toEqual([
      expect.objectContaining({
        eventId: payload.id,
        status: 'delivered',
        attempts: 1,
        lastStatus: 200,
      }),
    ]);
    // Erasing the person (their outbox events) erases what was sent about them.
    await h.store.query(`delete from webhook_events where data->>'leadId' = $1`, [lead]);
    expect((await (await h.secret(`/v1/webhooks/${ep.id}/deliveries`)).json()).data).toEqual([]);
    await h.secret(`/v1/webhooks/${ep.id}`, { method: 'DELETE' });
    const { rows } = await h.store.query<{ n: number }>(
      'select count(*)::int as n from webhook_deliveries where endpoint_id = $1',
      [ep.id],
    );
    expect(rows[0]!.n).toBe(0);
  });

  it('delivers on its own when the worker loop runs, and stops cleanly', async () => {
    const receiver = await startReceiver();
    const ep = await (await post({ url: receiver.url, events: ['lead.stage_changed'] })).json();
    const lead = await makeLead(h.store, h.site.site.id);
    await move(lead, 'opportunity');
    const w = startWorkers(h.deps, { intervalMs: 10 });
    for (let i = 0; i < 200 && receiver.received.length === 0; i++) {
      await new Promise((r) => setTimeout(r, 10));
    }
    await w.stop();
    await receiver.close();
    expect(receiver.received).toHaveLength(1);
    expect(JSON.parse(receiver.received[0]!.body).data).toMatchObject({
      leadId: lead,
      to: 'opportunity',
    });
    await h.secret(`/v1/webhooks/${ep.id}`, { method: 'DELETE' });
  });

  it('retries a receiver answering 500 with backoff until it succeeds, and gives up after a day', async () => {
    const flaky = await startReceiver((n) => (n < 2 ? 500 : 204));
    const down = await startReceiver(() => 500);
    const ep1 = await (await post({ url: flaky.url, events: ['lead.stage_changed'] })).json();
    const ep2 = await (await post({ url: down.url, events: ['lead.stage_changed'] })).json();
    const lead = await makeLead(h.store, h.site.site.id);
    await move(lead, 'lost', 'chose a competitor');
    const w = workers();
    const status = async (id: string) =>
      (await (await h.secret(`/v1/webhooks/${id}/deliveries`)).json()).data[0];

    await w.tick();
    expect(await status(ep1.id)).toMatchObject({ status: 'pending', attempts: 1, lastStatus: 500 });
    await w.tick(); // not due yet: backoff
    expect(flaky.received).toHaveLength(1);
    clock.advance(30_000);
    await w.tick();
    expect(await status(ep1.id)).toMatchObject({ status: 'pending', attempts: 2 });
    clock.advance(60_000);
    await w.tick();
    expect(await status(ep1.id)).toMatchObject({
      status: 'delivered',
      attempts: 3,
      lastStatus: 204,
    });
    expect(flaky.received.map((r) => JSON.parse(r.body).id)).toEqual(
      Array(3).fill(JSON.parse(flaky.received[0]!.body).id),
    );

    for (let i = 0; i < 20 && (await status(ep2.id)).status === 'pending'; i++) {
      clock.advance(4 * 3_600_000);
      await w.tick();
    }
    const gaveUp = await status(ep2.id);
    expect(gaveUp.status).toBe('failed');
    expect(gaveUp.attempts).toBeGreaterThan(8);
    expect(gaveUp.attempts).toBe(down.received.length);
    await w.stop();
    await flaky.close();
    await down.close();
  });

  it.runIf(sc.name === 'postgres')(
    'never sends a delivery twice when two collector processes deliver at once',
    async () => {
      const receiver = await startReceiver(() => 200, 30);
      const ep = await (await post({ url: receiver.url, events: ['lead.stage_changed'] })).json();
      const leads = [];
      for (let i = 0; i < 40; i++) leads.push(await makeLead(h.store, h.site.site.id));
      await Promise.all(leads.map((l) => move(l, 'sql')));
      // Two processes: two separate connection pools on the same database.
      const a = openPostgres(h.url!);
      const b = openPostgres(h.url!);
      const now = () => clock();
      for (let round = 0; round < 6; round++) {
        await Promise.all([fanOut(a, now(), 7), fanOut(b, now(), 7)]);
        await Promise.all([
          deliverDue(a, now(), { limit: 5 }),
          deliverDue(b, now(), { limit: 5 }),
          deliverDue(a, now(), { limit: 5 }),
          deliverDue(b, now(), { limit: 5 }),
        ]);
      }
      while ((await fanOut(a, now())) > 0);
      while ((await deliverDue(b, now())) > 0);
      await a.close();
      await b.close();
      await receiver.close();
      const ids = receiver.received.map((r) => JSON.parse(r.body).id);
      expect(ids).toHaveLength(40);
      expect(new Set(ids).size).toBe(40);
      const { rows } = await h.store.query<{ n: number }>(
        `select count(*)::int as n from webhook_deliveries where endpoint_id = $1 and status = 'delivered' and attempts = 1`,
        [ep.id],
      );
      expect(rows[0]!.n).toBe(40);
    },
  );
});
