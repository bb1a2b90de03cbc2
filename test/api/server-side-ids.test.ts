/**
 * Server-side events are stored under made-up anonymous ids (`lead:<leadId>` for
 * `POST /v1/leads/{id}/events`, `uid:<userId>` for userId-only Segment messages): they reach the
 * lead, but they are not website visitors, so no report, visitor list or lead's browser list
 * counts them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FunnelReport } from '../../collector/api/reports-schema.ts';
import type { Store } from '../../collector/store/index.ts';
import { event, harness } from '../helpers/app.ts';
import { storeCases } from '../helpers/stores.ts';
import { getJson, type Harness, send } from './leads-helpers.ts';

interface ChannelRow {
  channel: string;
  visitors: number;
  leads: number;
  customers: number;
}

describe.each(storeCases)('server-side anonymous ids are not visitors on $name', (sc) => {
  let store: Store;
  let close: () => Promise<void>;

  beforeAll(async () => {
    ({ store, close } = await sc.open());
  });
  afterAll(() => close());

  /**
   * A fresh site with one paid-search browser, `browser`, that identified as `email` in the same
   * session (the id is new to the store too: links are read across sites here).
   */
  const siteWithOneBrowser = async (browser: string, email: string) => {
    const h = await harness(store);
    const t = Date.now() - 3_600_000;
    const visit = { anonymousId: browser, sessionId: `${browser}-session` };
    await send(
      h,
      event({
        ...visit,
        timestamp: t,
        url: 'https://www.example.com/?utm_source=google&utm_medium=cpc',
      }),
      event({ ...visit, type: 'identify', traits: { email }, timestamp: t + 60_000 }),
    );
    const { rows } = await store.query<{ lead_id: string }>(
      'select lead_id from anonymous_links where anonymous_id = $1',
      [browser],
    );
    return { h, leadId: rows[0]!.lead_id };
  };

  const purchase = async (h: Harness, leadId: string) => {
    const res = await h.secret(`/v1/leads/${leadId}/events`, {
      method: 'POST',
      body: JSON.stringify({ name: 'purchase', properties: { value: 99 } }),
    });
    expect(res.status).toBe(202);
  };

  const segment = async (h: Harness, message: Record<string, unknown>) => {
    const res = await h.secret('/v1/track', { method: 'POST', body: JSON.stringify(message) });
    expect(res.status, await res.clone().text()).toBe(200);
  };

  const visitorStage = async (h: Harness) =>
    (await getJson<FunnelReport>(h, '/v1/reports/funnel')).stages.find(
      (s) => s.stage === 'visitor',
    );

  it('a page cannot write into a lead by naming its server-side id (400 at the field)', async () => {
    const { h, leadId } = await siteWithOneBrowser('ssi-spoof', 'spoof@example.com');
    await segment(h, { userId: 'u-guessable', event: 'Logged In' });
    for (const anonymousId of ['uid:u-guessable', `lead:${leadId}`]) {
      const res = await h.collect([event({ anonymousId, type: 'track', name: 'fake' })]);
      expect(res.status, anonymousId).toBe(400);
      expect((await res.json()).errors[0].path).toBe('events.0.anonymousId');
    }
    const { rows } = await store.query("select 1 from events where name = 'fake'");
    expect(rows).toEqual([]);
  });

  it('a trusted purchase leaves the funnel’s visitors and the channels report as they were', async () => {
    const { h, leadId } = await siteWithOneBrowser('buyer-browser', 'buyer@example.com');
    const funnelBefore = await visitorStage(h);
    const channelsBefore = await getJson(h, '/v1/reports/channels');
    expect(funnelBefore).toMatchObject({ entered: 1, converted: 1 });

    await purchase(h, leadId);

    expect(await visitorStage(h)).toEqual(funnelBefore);
    const channels = await getJson<{ firstTouch: ChannelRow[]; lastTouch: ChannelRow[] }>(
      h,
      '/v1/reports/channels',
    );
    expect(channels.firstTouch.map((r) => r.channel)).toEqual(['paid_search']);
    expect(channels.lastTouch.map((r) => r.channel)).toEqual(['paid_search']);
    // The purchase still makes the lead a customer, counted on its browser's channel.
    expect(channels.firstTouch[0]).toMatchObject({ visitors: 1, leads: 1, customers: 1 });
    expect(channelsBefore.firstTouch[0]).toMatchObject({ visitors: 1, leads: 1, customers: 0 });
  });

  it('a userId-only Segment message is not a visitor in the funnel, channels or visitor list', async () => {
    const { h } = await siteWithOneBrowser('app-browser', 'app-user@example.com');
    await segment(h, { userId: 'u-app', event: 'Report Exported' });
    expect(await visitorStage(h)).toMatchObject({ count: 0, entered: 1 });
    const channels = await getJson<{ firstTouch: ChannelRow[] }>(h, '/v1/reports/channels');
    expect(channels.firstTouch.map((r) => r.channel)).toEqual(['paid_search']);
    const listed = await getJson<{ data: { anonymousId: string }[] }>(h, '/v1/visitors');
    expect(listed.data.map((v) => v.anonymousId)).toEqual(['app-browser']);
  });

  it('the visitor list and visitor page show browsers only, whatever the identified filter', async () => {
    const { h, leadId } = await siteWithOneBrowser('listed-browser', 'listed@example.com');
    await purchase(h, leadId);
    await segment(h, { userId: 'u-listed', event: 'Logged In' });
    for (const q of ['', '?identified=true', '?identified=false']) {
      const listed = await getJson<{ data: { anonymousId: string }[] }>(h, `/v1/visitors${q}`);
      expect(
        listed.data.map((v) => v.anonymousId),
        q,
      ).toEqual(q === '?identified=false' ? [] : ['listed-browser']);
    }
    for (const anon of [`lead:${leadId}`, 'uid:u-listed']) {
      const res = await h.secret(`/v1/visitors/${encodeURIComponent(anon)}`);
      expect(res.status, anon).toBe(404);
    }
  });

  it('a lead’s anonymousIds list its browsers; its timeline and stage keep the server events', async () => {
    const { h, leadId } = await siteWithOneBrowser('devices-laptop', 'devices@example.com');
    await send(
      h,
      event({
        type: 'identify',
        anonymousId: 'devices-phone',
        traits: { email: 'devices@example.com', userId: 'u-devices' },
      }),
    );
    await purchase(h, leadId);
    await segment(h, { userId: 'u-devices', event: 'Plan Upgraded' });

    const lead = await getJson(h, `/v1/leads/${leadId}`);
    expect(lead.anonymousIds).toEqual(['devices-laptop', 'devices-phone']);
    expect(lead.stage).toBe('customer');
    const listed = await getJson(h, '/v1/leads?q=devices%40example.com');
    expect(listed.data[0].anonymousIds).toEqual(['devices-laptop', 'devices-phone']);
    const timeline = await getJson<{ data: { name: string | null }[] }>(
      h,
      `/v1/leads/${leadId}/timeline`,
    );
    expect(timeline.data.map((e) => e.name)).toEqual(
      expect.arrayContaining(['purchase', 'Plan Upgraded']),
    );
  });
});
