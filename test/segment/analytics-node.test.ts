import { Analytics } from '@segment/analytics-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningCollector, startCollector } from '../helpers/server.ts';

/** The real Segment Node client against a real collector on a free port. */
describe('Segment @segment/analytics-node client → collector', () => {
  let c: RunningCollector;
  beforeAll(async () => {
    c = await startCollector();
  });
  afterAll(() => c.dispose());

  const api = async (path: string) => {
    const res = await fetch(`${c.url}${path}`, {
      headers: { authorization: `Bearer ${c.site.secretKey}` },
    });
    expect(res.status).toBe(200);
    // biome-ignore lint/suspicious/noExplicitAny: loosely typed JSON answer
    return (await res.json()) as any;
  };

  it('identify + track with an anonymousId: the lead appears with the browser’s events', async () => {
    const errors: unknown[] = [];
    const analytics = new Analytics({
      writeKey: c.site.secretKey,
      host: c.url,
      flushAt: 2,
      maxRetries: 0,
    });
    analytics.on('error', (e) => errors.push(e));
    analytics.identify({
      anonymousId: 'seg-browser-1',
      userId: 'seg-user-1',
      traits: { email: 'Segment.User@Example.com', name: 'Seg User', plan: 'pro' },
    });
    analytics.track({
      anonymousId: 'seg-browser-1',
      userId: 'seg-user-1',
      event: 'Order Completed',
      properties: { value: 42 },
    });
    analytics.page({
      anonymousId: 'seg-browser-1',
      name: 'Pricing',
      properties: { url: 'https://www.example.com/pricing' },
    });
    await analytics.closeAndFlush({ timeout: 10_000 });
    expect(errors).toEqual([]);

    const list = await api('/v1/leads?q=segment.user');
    expect(list.data).toHaveLength(1);
    const lead = list.data[0];
    expect(lead).toMatchObject({
      email: 'segment.user@example.com',
      name: 'Seg User',
      // A trusted (server-side) `Order Completed` is the lead's first purchase: a customer.
      stage: 'customer',
      traits: { plan: 'pro' },
    });
    expect(lead.identities).toEqual(
      expect.arrayContaining([
        { kind: 'email', value: 'segment.user@example.com' },
        { kind: 'userId', value: 'seg-user-1' },
      ]),
    );
    expect(lead.anonymousIds).toEqual(['seg-browser-1']);
    const tl = await api(`/v1/leads/${lead.id}/timeline`);
    const types = tl.data
      .map((e: { type: string; name: string | null }) => `${e.type}:${e.name ?? ''}`)
      .sort();
    expect(types).toEqual(['identify:', 'pageview:Pricing', 'track:Order Completed']);
    expect(tl.data.every((e: { trusted: boolean }) => e.trusted)).toBe(true);
  });

  it('messages with only a userId reach the user’s lead (synthetic uid: anonymous id)', async () => {
    const analytics = new Analytics({
      writeKey: c.site.secretKey,
      host: c.url,
      flushAt: 1,
      maxRetries: 0,
    });
    analytics.identify({ userId: 'only-uid', traits: { email: 'only.uid@example.com' } });
    await analytics.closeAndFlush({ timeout: 10_000 });
    const later = new Analytics({
      writeKey: c.site.secretKey,
      host: c.url,
      flushAt: 1,
      maxRetries: 0,
    });
    later.track({ userId: 'only-uid', event: 'Logged In' });
    await later.closeAndFlush({ timeout: 10_000 });
    const lead = (await api('/v1/leads?q=only.uid')).data[0];
    // A userId-only source is no browser: the lead lists none (its events are on the timeline).
    expect(lead.anonymousIds).toEqual([]);
    const tl = await api(`/v1/leads/${lead.id}/timeline`);
    expect(tl.data.map((e: { name: string | null }) => e.name)).toContain('Logged In');
  });
});
