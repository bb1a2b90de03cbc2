/**
 * Audit of the delivery promises: a slow receiver does not hold up other endpoints, a late
 * answer never overwrites a newer attempt's outcome, and network errors say what happened.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliverDue, drainDeliveries, fanOut } from '../../collector/webhooks/deliver.ts';
import { testClock } from '../helpers/app.ts';
import { suiteHarness } from '../helpers/fixture.ts';
import { storeCases } from '../helpers/stores.ts';
import { makeLead } from '../scoring/fixtures.ts';

/** A receiver whose answers the test controls: `handle` gets every request. */
async function controlled(handle: (req: IncomingMessage, res: ServerResponse, n: number) => void) {
  let n = 0;
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => handle(req, res, n++));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks`,
    count: () => n,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

/** Polls `done` (bounded, so a broken build fails instead of hanging). */
async function until(done: () => boolean | Promise<boolean>) {
  for (let i = 0; i < 300 && !(await done()); i++) await new Promise((r) => setTimeout(r, 10));
}

describe.each(storeCases)('webhook delivery audit on $name', (sc) => {
  const clock = testClock(Date.now());
  const h = suiteHarness(sc, { clock });

  beforeAll(async () => {
    process.env.TOUCHPOINT_WEBHOOKS_ALLOW_PRIVATE = '1';
  });
  // Runs before the store closes (after-hooks run in reverse order).
  afterAll(() => drainDeliveries());

  const endpoint = async (url: string) =>
    (
      await (
        await h.secret('/v1/webhooks', {
          method: 'POST',
          body: JSON.stringify({ url, events: ['lead.stage_changed'] }),
        })
      ).json()
    ).id as string;
  const moves = async (n: number) => {
    for (let i = 0; i < n; i++) {
      const lead = await makeLead(h.store, h.site.site.id);
      await h.secret(`/v1/leads/${lead}/stage`, {
        method: 'POST',
        body: JSON.stringify({ stage: 'sql' }),
      });
    }
  };
  const deliveries = async (id: string) =>
    (await (await h.secret(`/v1/webhooks/${id}/deliveries?limit=100`)).json()).data as {
      status: string;
      attempts: number;
      lastStatus: number | null;
      lastError: string | null;
    }[];
  const remove = (id: string) => h.secret(`/v1/webhooks/${id}`, { method: 'DELETE' });

  it("does not hold one endpoint's deliveries behind another endpoint that hangs", async () => {
    const held: ServerResponse[] = [];
    const hanging = await controlled((_req, res) => held.push(res));
    const healthy = await controlled((_req, res) => res.end('ok'));
    const a = await endpoint(hanging.url);
    await moves(25);
    while ((await fanOut(h.store, clock())) > 0);
    clock.advance(1_000);
    const b = await endpoint(healthy.url);
    await moves(5);
    while ((await fanOut(h.store, clock())) > 0);
    // Endpoint a has 30 deliveries due, b has 5 newer ones; a never answers.
    const run = (async () => {
      for (let i = 0; i < 10; i++) await deliverDue(h.store, clock(), { timeoutMs: 60_000 });
    })();
    let finished = false;
    void run.then(() => {
      finished = true;
    });
    await until(() => healthy.count() === 5);
    const servedWhileHanging = healthy.count();
    await until(() => {
      for (const res of held.splice(0)) res.end('ok');
      return finished;
    });
    await run;
    await drainDeliveries();
    expect(servedWhileHanging).toBe(5);
    expect((await deliveries(b)).map((d) => d.status)).toEqual(Array(5).fill('delivered'));
    await remove(a);
    await remove(b);
    await hanging.close();
    await healthy.close();
  });

  it('never lets a late answer overwrite the outcome of a newer attempt', async () => {
    let first: ServerResponse | undefined;
    const r = await controlled((_req, res, n) => {
      if (n === 0) first = res;
      else res.end('ok');
    });
    const id = await endpoint(r.url);
    await moves(1);
    while ((await fanOut(h.store, clock())) > 0);
    // Attempt 1 hangs past its lease (this process stalled); attempt 2 is sent and delivered.
    const late = deliverDue(h.store, clock(), { timeoutMs: 60_000 });
    await until(() => first !== undefined);
    clock.advance(10 * 60_000);
    await deliverDue(h.store, clock(), { timeoutMs: 60_000 });
    await until(async () => (await deliveries(id))[0]?.status === 'delivered');
    expect(await deliveries(id)).toMatchObject([{ status: 'delivered', attempts: 2 }]);
    first!.statusCode = 500;
    first!.end('too late');
    await late;
    await drainDeliveries();
    expect(await deliveries(id)).toMatchObject([
      { status: 'delivered', attempts: 2, lastStatus: 200, lastError: null },
    ]);
    await remove(id);
    await r.close();
  });

  it('says why a connection failed instead of only "fetch failed"', async () => {
    const r = await controlled((req) => req.socket.destroy());
    const id = await endpoint(r.url);
    await moves(1);
    while ((await fanOut(h.store, clock())) > 0);
    await deliverDue(h.store, clock());
    await drainDeliveries();
    const [d] = await deliveries(id);
    expect(d).toMatchObject({ status: 'pending', attempts: 1, lastStatus: null });
    expect(d!.lastError).not.toBe('fetch failed');
    expect(d!.lastError).toMatch(/socket|closed|reset/i);
    await remove(id);
    await r.close();
  });
});
