/** The demo data `npm start` seeds: a believable, living funnel, inserted once. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FunnelReport } from '../../collector/api/reports-schema.ts';
import { demoPopulation, seedDemoData } from '../../collector/demo-data.ts';
import { harness, testClock } from '../helpers/app.ts';
import { storeCases } from '../helpers/stores.ts';

describe.each(storeCases)('demo data on $name', (sc) => {
  let h: Awaited<ReturnType<typeof harness>>;
  let close: () => Promise<void>;
  const clock = testClock(Date.parse('2026-03-01T09:00:00Z'));

  beforeAll(async () => {
    const opened = await sc.open();
    close = opened.close;
    h = await harness(opened.store, { clock });
  });
  afterAll(() => close());

  it('fills an empty site once with hundreds of visitors and leads', async () => {
    const first = await seedDemoData(h.deps, h.site.site.id);
    expect(first.seeded).toBe(true);
    expect(first.visitors).toBeGreaterThan(300);
    expect(first.leads).toBeGreaterThan(150);
    expect((await seedDemoData(h.deps, h.site.site.id)).seeded).toBe(false);
    const { rows } = await h.deps.store.query<{ n: number }>(
      'select count(*)::int as n from leads where site_id = $1',
      [h.site.site.id],
    );
    expect(rows[0]!.n).toBe(first.leads);
  });

  it('shows every stage, exit reasons and several channels in the funnel report', async () => {
    const res = await h.secret('/v1/reports/funnel?by=channel');
    const r = (await res.json()) as FunnelReport;
    for (const s of r.stages) expect(s.entered, s.stage).toBeGreaterThan(0);
    const mql = r.stages.find((s) => s.stage === 'mql')!;
    expect(mql.timeInStage.medianSeconds).toBeGreaterThan(3600);
    expect(r.reasons.lost.length).toBeGreaterThan(1);
    expect(r.reasons.disqualified.length).toBeGreaterThan(1);
    expect(r.byChannel!.length).toBeGreaterThanOrEqual(6);
  });

  it('is deterministic and stays in the past', () => {
    const now = new Date('2026-03-01T09:00:00Z');
    const a = demoPopulation('s', now);
    expect(demoPopulation('s', now)).toEqual(a);
    const times = [...a.events.map((e) => e.ts), ...a.history.map((x) => x.at)] as string[];
    expect(times.every((t) => Date.parse(t) <= now.getTime())).toBe(true);
  });
});
