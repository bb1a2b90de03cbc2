/**
 * What a developer does by hand to a webhook endpoint: send it a test event (only to it, signed
 * like any delivery), send a delivery again after the receiver failed it, move it to another URL
 * or other event types, give it a new secret.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliverDue, fanOut, verifySignature } from '../../collector/webhooks/index.ts';
import { testClock } from '../helpers/app.ts';
import { suiteHarness } from '../helpers/fixture.ts';
import { storeCases } from '../helpers/stores.ts';
import { makeLead } from '../scoring/fixtures.ts';
import { startReceiver } from './receiver.ts';

const HOUR = 3_600_000;

describe.each(storeCases)('webhooks by hand on $name', (sc) => {
  const clock = testClock(Date.now());
  const h = suiteHarness(sc, { clock });
  let allowed: string | undefined;

  beforeAll(() => {
    // The receivers listen on 127.0.0.1: allow private destinations (refused by default).
    allowed = process.env.TOUCHPOINT_WEBHOOKS_ALLOW_PRIVATE;
    process.env.TOUCHPOINT_WEBHOOKS_ALLOW_PRIVATE = '1';
  });
  afterAll(() => {
    if (allowed === undefined) delete process.env.TOUCHPOINT_WEBHOOKS_ALLOW_PRIVATE;
    else process.env.TOUCHPOINT_WEBHOOKS_ALLOW_PRIVATE = allowed;
  });

  const endpoint = async (url: string, events = ['lead.stage_changed']) => {
    const res = await h.secret('/v1/webhooks', {
      method: 'POST',
      body: JSON.stringify({ url, events }),
    });
    expect(res.status).toBe(201);
    return (await res.json()) as { id: string; secret: string };
  };
  const send = () => deliverDue(h.store, clock(), { timeoutMs: 2_000 });

  it('sends a signed webhook.test to that endpoint only, listed with its deliveries', async () => {
    const [mine, other] = [await startReceiver(), await startReceiver()];
    const ep = await endpoint(mine.url);
    const every = await endpoint(other.url, [
      'lead.created',
      'lead.identified',
      'lead.stage_changed',
      'lead.merged',
      'form.submitted',
    ]);
    const res = await h.secret(`/v1/webhooks/${ep.id}/test`, { method: 'POST' });
    expect(res.status).toBe(202);
    const queued = await res.json();
    expect(queued).toMatchObject({ type: 'webhook.test', status: 'pending', attempts: 0 });

    await fanOut(h.store, clock());
    await send();
    await Promise.all([mine.close(), other.close()]);
    expect(mine.received).toHaveLength(1);
    expect(other.received).toEqual([]);
    const { body, headers } = mine.received[0]!;
    expect(
      verifySignature(
        ep.secret,
        body,
        String(headers['touchpoint-signature']),
        clock().getTime() / 1000,
      ),
    ).toBe(true);
    expect(JSON.parse(body)).toMatchObject({
      id: queued.eventId,
      type: 'webhook.test',
      data: { endpointId: ep.id },
    });
    const list = await (await h.secret(`/v1/webhooks/${ep.id}/deliveries`)).json();
    expect(list.data).toEqual([
      expect.objectContaining({ id: queued.id, type: 'webhook.test', status: 'delivered' }),
    ]);
    const others = await (await h.secret(`/v1/webhooks/${every.id}/deliveries`)).json();
    expect(others.data).toEqual([]);
    expect((await h.secret('/v1/webhooks/wh_nobody/test', { method: 'POST' })).status).toBe(404);
  });

  it('sends a failed delivery again with the same event id, once the receiver is back', async () => {
    let down = true;
    const receiver = await startReceiver(() => (down ? 503 : 200));
    const ep = await endpoint(receiver.url);
    const lead = await makeLead(h.store, h.site.site.id, { email: 'again@acme.vn' });
    const moved = await h.secret(`/v1/leads/${lead}/stage`, {
      method: 'POST',
      body: JSON.stringify({ stage: 'sql' }),
    });
    expect(moved.status).toBe(200);
    await fanOut(h.store, clock());
    await send();
    // A day of a receiver down: the retries run out and the delivery is failed.
    clock.advance(25 * HOUR);
    await send();
    const deliveries = async () =>
      (await (await h.secret(`/v1/webhooks/${ep.id}/deliveries`)).json()).data as {
        id: string;
        status: string;
      }[];
    const [failed] = await deliveries();
    expect(failed).toMatchObject({ status: 'failed' });

    down = false;
    const retry = await h.secret(`/v1/webhooks/${ep.id}/deliveries/${failed!.id}/retry`, {
      method: 'POST',
    });
    expect(retry.status).toBe(202);
    expect(await retry.json()).toMatchObject({ id: failed!.id, status: 'pending' });
    await send();
    await receiver.close();
    expect(await deliveries()).toEqual([expect.objectContaining({ status: 'delivered' })]);
    const ids = receiver.received.map((r) => JSON.parse(r.body).id);
    expect(ids.length).toBeGreaterThanOrEqual(3);
    expect(new Set(ids).size).toBe(1);

    const unknown = await h.secret(`/v1/webhooks/${ep.id}/deliveries/dlv_nobody/retry`, {
      method: 'POST',
    });
    expect(unknown.status).toBe(404);
  });

  it('moves an endpoint to a new URL and event types; a delivery not yet sent follows it', async () => {
    const [old, moved] = [await startReceiver(), await startReceiver()];
    const ep = await endpoint(old.url);
    const test = await h.secret(`/v1/webhooks/${ep.id}/test`, { method: 'POST' });
    expect(test.status).toBe(202);
    const patch = (body: unknown, id = ep.id) =>
      h.secret(`/v1/webhooks/${id}`, { method: 'PATCH', body: JSON.stringify(body) });
    const res = await patch({ url: moved.url, events: ['lead.merged', 'form.submitted'] });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      id: ep.id,
      url: moved.url,
      events: ['lead.merged', 'form.submitted'],
    });
    await send();
    await Promise.all([old.close(), moved.close()]);
    expect(old.received).toEqual([]);
    expect(moved.received).toHaveLength(1);

    const bad = await patch({ url: 'ftp://x.example.com', events: ['lead.nope'], extra: 1 });
    expect(bad.status).toBe(400);
    const errors = (await bad.json()).errors as { path: string; message: string }[];
    expect(errors.map((e) => e.path).sort()).toEqual(['', 'events.0', 'url']);
    // An unknown field is named (at the body's path, as POST /v1/webhooks answers it).
    expect(errors.find((e) => e.path === '')!.message).toContain('extra');
    expect((await patch({ events: [] })).status).toBe(400);
    expect((await patch({ url: moved.url }, 'wh_nobody')).status).toBe(404);
  });

  it('signs with a new secret from the next delivery on, shown only in its answer', async () => {
    const receiver = await startReceiver();
    const ep = await endpoint(receiver.url);
    const res = await h.secret(`/v1/webhooks/${ep.id}/secret`, { method: 'POST' });
    expect(res.status).toBe(200);
    const rotated = (await res.json()) as { id: string; secret: string };
    expect(rotated).toMatchObject({ id: ep.id, secret: expect.stringMatching(/^whsec_/) });
    expect(rotated.secret).not.toBe(ep.secret);
    const list = await (await h.secret('/v1/webhooks')).text();
    expect(list).not.toContain(rotated.secret);

    expect((await h.secret(`/v1/webhooks/${ep.id}/test`, { method: 'POST' })).status).toBe(202);
    await send();
    await receiver.close();
    const { body, headers } = receiver.received[0]!;
    const sig = String(headers['touchpoint-signature']);
    const now = clock().getTime() / 1000;
    expect(verifySignature(rotated.secret, body, sig, now)).toBe(true);
    expect(verifySignature(ep.secret, body, sig, now)).toBe(false);
    expect((await h.secret('/v1/webhooks/wh_nobody/secret', { method: 'POST' })).status).toBe(404);
  });
});
