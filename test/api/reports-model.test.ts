/** The funnel report agrees with a naive model of its definitions on random lead histories. */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { funnelReport } from '../../collector/api/reports-funnel.ts';
import { createSite } from '../../collector/sites/index.ts';
import { migrate, openPGlite, type Store } from '../../collector/store/index.ts';
import { ALL_STAGES, FUNNEL_MODELS, LIFECYCLE, lifecycleRank } from '../../shared/funnel.ts';

const T0 = Date.parse('2026-01-01T00:00:00Z');
const HOUR = 3_600_000;

/** A lead: when it was created, and its moves (hours after creation, strictly increasing). */
const leadArb = fc.record({
  created: fc.integer({ min: 0, max: 24 * 40 }),
  recordedEntry: fc.boolean(),
  moves: fc.array(
    fc.record({
      gap: fc.integer({ min: 1, max: 24 * 10 }),
      to: fc.constantFrom(...ALL_STAGES.filter((s) => s !== 'visitor' && s !== 'lead')),
    }),
    { maxLength: 5 },
  ),
});

function percentile(xs: number[], p: number): number | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const pos = p * (s.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return s[lo]! + (s[hi]! - s[lo]!) * (pos - lo);
}

describe('funnel report vs a naive model', () => {
  let store: Store;
  beforeAll(async () => {
    store = await openPGlite();
    await migrate(store);
  });
  afterAll(() => store.close());

  it('counts, entries, conversions and times in stage match', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(leadArb, { maxLength: 10 }),
        fc.integer({ min: 0, max: 24 * 30 }),
        fc.integer({ min: 1, max: 24 * 30 }),
        async (leads, fromH, spanH) => {
          const { site } = await createSite(store, { name: 'p', allowedOrigins: [] });
          const from = T0 + fromH * HOUR;
          const to = from + spanH * HOUR;
          // The model: every entry (stage, at) per lead, in order.
          const entries: { lead: number; stage: string; at: number }[][] = [];
          const leadRows: Record<string, unknown>[] = [];
          const historyRows: Record<string, unknown>[] = [];
          for (const [i, l] of leads.entries()) {
            const created = T0 + l.created * HOUR;
            let at = created;
            const mine = [{ lead: i, stage: 'lead', at }];
            const rows: [string | null, string, number][] = l.recordedEntry
              ? [[null, 'lead', at]]
              : [];
            let stage = 'lead';
            for (const m of l.moves) {
              at += m.gap * HOUR;
              rows.push([stage, m.to, at]);
              mine.push({ lead: i, stage: m.to, at });
              stage = m.to;
            }
            entries.push(mine);
            leadRows.push({ lead_id: `l${i}`, stage, created_at: new Date(created).toISOString() });
            for (const [f, t, when] of rows)
              historyRows.push({
                lead_id: `l${i}`,
                from_stage: f,
                to_stage: t,
                at: new Date(when).toISOString(),
              });
          }
          await store.query(
            `insert into leads (site_id, lead_id, stage, created_at)
             select $1, x.lead_id, x.stage, x.created_at
               from jsonb_to_recordset($2::jsonb) as x(lead_id text, stage text, created_at timestamptz)`,
            [site.id, JSON.stringify(leadRows)],
          );
          await store.query(
            `insert into stage_history (site_id, lead_id, from_stage, to_stage, at, actor)
             select $1, x.lead_id, x.from_stage, x.to_stage, x.at, 'test'
               from jsonb_to_recordset($2::jsonb) as x(lead_id text, from_stage text, to_stage text, at timestamptz)
              order by x.at`,
            [site.id, JSON.stringify(historyRows)],
          );
          const report = await funnelReport(
            store,
            site.id,
            { from: new Date(from), to: new Date(to) },
            false,
          );
          for (const stage of ALL_STAGES.filter((s) => s !== 'visitor')) {
            let entered = 0;
            let converted = 0;
            const stays: number[] = [];
            for (const mine of entries) {
              const known = mine.filter((e) => e.at < to);
              known.forEach((e, k) => {
                if (e.stage !== stage) return;
                const inWindow = e.at >= from;
                if (inWindow) entered++;
                const later = known.slice(k + 1);
                const rank = lifecycleRank(stage);
                if (
                  inWindow &&
                  rank >= 0 &&
                  stage !== LIFECYCLE.at(-1) &&
                  later.some((x) => lifecycleRank(x.stage) > rank)
                )
                  converted++;
                const next = later[0];
                if (next && next.at >= from) stays.push((next.at - e.at) / 1000);
              });
            }
            const now = entries.filter((m) => m.at(-1)!.stage === stage).length;
            const row = report.stages.find((s) => s.stage === stage)!;
            expect([row.count, row.entered, row.converted], stage).toEqual([
              now,
              entered,
              converted,
            ]);
            expect(row.timeInStage.samples, stage).toBe(stays.length);
            const median = percentile(stays, 0.5);
            if (median === null) expect(row.timeInStage.medianSeconds, stage).toBeNull();
            else expect(row.timeInStage.medianSeconds, stage).toBeCloseTo(median, 0);
            expect(row.timeInStage.p90Seconds ?? 0).toBeGreaterThanOrEqual(
              row.timeInStage.medianSeconds ?? 0,
            );
            if (row.conversionRate !== null) expect(row.conversionRate).toBeLessThanOrEqual(1);
          }
          // Model steps: leads entering a step within the window (from a stage outside it, or as
          // their first stage), each once however often; a move between two stages of one step
          // is no entry (visitors are not part of this history).
          for (const m of FUNNEL_MODELS) {
            const view = report.models.find((v) => v.id === m.id)!;
            const stepOf = (stage: string | undefined) =>
              m.steps.find((x) => (x.stages as readonly string[]).includes(stage ?? ''))?.id;
            for (const st of m.steps.filter((x) => !x.stages.includes('visitor'))) {
              const firsts = entries.filter((mine) =>
                mine.some(
                  (e, k) =>
                    stepOf(e.stage) === st.id &&
                    stepOf(mine[k - 1]?.stage) !== st.id &&
                    e.at >= from &&
                    e.at < to,
                ),
              ).length;
              expect(view.steps.find((x) => x.id === st.id)!.entered, `${m.id}/${st.id}`).toBe(
                firsts,
              );
            }
          }
        },
      ),
      { numRuns: 25 },
    );
  });
});
