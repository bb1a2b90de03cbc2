/**
 * Lifecycle audit through the HTTP API: a person's decision about a lead's stage stands until
 * something new happens, and every move is one history row and one `lead.stage_changed` event.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { HistoryEntry } from '../../collector/lifecycle/index.ts';
import { event, ORIGIN, testClock } from '../helpers/app.ts';
import { suiteHarness } from '../helpers/fixture.ts';
import { storeCases } from '../helpers/stores.ts';
import { leadOfAnon } from '../identity/helpers.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

describe.each(storeCases)('lifecycle audit on $name', (sc) => {
  const clock = testClock();
  const h = suiteHarness(sc, { clock });

  beforeAll(async () => {
    const form = await h.secret('/v1/forms', {
      method: 'POST',
      body: JSON.stringify({
        id: 'demo',
        name: 'Book a demo',
        kind: 'inline',
        salesReady: true,
        trigger: { type: 'load' },
        fields: [{ name: 'email', type: 'email', label: 'Email', required: true }],
      }),
    });
    expect(form.status).toBe(201);
    // 10 points a page, MQL at 20, a one-day half-life: scores cross the threshold both ways.
    const put = await h.secret('/v1/scoring', {
      method: 'PUT',
      body: JSON.stringify({
        mqlThreshold: 20,
        halfLifeDays: 1,
        fit: [],
        engagement: [{ id: 'pv', label: 'Page', event: { type: 'pageview' }, points: 10 }],
      }),
    });
    expect(put.status).toBe(202);
  });

  const now = () => clock().getTime();
  const collect = async (...events: ReturnType<typeof event>[]) => {
    const res = await h.collect(events, { sentAt: now() });
    expect(res.status).toBe(202);
  };
  const identify = async (anon: string, traits: Record<string, unknown> = {}) => {
    await collect(
      event({
        type: 'identify',
        anonymousId: anon,
        traits: { email: `${anon}@acme.test`, ...traits },
        timestamp: now(),
      }),
    );
    return (await leadOfAnon(h.store, anon, clock()))!;
  };
  const pageview = (anon: string) => collect(event({ anonymousId: anon, timestamp: now() }));
  const lead = async (id: string) => (await h.secret(`/v1/leads/${id}`)).json();
  const stage = async (id: string) => (await lead(id)).stage as string;
  const move = async (id: string, body: { stage: string; reason?: string }) => {
    const res = await h.secret(`/v1/leads/${id}/stage`, {
      method: 'POST',
      body: JSON.stringify(body),
    });
    expect(res.status, await res.clone().text()).toBe(200);
    clock.advance(60_000);
  };
  const purchase = async (id: string, orderId: string) => {
    const res = await h.secret(`/v1/leads/${id}/events`, {
      method: 'POST',
      body: JSON.stringify({ id: orderId, type: 'purchase', value: 100 }),
    });
    expect(res.status).toBe(202);
    clock.advance(60_000);
  };
  let sub = 0;
  const requestDemo = async (anon: string) => {
    const res = await h.app.request(
      '/v1/forms/demo/submissions',
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: ORIGIN },
        body: JSON.stringify({
          site: h.site.publicKey,
          id: `sub-${++sub}`,
          anonymousId: anon,
          sessionId: `s-${anon}`,
          url: 'https://www.example.com/demo',
          elapsedMs: 8_000,
          hp: '',
          values: { email: `${anon}@acme.test` },
        }),
      },
      { incoming: { socket: { remoteAddress: `10.9.0.${sub}` } } },
    );
    expect(res.status).toBe(202);
    clock.advance(60_000);
  };

  it('sales sends an SQL back to marketing: logging in again does not make it an SQL on the old demo request', async () => {
    const id = await identify('back-sql');
    await requestDemo('back-sql');
    expect(await stage(id)).toBe('sql');
    await move(id, { stage: 'mql', reason: 'not ready, nurture until Q3' });

    // The person logs in again (the site identifies on every page) and browses.
    await identify('back-sql', { title: 'CTO' });
    await pageview('back-sql');
    const after = await lead(id);
    expect(after.stage).toBe('mql');
    expect(after.stageHistory.at(-1)).toMatchObject({ from: 'sql', to: 'mql', actor: 'api' });

    // A new demo request is new evidence: an SQL again, by the system.
    await requestDemo('back-sql');
    const again = await lead(id);
    expect(again.stage).toBe('sql');
    expect(again.stageHistory.at(-1)).toMatchObject({
      from: 'mql',
      to: 'sql',
      actor: 'system',
      reason: 'sales-ready form submitted',
    });
  });

  it('a disqualified lead reinstated to lead stays a lead until it does something new', async () => {
    const id = await identify('reinstated');
    await requestDemo('reinstated');
    await move(id, { stage: 'disqualified', reason: 'student' });
    await move(id, { stage: 'lead' });
    await identify('reinstated');
    expect(await stage(id)).toBe('lead');
    await requestDemo('reinstated');
    expect(await stage(id)).toBe('sql');
  });

  it('a refunded customer moved back to opportunity is not a customer again on its refunded order', async () => {
    const id = await identify('refund');
    await purchase(id, 'refund-order-1');
    expect(await stage(id)).toBe('customer');
    await move(id, { stage: 'opportunity', reason: 'order refunded' });
    await identify('refund');
    expect(await stage(id)).toBe('opportunity');
    // Its next order is its first one that stands: a customer, not a repeat customer.
    await purchase(id, 'refund-order-2');
    expect(await stage(id)).toBe('customer');
    await purchase(id, 'refund-order-3');
    expect(await stage(id)).toBe('repeat_customer');
  });

  it('a repeat customer whose second order was cancelled is a repeat customer again on the next order', async () => {
    const id = await identify('cancel');
    await purchase(id, 'cancel-order-1');
    await purchase(id, 'cancel-order-2');
    expect(await stage(id)).toBe('repeat_customer');
    await move(id, { stage: 'customer', reason: 'second order cancelled' });
    await identify('cancel');
    expect(await stage(id)).toBe('customer');
    await purchase(id, 'cancel-order-3');
    expect(await stage(id)).toBe('repeat_customer');
  });

  it('an MQL sent back to lead is not re-promoted by its old score; it must reach the threshold again', async () => {
    const id = await identify('back-mql');
    await pageview('back-mql');
    await pageview('back-mql');
    expect(await stage(id)).toBe('mql');
    await move(id, { stage: 'lead', reason: 'competitor browsing' });

    // Still above the threshold: more pages, a login, an hour of decay change nothing.
    await pageview('back-mql');
    await identify('back-mql');
    clock.advance(HOUR);
    await pageview('back-mql');
    expect((await lead(id)).score.total).toBeGreaterThan(20);
    expect(await stage(id)).toBe('lead');

    // Four days on, the score has fallen under 20; two new pages take it over again.
    clock.advance(4 * DAY);
    await pageview('back-mql');
    expect((await lead(id)).score.total).toBeLessThan(20);
    expect(await stage(id)).toBe('lead');
    await pageview('back-mql');
    const after = await lead(id);
    expect(after.score.total).toBeGreaterThanOrEqual(20);
    expect(after.stage).toBe('mql');
    expect(after.stageHistory.at(-1)).toMatchObject({ from: 'lead', to: 'mql', actor: 'system' });
  });

  it('every move is one history row and one lead.stage_changed event with the same from, to, reason and actor', async () => {
    const id = await identify('moves');
    // Straight from lead to customer: one move, not three.
    await purchase(id, 'moves-order-1');
    expect(await stage(id)).toBe('customer');
    await purchase(id, 'moves-order-1'); // replayed: still one purchase
    expect(await stage(id)).toBe('customer');
    await move(id, { stage: 'sql', reason: 'wrong account' });
    await move(id, { stage: 'sql', reason: 'again' }); // no move
    await move(id, { stage: 'lost', reason: 'no budget' });
    await move(id, { stage: 'opportunity' });
    // Merged with a duplicate record that is further: the survivor takes its stage.
    const dup = await identify('moves-dup');
    await purchase(dup, 'dup-order-1');
    await purchase(dup, 'dup-order-2');
    const merged = await h.secret(`/v1/leads/${id}/merge`, {
      method: 'POST',
      body: JSON.stringify({ leadId: dup }),
    });
    expect(merged.status).toBe(200);

    const history: HistoryEntry[] = (await lead(id)).stageHistory;
    const { rows } = await h.store.query<{ data: Record<string, unknown> }>(
      `select data from webhook_events
        where site_id = $1 and type = 'lead.stage_changed' and data->>'leadId' = any($2::text[])
        order by created_at`,
      [h.site.site.id, [id, dup]],
    );
    const key = (m: { from: unknown; to: unknown; reason: unknown; actor: unknown; at: unknown }) =>
      `${m.from}>${m.to} ${m.actor} ${m.reason} ${m.at}`;
    expect(rows.map((r) => key(r.data as never)).sort()).toEqual(history.map(key).sort());
    const own = history.filter(
      (m) => !m.reason?.startsWith('merged') && m.to !== 'repeat_customer',
    );
    expect(own.filter((m) => m.to === 'customer' && m.actor === 'system')).toHaveLength(2);
    expect(history.find((m) => m.from === 'lead' && m.to === 'customer')).toMatchObject({
      reason: 'first trusted purchase',
      actor: 'system',
    });
    expect(history.at(-1)).toMatchObject({
      from: 'opportunity',
      to: 'repeat_customer',
      actor: 'api',
    });
  });
});
