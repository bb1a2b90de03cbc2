/** Reports against a hand-computed fixture (test/api/reports-fixture.ts), on both store drivers. */
import { beforeAll, describe, expect, it } from 'vitest';
import type { FunnelReport, StageRow } from '../../collector/api/reports-schema.ts';
import { createSite } from '../../collector/sites/index.ts';
import { testClock } from '../helpers/app.ts';
import { suiteHarness } from '../helpers/fixture.ts';
import { storeCases } from '../helpers/stores.ts';
import { seedFixture } from './reports-fixture.ts';

const DAY = 86_400;
/** January: a date-only `to` runs through that day. */
const WINDOW = 'from=2026-01-01&to=2026-01-31';

describe.each(storeCases)('reports on $name', (sc) => {
  let otherKey: string;
  const h = suiteHarness(sc, { clock: testClock(Date.parse('2026-02-10T00:00:00Z')) });

  beforeAll(async () => {
    await seedFixture(h.store, h.site.site.id);
    otherKey = (await createSite(h.store, { name: 'Other', allowedOrigins: [] })).secretKey;
  });

  const get = async <T>(path: string): Promise<T> => {
    const res = await h.secret(path);
    expect(res.status, await res.clone().text()).toBe(200);
    return (await res.json()) as T;
  };
  const stage = (r: { stages: StageRow[] }, s: string) => r.stages.find((x) => x.stage === s)!;

  it('counts, entries and conversions per stage match the hand-computed funnel', async () => {
    const r = await get<FunnelReport>(`/v1/reports/funnel?${WINDOW}`);
    expect(r.from).toBe('2026-01-01T00:00:00.000Z');
    expect(r.to).toBe('2026-02-01T00:00:00.000Z');
    const summary = Object.fromEntries(
      r.stages.map((s) => [s.stage, [s.count, s.entered, s.converted, s.conversionRate]]),
    );
    expect(summary).toEqual({
      visitor: [2, 6, 4, 0.6667],
      lead: [1, 6, 3, 0.5],
      mql: [1, 4, 1, 0.25],
      sql: [1, 1, 1, 1],
      opportunity: [0, 1, 1, 1],
      customer: [1, 1, 0, 0],
      repeat_customer: [0, 0, 0, null],
      disqualified: [1, 1, 0, null],
      lost: [2, 2, 0, null],
    });
  });

  it('gives median and p90 time in stage over stays that ended in the window', async () => {
    const r = await get<FunnelReport>(`/v1/reports/funnel?${WINDOW}`);
    // lead stays ending in January: 1, 2, 4, 6, 10, 13 days (L7's is still open).
    expect(stage(r, 'lead').timeInStage).toEqual({
      samples: 6,
      medianSeconds: 5 * DAY,
      p90Seconds: 11.5 * DAY,
    });
    // mql: 1 and 2 days (L4 still there, L5 left on Feb 5, after the window).
    expect(stage(r, 'mql').timeInStage).toEqual({
      samples: 2,
      medianSeconds: 1.5 * DAY,
      p90Seconds: 1.9 * DAY,
    });
    expect(stage(r, 'opportunity').timeInStage.medianSeconds).toBe(10 * DAY);
    expect(stage(r, 'customer').timeInStage).toEqual({
      samples: 0,
      medianSeconds: null,
      p90Seconds: null,
    });
    // visitor → identified: 3, 1, 1, 1, 1 days.
    expect(stage(r, 'visitor').timeInStage).toEqual({
      samples: 5,
      medianSeconds: DAY,
      p90Seconds: 190_080, // 2.2 days
    });
  });

  it('lists lost and disqualified reasons, trimmed and counted', async () => {
    const r = await get<FunnelReport>(`/v1/reports/funnel?${WINDOW}`);
    expect(r.reasons).toEqual({
      lost: [{ reason: 'budget', count: 2 }],
      disqualified: [{ reason: 'student', count: 1 }],
    });
  });

  it('maps the same population onto the CRM funnel and the other seed models', async () => {
    const r = await get<FunnelReport>(`/v1/reports/funnel?${WINDOW}`);
    const crm = r.models.find((m) => m.id === 'crm_funnel')!;
    // Interest: the six leads of January; L5, a lead since December, became an MQL in January
    // without entering the step (it was in it already).
    expect(crm.steps.map((s) => [s.id, s.count, s.entered, s.share])).toEqual([
      ['awareness', 2, 6, 0.25],
      ['interest', 2, 6, 0.25],
      ['decision', 1, 1, 0.125],
      ['action', 3, 3, 0.375],
    ]);
    const life = r.models.find((m) => m.id === 'customer_lifecycle')!;
    expect(life.steps.map((s) => [s.id, s.count])).toEqual([
      ['reach', 2],
      ['acquisition', 3],
      ['conversion', 0],
      ['retention', 1],
      ['loyalty', 0],
    ]);
    expect(r.models.map((m) => m.id)).toEqual(['crm_funnel', 'customer_lifecycle', 'cx_journey']);
  });

  it('breaks the funnel down by first-touch channel', async () => {
    const r = await get<FunnelReport>(`/v1/reports/funnel?${WINDOW}&by=channel`);
    const by = Object.fromEntries(r.byChannel!.map((c) => [c.channel, c]));
    expect(Object.keys(by)).toEqual([
      'direct',
      'organic_search',
      'paid_search',
      'email',
      'referral',
      'other',
    ]);
    expect([
      stage(by.paid_search!, 'lead').entered,
      stage(by.paid_search!, 'lead').converted,
    ]).toEqual([2, 2]);
    expect(stage(by.organic_search!, 'lead').conversionRate).toBe(0.5);
    expect(by.other!.reasons.lost).toEqual([{ reason: 'budget', count: 1 }]);
    expect(stage(by.direct!, 'visitor').count).toBe(1);
    const sum = r.byChannel!.reduce((n, c) => n + stage(c, 'lead').entered, 0);
    expect(sum).toBe(stage(r, 'lead').entered);
  });

  it('reads a stored channel off the documented list as other, in every figure', async () => {
    const before = await get<FunnelReport>(`/v1/reports/funnel?${WINDOW}&by=channel`);
    const { rows } = await h.store.query<{ lead_id: string; first_channel: string }>(
      `select lead_id, first_channel from leads where site_id = $1 and first_channel = 'paid_search'`,
      [h.site.site.id],
    );
    const set = (ch: string) =>
      h.store.query(
        'update leads set first_channel = $3 where site_id = $1 and lead_id = any($2)',
        [h.site.site.id, rows.map((r) => r.lead_id), ch],
      );
    await set('tiktok_ads');
    try {
      const after = await get<FunnelReport>(`/v1/reports/funnel?${WINDOW}&by=channel`);
      const of = (r: FunnelReport, ch: string) => r.byChannel!.find((c) => c.channel === ch);
      // Its visitors keep their own channel; its leads' stays and counts moved.
      expect(stage(of(after, 'paid_search')!, 'lead').entered).toBe(0);
      expect(stage(of(before, 'paid_search')!, 'lead').entered).toBeGreaterThan(0);
      expect(after.byChannel!.map((c) => c.channel)).not.toContain('tiktok_ads');
      for (const s of ['lead', 'mql', 'customer'])
        expect([s, stage(of(after, 'other')!, s).entered]).toEqual([
          s,
          stage(of(before, 'other')!, s).entered + stage(of(before, 'paid_search')!, s).entered,
        ]);
      // The all-channels figures do not move.
      expect(after.stages).toEqual(before.stages);
    } finally {
      await set('paid_search');
    }
  });

  it('channels: new visitors → leads → MQLs → customers by first and last touch', async () => {
    const r = await get<{ firstTouch: unknown[]; lastTouch: unknown[] }>(
      `/v1/reports/channels?${WINDOW}`,
    );
    expect(r.firstTouch).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          channel: 'organic_search',
          visitors: 2,
          leads: 2,
          mqls: 1,
          customers: 0,
          leadRate: 1,
          mqlRate: 0.5,
        }),
        expect.objectContaining({ channel: 'paid_search', visitors: 1, leads: 1, mqls: 1 }),
        expect.objectContaining({ channel: 'email', visitors: 1, leads: 1, mqls: 0 }),
        expect.objectContaining({
          channel: 'direct',
          visitors: 1,
          leads: 0,
          leadRate: 0,
          mqlRate: null,
        }),
        expect.objectContaining({ channel: 'referral', visitors: 1, leads: 0 }),
      ]),
    );
    expect(r.firstTouch).toHaveLength(5);
    // a4 came from paid search but its last session before identifying was an email click.
    expect(r.lastTouch).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ channel: 'email', visitors: 2, leads: 2, mqls: 1 }),
      ]),
    );
    expect(r.lastTouch.some((c) => (c as { channel: string }).channel === 'paid_search')).toBe(
      false,
    );
  });

  it('forms: views, viewers, submissions, dismissals and conversion per form', async () => {
    const r = await get<{ forms: unknown[] }>(`/v1/reports/forms?${WINDOW}`);
    expect(r.forms).toEqual([
      {
        formId: 'newsletter',
        views: 2,
        viewers: 2,
        submissions: 2,
        dismissals: 0,
        conversionRate: 1,
      },
      {
        formId: 'demo',
        views: 3,
        viewers: 2,
        submissions: 1,
        dismissals: 1,
        conversionRate: 0.3333,
      },
    ]);
  });

  it('reads a date-only to as through the end of that day; a date-time to stays exclusive', async () => {
    const through = await get<FunnelReport>(`/v1/reports/funnel?${WINDOW}&by=channel`);
    const exclusive = await get<FunnelReport>(
      '/v1/reports/funnel?from=2026-01-01&to=2026-02-01T00:00:00Z&by=channel',
    );
    expect(through).toEqual(exclusive);
    // One day: L6 (no first touch) entered lead on Jan 15, nobody else did.
    const day = await get<FunnelReport>('/v1/reports/funnel?from=2026-01-15&to=2026-01-15');
    expect([day.from, day.to]).toEqual(['2026-01-15T00:00:00.000Z', '2026-01-16T00:00:00.000Z']);
    expect(stage(day, 'lead').entered).toBe(1);
    // L4's Jan 16 move to MQL is the 16th's, not the 15th's.
    expect(stage(day, 'mql').entered).toBe(0);
    const nextDay = await get<FunnelReport>('/v1/reports/funnel?from=2026-01-16&to=2026-01-16');
    expect(stage(nextDay, 'mql').entered).toBe(1);
    // A window ending on the 16th includes it.
    const upTo = await get<FunnelReport>('/v1/reports/funnel?from=2026-01-15&to=2026-01-16');
    expect([stage(upTo, 'lead').entered, stage(upTo, 'mql').entered]).toEqual([1, 1]);
    const forms = await get<{ forms: { formId: string; views: number }[] }>(
      '/v1/reports/forms?from=2026-01-05&to=2026-01-05',
    );
    expect(forms.forms).toEqual([
      expect.objectContaining({ formId: 'demo', views: 1, submissions: 1 }),
    ]);
    const channels = await get<{ to: string }>(
      '/v1/reports/channels?from=2026-01-02&to=2026-01-02',
    );
    expect(channels.to).toBe('2026-01-03T00:00:00.000Z');
  });

  it('finds under channel=other, in the lead list, its export and a segment, who the funnel counts there', async () => {
    const r = await get<FunnelReport>(`/v1/reports/funnel?${WINDOW}&by=channel`);
    const other = r.byChannel!.find((c) => c.channel === 'other')!;
    const people = other.stages
      .filter((s) => s.stage !== 'visitor')
      .reduce((n, s) => n + s.count, 0);
    const ids = async (qs: string) =>
      (await get<{ data: { id: string }[] }>(`/v1/leads?${qs}`)).data.map((l) => l.id);
    // L6 was created with no browser: no first touch.
    expect(await ids('channel=other')).toEqual(['L6']);
    expect(people).toBe(1);
    expect(await ids('channel=paid_search')).not.toContain('L6');
    const csv = await (await h.secret('/v1/leads/export.csv?channel=other')).text();
    expect(
      csv
        .trim()
        .split('\r\n')
        .slice(1)
        .map((l) => l.split(',')[0]),
    ).toEqual(['L6']);
    const seg = await h.secret('/v1/segments', {
      method: 'POST',
      body: JSON.stringify({ name: 'No first touch', filter: { channel: 'other' } }),
    });
    expect(seg.status).toBe(201);
    expect(await ids(`segment=${((await seg.json()) as { id: string }).id}`)).toEqual(['L6']);
  });

  it('defaults to the 30 days up to now', async () => {
    const r = await get<FunnelReport>('/v1/reports/funnel');
    expect(r.to).toBe('2026-02-10T00:00:00.000Z');
    expect(r.from).toBe('2026-01-11T00:00:00.000Z');
  });

  it('another site sees none of it', async () => {
    const res = await h.app.request(`/v1/reports/funnel?${WINDOW}`, {
      headers: { authorization: `Bearer ${otherKey}` },
    });
    const r = (await res.json()) as FunnelReport;
    expect(r.stages.every((s) => s.count === 0 && s.entered === 0)).toBe(true);
    const forms = await h.app.request(`/v1/reports/forms?${WINDOW}`, {
      headers: { authorization: `Bearer ${otherKey}` },
    });
    expect(((await forms.json()) as { forms: unknown[] }).forms).toEqual([]);
  });

  it('answers bad windows and missing keys with problem+json', async () => {
    for (const [q, path] of [
      ['from=2026-02-01&to=2026-01-01', 'from'],
      ['from=yesterday', 'from'],
      ['by=week', 'by'],
      ['from=2020-01-01&to=2026-01-01', 'from'],
      ['from=2026-01-16&to=2026-01-15', 'from'],
      ['from=2026-01-16T00:00:00Z&to=2026-01-16T00:00:00Z', 'from'],
    ] as const) {
      const res = await h.secret(`/v1/reports/funnel?${q}`);
      expect(res.status, q).toBe(400);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      const body = (await res.json()) as { errors: { path: string }[] };
      expect(body.errors.map((e) => e.path)).toContain(path);
    }
    const anon = await h.app.request('/v1/reports/channels');
    expect(anon.status).toBe(401);
  });
});
