import { describe, expect, it } from 'vitest';
import { refreshLeads, timeInStages } from '../../collector/lifecycle/index.ts';
import { readScore } from '../../collector/scoring/index.ts';
import { testClock } from '../helpers/app.ts';
import { suiteHarness } from '../helpers/fixture.ts';
import { storeCases } from '../helpers/stores.ts';
import { ev, ingestAs, makeLead } from '../scoring/fixtures.ts';

describe.each(storeCases)('lifecycle on $name', (sc) => {
  const clock = testClock();
  const h = suiteHarness(sc, { clock });

  const site = () => h.site.site;
  const stageOf = async (lead: string) =>
    (await h.store.query<{ stage: string }>('select stage from leads where lead_id = $1', [lead]))
      .rows[0]!.stage;
  const move = (lead: string, body: unknown) =>
    h.secret(`/v1/leads/${lead}/stage`, { method: 'POST', body: JSON.stringify(body) });
  const trusted = (lead: string, body: unknown) =>
    h.secret(`/v1/leads/${lead}/events`, { method: 'POST', body: JSON.stringify(body) });

  it('moves forward by hand without a reason, backward and to exits only with one', async () => {
    const lead = await makeLead(h.store, site().id, { anon: ['m-1'] });
    const fwd = await move(lead, { stage: 'opportunity' });
    expect(fwd.status).toBe(200);
    expect(await fwd.json()).toMatchObject({ id: lead, stage: 'opportunity', moved: true });

    const back = await move(lead, { stage: 'mql' });
    expect(back.status).toBe(400);
    const problem = await back.json();
    expect(problem.errors).toEqual([{ path: 'reason', message: expect.any(String) }]);
    expect(await stageOf(lead)).toBe('opportunity');

    clock.advance(60_000);
    const ok = await move(lead, { stage: 'mql', reason: 'budget frozen until Q3' });
    expect(ok.status).toBe(200);
    const body = await ok.json();
    expect(body.stageHistory).toEqual([
      expect.objectContaining({ from: 'lead', to: 'opportunity', reason: null, actor: 'api' }),
      expect.objectContaining({
        from: 'opportunity',
        to: 'mql',
        reason: 'budget frozen until Q3',
        actor: 'api',
      }),
    ]);
    // Time in stage is the gap between consecutive history rows.
    const spans = timeInStages(body.stageHistory, new Date(clock().getTime() + 5_000));
    expect(spans.map((s) => [s.stage, s.ms])).toEqual([
      ['opportunity', 60_000],
      ['mql', 5_000],
    ]);

    for (const stage of ['lost', 'disqualified']) {
      const r = await move(lead, { stage });
      expect(r.status).toBe(400);
      expect((await r.json()).errors[0].path).toBe('reason');
    }
    expect((await move(lead, { stage: 'disqualified', reason: 'student' })).status).toBe(200);
    expect((await move(lead, { stage: 'disqualified', reason: 'again' })).status).toBe(200);
    // A disqualified lead is not moved by automatic rules, even by a purchase.
    await trusted(lead, { type: 'track', name: 'purchase', properties: { value: 5 } });
    expect(await stageOf(lead)).toBe('disqualified');
  });

  it('takes a trusted event’s timestamp as epoch ms or ISO 8601, and refuses anything else', async () => {
    const lead = await makeLead(h.store, site().id);
    const at = clock().getTime() - 3_600_000;
    for (const [id, timestamp] of [
      ['srv-ts-ms', at],
      ['srv-ts-iso', new Date(at).toISOString()],
    ] as const) {
      expect((await trusted(lead, { id, type: 'track', name: 'demo', timestamp })).status).toBe(
        202,
      );
      const { rows } = await h.store.query<{ ts: Date }>(
        'select ts from events where event_id = $1',
        [id],
      );
      expect(new Date(rows[0]!.ts).getTime()).toBe(at);
    }
    // Past year 9999 was a 500 (neither store holds it); a day the calendar lacks was rolled over.
    for (const timestamp of ['yesterday', 1e20, '+010000-01-01T00:00:00Z', '2026-02-30']) {
      const bad = await trusted(lead, { type: 'track', name: 'demo', timestamp });
      expect(bad.status, String(timestamp)).toBe(400);
      expect((await bad.json()).errors).toEqual([expect.objectContaining({ path: 'timestamp' })]);
    }
  });

  it('answers bad moves with 4xx', async () => {
    const lead = await makeLead(h.store, site().id);
    expect((await move(lead, { stage: 'winner' })).status).toBe(400);
    expect((await move(lead, { stage: 'sql', reason: '' })).status).toBe(400);
    expect((await move('lead_missing', { stage: 'sql' })).status).toBe(404);
    const unauth = await h.app.request(`/v1/leads/${lead}/stage`, {
      method: 'POST',
      body: JSON.stringify({ stage: 'sql' }),
    });
    expect(unauth.status).toBe(401);
  });

  it('ignores a purchase claimed by the browser; trusted purchases make customers', async () => {
    const lead = await makeLead(h.store, site().id, { anon: ['buyer'] });
    const t = clock().getTime();
    await ingestAs(h.deps, site(), [
      ev({
        anonymousId: 'buyer',
        type: 'track',
        name: 'purchase',
        timestamp: t,
        properties: { value: 1e6 },
      }),
      ev({ anonymousId: 'buyer', type: 'track', name: 'Order Completed', timestamp: t }),
    ]);
    const { rows } = await h.store.query<{ n: number }>(
      `select count(*)::int as n from events where anonymous_id = 'buyer' and not trusted`,
    );
    expect(rows[0]!.n).toBe(2);
    expect(await stageOf(lead)).toBe('lead');

    const first = await trusted(lead, {
      type: 'track',
      name: 'purchase',
      properties: { value: 99 },
    });
    expect(first.status).toBe(202);
    expect(await first.json()).toMatchObject({
      accepted: 1,
      lead: { id: lead, stage: 'customer' },
    });
    const replayId = 'order-42';
    await trusted(lead, { id: replayId, event: 'Order Completed', value: 120, currency: 'VND' });
    expect(await stageOf(lead)).toBe('repeat_customer');
    const again = await trusted(lead, { id: replayId, type: 'track', name: 'Order Completed' });
    expect(await again.json()).toMatchObject({ accepted: 0, duplicates: 1 });
    const stored = await h.store.query<{ properties: Record<string, unknown>; trusted: boolean }>(
      'select properties, trusted from events where event_id = $1',
      [replayId],
    );
    expect(stored.rows[0]).toEqual({ properties: { value: 120, currency: 'VND' }, trusted: true });
    const { rows: hist } = await h.store.query<{ to_stage: string; reason: string }>(
      'select to_stage, reason from stage_history where lead_id = $1 order by seq',
      [lead],
    );
    expect(hist.map((r) => r.to_stage)).toEqual(['customer', 'repeat_customer']);
  });

  it('takes `{ type: "purchase", value }` as a track event named purchase', async () => {
    const lead = await makeLead(h.store, site().id, { anon: ['short-buyer'] });
    const res = await trusted(lead, { id: 'short-1', type: 'purchase', value: 49 });
    expect(res.status).toBe(202);
    expect(await res.json()).toMatchObject({ lead: { id: lead, stage: 'customer' } });
    const { rows } = await h.store.query<{ type: string; name: string; properties: object }>(
      'select type, name, properties from events where event_id = $1',
      ['short-1'],
    );
    expect(rows[0]).toEqual({ type: 'track', name: 'purchase', properties: { value: 49 } });
  });

  it("counts a trusted server-side purchase on any of the lead's anonymous ids", async () => {
    const lead = await makeLead(h.store, site().id, { anon: ['srv-1'] });
    await ingestAs(
      h.deps,
      site(),
      [
        ev({
          anonymousId: 'srv-1',
          type: 'track',
          name: 'Order Completed',
          timestamp: clock().getTime(),
        }),
      ],
      { trusted: true },
    );
    expect(await stageOf(lead)).toBe('customer');
  });

  it('makes an SQL only from a sales-ready submission written by the forms endpoint', async () => {
    const lead = await makeLead(h.store, site().id, { anon: ['f-1'] });
    const t = clock().getTime();
    const submit = () =>
      ev({
        anonymousId: 'f-1',
        type: 'form_submit',
        name: 'contact',
        timestamp: t,
        properties: { salesReady: true, source: 'form' },
      });
    await ingestAs(h.deps, site(), [submit()]);
    expect(await stageOf(lead)).toBe('lead');
    await ingestAs(h.deps, site(), [submit()], { context: { source: 'form', salesReady: false } });
    expect(await stageOf(lead)).toBe('lead');
    await ingestAs(h.deps, site(), [submit()], { context: { source: 'form', salesReady: true } });
    expect(await stageOf(lead)).toBe('sql');
    const { rows } = await h.store.query<{ type: string; data: { to: string; actor: string } }>(
      `select type, data from webhook_events where site_id = $1 and data->>'leadId' = $2`,
      [site().id, lead],
    );
    expect(rows.map((r) => [r.type, r.data.to, r.data.actor])).toContainEqual([
      'lead.stage_changed',
      'sql',
      'system',
    ]);
  });

  it('refreshes a lead changed outside the pipeline (a merge or a traits edit)', async () => {
    const lead = await makeLead(h.store, site().id, { anon: ['merge-a'] });
    const other = await makeLead(h.store, site().id, { anon: ['merge-b'] });
    const t = clock().getTime();
    await ingestAs(
      h.deps,
      site(),
      [
        ev({ anonymousId: 'merge-b', type: 'form_submit', name: 'demo', timestamp: t }),
        ev({ anonymousId: 'merge-b', type: 'track', name: 'purchase', timestamp: t }),
      ],
      { trusted: true },
    );
    expect(await stageOf(other)).toBe('customer');
    // What a merge does to links, then the refresh the merge must call.
    await h.store.query(`update anonymous_links set lead_id = $1 where anonymous_id = 'merge-b'`, [
      lead,
    ]);
    await h.store.query(`update leads set traits = '{"title":"Giám đốc"}' where lead_id = $1`, [
      lead,
    ]);
    await h.store.transaction((tx) => refreshLeads(tx, site().id, [lead], clock()));
    const score = await readScore(h.store, site().id, lead, clock());
    expect(score.breakdown.map((b) => b.ruleId)).toEqual(['decision-maker', 'form', 'demo']);
    expect(score.total).toBe(65);
    expect(await stageOf(lead)).toBe('customer');
  });

  it('validates trusted events and 404s unknown leads', async () => {
    const lead = await makeLead(h.store, site().id);
    const bad = await trusted(lead, { name: 'purchase', properties: [] });
    expect(bad.status).toBe(400);
    expect((await bad.json()).errors).toEqual([
      { path: 'properties', message: expect.any(String) },
    ]);
    // A type that is no event type names the event only when nothing else does.
    const twoNames = await trusted(lead, { type: 'purchase', name: 'refund' });
    expect((await twoNames.json()).errors).toEqual([{ path: 'type', message: expect.any(String) }]);
    const nameless = await trusted(lead, { properties: { value: 1 } });
    expect((await nameless.json()).errors).toEqual([{ path: 'name', message: expect.any(String) }]);
    expect((await trusted('lead_missing', { name: 'purchase' })).status).toBe(404);
  });
});
