/** The demo data `npm start` seeds: a believable, living funnel, inserted once. */
import { describe, expect, it } from 'vitest';
import type { FunnelReport } from '../../collector/api/reports-schema.ts';
import { demoPopulation, seedDemoData } from '../../collector/demo-data.ts';
import { withAutomaticMql } from '../../collector/demo-lifecycle.ts';
import { rescoreStep } from '../../collector/jobs/index.ts';
import { STAGES } from '../../collector/lifecycle/index.ts';
import { currentRules } from '../../collector/scoring/index.ts';
import { testClock } from '../helpers/app.ts';
import { suiteHarness } from '../helpers/fixture.ts';
import { storeCases } from '../helpers/stores.ts';

describe.each(storeCases)('demo data on $name', (sc) => {
  const clock = testClock(Date.parse('2026-03-01T09:00:00Z'));
  const h = suiteHarness(sc, { clock });

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
    // Every submission the reports count is one the form editor lists.
    const subs = await h.secret('/v1/forms/demo/submissions?limit=200');
    const { rows: sent } = await h.deps.store.query<{ n: number }>(
      `select count(*)::int as n from events where site_id = $1 and type = 'form_submit' and name = 'demo'`,
      [h.site.site.id],
    );
    expect(sent[0]!.n).toBeGreaterThan(0);
    expect(((await subs.json()) as { data: unknown[] }).data).toHaveLength(sent[0]!.n);
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

  it('obeys the lifecycle: a lead whose score reached the threshold is an MQL, by a system move', async () => {
    const siteId = h.site.site.id;
    const { rules } = await currentRules(h.deps.store, siteId);
    const below = STAGES.slice(0, STAGES.indexOf('mql'));
    const { rows: unqualified } = await h.deps.store.query(
      `select lead_id, stage, score_total from leads
        where site_id = $1 and stage = any($2::text[]) and score_total >= $3`,
      [siteId, below, rules.mqlThreshold],
    );
    expect(unqualified).toEqual([]);
    const res = await h.secret(`/v1/leads?stage=lead&minScore=${rules.mqlThreshold}`);
    expect(((await res.json()) as { data: unknown[] }).data).toEqual([]);

    // Each lead that went lead → mql got there by the same move the pipeline writes; every lead
    // at `mql` has it.
    const { rows } = await h.deps.store.query<{
      lead_id: string;
      stage: string;
      created_at: Date;
      moves: { from: string | null; to: string; at: string; reason: string; actor: string }[];
    }>(
      `select l.lead_id, l.stage, l.created_at,
              json_agg(json_build_object('from', x.from_stage, 'to', x.to_stage, 'at', x.at,
                                         'reason', x.reason, 'actor', x.actor) order by x.seq) as moves
         from leads l join stage_history x using (site_id, lead_id)
        where l.site_id = $1 group by l.lead_id, l.stage, l.created_at`,
      [siteId],
    );
    let moved = 0;
    for (const l of rows) {
      const mql = l.moves.filter((m) => m.to === 'mql');
      if (l.stage === 'mql') expect(mql, l.lead_id).toHaveLength(1);
      for (const m of mql) {
        moved++;
        expect(m, l.lead_id).toMatchObject({ from: 'lead', actor: 'system' });
        const [, points] = /^score ([\d.]+) ≥ (\d+)$/.exec(m.reason) ?? [];
        expect(Number(points), `${l.lead_id}: ${m.reason}`).toBeGreaterThanOrEqual(
          rules.mqlThreshold,
        );
        expect(Date.parse(m.at)).toBeGreaterThanOrEqual(new Date(l.created_at).getTime());
        expect(Date.parse(m.at)).toBeLessThanOrEqual(clock().getTime());
      }
    }
    // A plausible funnel: most leads qualify, not all, and not all at once.
    expect(moved).toBeGreaterThan(rows.length / 2);
    expect(rows.filter((l) => l.stage === 'lead').length).toBeGreaterThan(10);
    const instant = rows.filter((l) =>
      l.moves.some((m) => m.to === 'mql' && Date.parse(m.at) === new Date(l.created_at).getTime()),
    );
    expect(instant.length).toBeLessThan(moved / 2);
  });

  it('is left unchanged by a rescore with the same rules (no lead was owed an MQL move)', async () => {
    const siteId = h.site.site.id;
    const count = async () =>
      (
        await h.deps.store.query<{ n: number }>(
          'select count(*)::int as n from stage_history where site_id = $1',
          [siteId],
        )
      ).rows[0]!.n;
    const before = await count();
    const rules = await (await h.secret('/v1/scoring')).json();
    const put = await h.secret('/v1/scoring', { method: 'PUT', body: JSON.stringify(rules) });
    expect(put.status).toBe(202);
    let rescored = 0;
    for (
      let n = await rescoreStep(h.deps.store, clock());
      n > 0;
      n = await rescoreStep(h.deps.store, clock())
    )
      rescored += n;
    expect(rescored).toBeGreaterThan(150);
    expect(await count()).toBe(before);
  });

  it('is deterministic and stays in the past', () => {
    const now = new Date('2026-03-01T09:00:00Z');
    const a = demoPopulation('s', now);
    expect(demoPopulation('s', now)).toEqual(a);
    const times = [...a.events.map((e) => e.ts), ...a.history.map((x) => x.at)] as string[];
    expect(times.every((t) => Date.parse(t) <= now.getTime())).toBe(true);
  });
});

describe('demo lifecycle', () => {
  const at = (h: number) => Date.parse('2026-02-01T00:00:00Z') + h * 3_600_000;

  it('moves a lead to mql where its score crossed, before the story moves that follow', () => {
    const story = [{ to: 'disqualified', at: at(5), reason: 'student', actor: 'sales' }];
    expect(withAutomaticMql(story, { at: at(2), score: 61.234 }, 50)).toEqual([
      { from: 'lead', to: 'mql', at: at(2), reason: 'score 61.23 ≥ 50', actor: 'system' },
      { from: 'mql', to: 'disqualified', at: at(5), reason: 'student', actor: 'sales' },
    ]);
  });

  it('moves nobody back or out of an exit, and nobody who never crossed', () => {
    const sales = [{ to: 'sql', at: at(1), reason: null, actor: 'sales' }];
    expect(withAutomaticMql(sales, { at: at(3), score: 70 }, 50)).toEqual([
      { ...sales[0], from: 'lead' },
    ]);
    const out = [{ to: 'disqualified', at: at(1), reason: 'spam', actor: 'sales' }];
    expect(withAutomaticMql(out, { at: at(3), score: 70 }, 50)).toEqual([
      { ...out[0], from: 'lead' },
    ]);
    expect(withAutomaticMql([], null, 50)).toEqual([]);
    expect(withAutomaticMql([], { at: at(3), score: 50 }, 50)).toHaveLength(1);
  });
});
