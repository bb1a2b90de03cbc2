/**
 * Reports audit: small scenarios built through the real HTTP API (tag, forms, stage moves,
 * merges), each figure worked out by hand, on both store drivers. Every answer is also checked
 * against the served OpenAPI document, as a client validating it would.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { funnelReport } from '../../collector/api/reports-funnel.ts';
import type { FormsReport, FunnelReport, StageRow } from '../../collector/api/reports-schema.ts';
import { createSite } from '../../collector/sites/index.ts';
import type { Store } from '../../collector/store/index.ts';
import type { FormDefinition } from '../../shared/forms.ts';
import { ALL_STAGES, FUNNEL_MODELS, LIFECYCLE, lifecycleRank } from '../../shared/funnel.ts';
import { event, harness, ORIGIN, testClock } from '../helpers/app.ts';
import { storeCases } from '../helpers/stores.ts';
import { LiveContract, type ServedDocument } from './live-contract.ts';

const HOUR = 3_600_000;
const T0 = Date.parse('2026-01-10T00:00:00Z');
/** January 2026, through the 31st. */
const JANUARY = 'from=2026-01-01&to=2026-01-31';

/** One lead's recorded moves: created (hours after T0), whether its entry was recorded, moves. */
const chainArb = (recorded?: boolean) =>
  fc.record({
    created: fc.integer({ min: 0, max: 24 * 20 }),
    recordedEntry: recorded === undefined ? fc.boolean() : fc.constant(recorded),
    moves: fc.array(
      fc.record({ gap: fc.integer({ min: 1, max: 24 * 5 }), to: fc.constantFrom(...ALL_STAGES) }),
      { maxLength: 5 },
    ),
  });

const iso = (ms: number) => new Date(ms).toISOString();

/** Interpolated percentile, as percentile_cont. */
function percentile(xs: number[], p: number): number | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const pos = p * (s.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return s[lo]! + (s[hi]! - s[lo]!) * (pos - lo);
}

describe.each(storeCases)('reports audit on $name', (sc) => {
  let store: Store;
  let close: () => Promise<void>;
  let contract: LiveContract;

  beforeAll(async () => {
    ({ store, close } = await sc.open());
    const h = await harness(store);
    contract = new LiveContract(
      (await (await h.app.request('/openapi.json')).json()) as ServedDocument,
    );
  });
  afterAll(() => close());

  /** A new site on the store with its own clock (starting at `start`) and API helpers. */
  const site = async (start = T0) => {
    const clock = testClock(start);
    const h = await harness(store, { clock });
    const send = async (...events: ReturnType<typeof event>[]) => {
      const res = await h.collect(events, { sentAt: clock().getTime() });
      expect(res.status, await res.clone().text()).toBe(202);
    };
    const leadOf = async (anon: string) =>
      (
        await store.query<{ lead_id: string }>(
          `select lead_id from anonymous_links where site_id = $1 and anonymous_id = $2
            order by valid_from desc limit 1`,
          [h.site.site.id, anon],
        )
      ).rows[0]!.lead_id;
    return {
      h,
      clock,
      send,
      /** Sets the clock `hours` after `start`. */
      at: (hours: number) => clock.set(start + hours * HOUR),
      /** A browser's first page view and its identify, now: the lead it made. */
      async identify(anon: string, email: string) {
        const now = clock().getTime();
        await send(
          event({ anonymousId: anon, sessionId: `s-${anon}`, timestamp: now }),
          event({
            type: 'identify',
            anonymousId: anon,
            sessionId: `s-${anon}`,
            traits: { email },
            timestamp: now,
          }),
        );
        return leadOf(anon);
      },
      async move(lead: string, stage: string, reason?: string) {
        const res = await h.secret(`/v1/leads/${lead}/stage`, {
          method: 'POST',
          body: JSON.stringify({ stage, ...(reason ? { reason } : {}) }),
        });
        expect(res.status, await res.clone().text()).toBe(200);
      },
      async merge(survivor: string, loser: string) {
        const res = await h.secret(`/v1/leads/${survivor}/merge`, {
          method: 'POST',
          body: JSON.stringify({ leadId: loser }),
        });
        expect(res.status, await res.clone().text()).toBe(200);
      },
      /** GET a report: 200 and valid against the served OpenAPI document. */
      async get<T>(path: string): Promise<T> {
        const answer = await contract.check('GET', path, await h.secret(path));
        expect(answer.status, JSON.stringify(answer.body)).toBe(200);
        expect(answer.mismatches).toEqual([]);
        return answer.body as T;
      },
    };
  };

  const stage = (r: { stages: StageRow[] }, s: string) => r.stages.find((x) => x.stage === s)!;
  const step = (r: FunnelReport, model: string, id: string) =>
    r.models.find((m) => m.id === model)!.steps.find((s) => s.id === id)!;

  it('forms: two submissions after one view are a 100% conversion, not 200%', async () => {
    const s = await site();
    const form = (id: string): FormDefinition => ({
      id,
      name: id,
      kind: 'inline',
      fields: [{ name: 'email', type: 'email', label: 'Email', required: true }],
    });
    for (const f of [form('demo'), form('news')]) {
      const res = await s.h.secret('/v1/forms', { method: 'POST', body: JSON.stringify(f) });
      expect(res.status).toBe(201);
    }
    const submit = (id: string) =>
      s.h.app.request('/v1/forms/demo/submissions', {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: ORIGIN },
        body: JSON.stringify({
          site: s.h.site.publicKey,
          id,
          anonymousId: 'ana',
          url: 'https://www.example.com/demo',
          elapsedMs: 9_000,
          hp: '',
          values: { email: 'ana@example.com' },
        }),
      });
    s.at(0);
    await s.send(
      event({
        type: 'form_view',
        name: 'demo',
        anonymousId: 'ana',
        timestamp: s.clock().getTime(),
      }),
    );
    s.at(1);
    expect((await submit('sub-1')).status).toBe(202);
    expect((await submit('sub-1')).status).toBe(202); // a replay: counted once
    s.at(2);
    expect((await submit('sub-2')).status).toBe(202); // sent again from the same view
    // Shown to Bob, never sent; shown to a bot too (left out).
    await s.send(
      event({
        type: 'form_view',
        name: 'news',
        anonymousId: 'bob',
        timestamp: s.clock().getTime(),
      }),
      event({
        type: 'form_view',
        name: 'news',
        anonymousId: 'bot',
        timestamp: s.clock().getTime(),
        properties: { webdriver: true },
      }),
    );
    // A deleted form keeps its figures: they are what visitors did.
    expect((await s.h.secret('/v1/forms/demo', { method: 'DELETE' })).status).toBe(204);
    s.at(3);
    const r = await s.get<FormsReport>(`/v1/reports/forms?${JANUARY}`);
    expect(r.forms).toEqual([
      { formId: 'demo', views: 1, viewers: 1, submissions: 2, dismissals: 0, conversionRate: 1 },
      { formId: 'news', views: 1, viewers: 1, submissions: 0, dismissals: 0, conversionRate: 0 },
    ]);
  });

  it('groups lost and disqualified reasons whatever their case and spacing', async () => {
    const s = await site();
    const lost = ['Budget', 'Budget', 'budget', ' BUDGET ', 'no  budget', 'No budget', 'Timing'];
    const disqualified = ['Student', 'student'];
    let n = 0;
    for (const [to, reasons] of [
      ['lost', lost],
      ['disqualified', disqualified],
    ] as const) {
      for (const reason of reasons) {
        s.at(n++);
        await s.move(await s.identify(`r${n}`, `r${n}@example.com`), to, reason);
      }
    }
    s.at(n);
    const r = await s.get<FunnelReport>(`/v1/reports/funnel?${JANUARY}&by=channel`);
    // The most used spelling names the group; a tie goes to the first in English collation.
    const expected = {
      lost: [
        { reason: 'Budget', count: 4 },
        { reason: 'no budget', count: 2 },
        { reason: 'Timing', count: 1 },
      ],
      disqualified: [{ reason: 'student', count: 2 }],
    };
    expect(r.reasons).toEqual(expected);
    expect(stage(r, 'lost').entered).toBe(7);
    // All of them came direct: the channel's rows read the same.
    expect(r.byChannel!.map((c) => [c.channel, c.reasons])).toEqual([['direct', expected]]);
  });

  it('a merge leaves the figures of the past as they were and times each lead in its own stages', async () => {
    const s = await site();
    // Ada: lead at 0 h, MQL at 4 h. Bob: lead at 1 h, SQL at 2 h (skipping MQL). Merged at 6 h.
    s.at(0);
    const ada = await s.identify('ada', 'ada@example.com');
    s.at(1);
    const bob = await s.identify('bob', 'bob@example.com');
    s.at(2);
    await s.move(bob, 'sql');
    s.at(4);
    await s.move(ada, 'mql');
    s.at(5);
    const past = '/v1/reports/funnel?from=2026-01-10&to=2026-01-10T03:00:00Z';
    const before = await s.get<FunnelReport>(past);
    s.at(6);
    await s.merge(ada, bob);
    s.at(7);
    // Up to 3 h: Bob's lead stay ended (1 h) and converted (SQL); Ada was still a lead.
    const after = await s.get<FunnelReport>(past);
    expect(stage(after, 'lead')).toEqual(stage(before, 'lead'));
    expect(stage(after, 'lead')).toMatchObject({
      entered: 2,
      converted: 1,
      timeInStage: { samples: 1, medianSeconds: 3600, p90Seconds: 3600 },
    });
    // The whole day: Ada was a lead for 4 h, Bob for 1 h; Ada an MQL from 4 h until the merge
    // made her an SQL at 6 h (Bob's stage, the furthest). Bob's SQL stay goes on as hers.
    const day = await s.get<FunnelReport>('/v1/reports/funnel?from=2026-01-10&to=2026-01-10');
    const summary = (x: StageRow) => [
      x.count,
      x.entered,
      x.converted,
      x.timeInStage.samples,
      x.timeInStage.medianSeconds,
      x.timeInStage.p90Seconds,
    ];
    expect(summary(stage(day, 'lead'))).toEqual([0, 2, 2, 2, 9000, 13_320]);
    expect(summary(stage(day, 'mql'))).toEqual([0, 1, 1, 1, 7200, 7200]);
    expect(summary(stage(day, 'sql'))).toEqual([1, 2, 0, 0, null, null]);
    // One person now: entered Interest and Decision once each.
    expect(step(day, 'crm_funnel', 'interest').entered).toBe(1);
    expect(step(day, 'crm_funnel', 'decision').entered).toBe(1);
  });

  it('model steps count entries into the step, not moves between its stages', async () => {
    // Lee became a lead on Dec 20 and moves on in January; Mia is new in January.
    const s = await site(Date.parse('2025-12-20T00:00:00Z'));
    const day = 24;
    s.at(0);
    const lee = await s.identify('lee', 'lee@example.com');
    s.at(16 * day); // Jan 5
    await s.move(lee, 'mql');
    s.at(19 * day); // Jan 8
    await s.move(lee, 'sql');
    s.at(21 * day); // Jan 10
    const mia = await s.identify('mia', 'mia@example.com');
    s.at(22 * day); // Jan 11
    await s.move(mia, 'mql');
    s.at(23 * day); // Jan 12: Lee goes back to nurturing
    await s.move(lee, 'mql', 'not ready yet');
    s.at(30 * day);
    const early = await s.get<FunnelReport>('/v1/reports/funnel?from=2026-01-01&to=2026-01-07');
    // Lee was in Interest (lead, MQL) since December: becoming an MQL is no entry into it.
    expect(stage(early, 'mql').entered).toBe(1);
    expect(step(early, 'crm_funnel', 'interest').entered).toBe(0);
    expect(step(early, 'customer_lifecycle', 'acquisition').entered).toBe(0);
    expect(step(early, 'cx_journey', 'consideration').entered).toBe(0);
    const jan = await s.get<FunnelReport>(`/v1/reports/funnel?${JANUARY}`);
    // Interest: Mia (Jan 10) and Lee coming back from Decision (Jan 12); Decision: Lee (Jan 8).
    expect(
      ['awareness', 'interest', 'decision', 'action'].map(
        (id) => step(jan, 'crm_funnel', id).entered,
      ),
    ).toEqual([1, 2, 1, 0]);
    // Acquisition holds lead, MQL and SQL: only Mia entered it in January.
    expect(step(jan, 'customer_lifecycle', 'acquisition').entered).toBe(1);
  });

  it('times and counts a lead moved back to visitor once, with the visitors', async () => {
    const s = await site();
    s.at(0);
    const lead = await s.identify('vic', 'vic@example.com');
    s.at(1);
    await s.move(lead, 'visitor', 'only a test sign-up');
    s.at(3);
    await s.move(lead, 'lead');
    s.at(4);
    const r = await s.get<FunnelReport>('/v1/reports/funnel?from=2026-01-10&to=2026-01-10');
    // Visitor entries: the browser (first seen at 0 h, identified at once) and the lead's stay
    // from 1 h to 3 h; both went on to `lead`.
    expect(stage(r, 'visitor')).toEqual({
      stage: 'visitor',
      count: 0,
      entered: 2,
      converted: 2,
      conversionRate: 1,
      timeInStage: { samples: 2, medianSeconds: 3600, p90Seconds: 6480 },
    });
    // Awareness is the visitor stage: the same two entries, not three.
    expect(step(r, 'crm_funnel', 'awareness').entered).toBe(2);
    expect(step(r, 'customer_lifecycle', 'reach').entered).toBe(2);
  });

  it('answers an empty site with zeros and nulls the schema allows', async () => {
    const s = await site();
    const f = await s.get<FunnelReport>(`/v1/reports/funnel?${JANUARY}&by=channel`);
    for (const x of f.stages) {
      expect([x.count, x.entered, x.converted, x.conversionRate]).toEqual([0, 0, 0, null]);
      expect(x.timeInStage).toEqual({ samples: 0, medianSeconds: null, p90Seconds: null });
    }
    expect(f.byChannel).toEqual([]);
    for (const m of f.models)
      for (const st of m.steps) expect([st.entered, st.share]).toEqual([0, null]);
    expect(await s.get(`/v1/reports/channels?${JANUARY}`)).toMatchObject({
      firstTouch: [],
      lastTouch: [],
    });
    expect(await s.get(`/v1/reports/forms?${JANUARY}`)).toMatchObject({ forms: [] });
  });

  it('after merges, matches a model reading each merged lead in its own chain (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        // People: a survivor's chain and, for some, a loser's merged into it.
        fc.array(fc.record({ own: chainArb(), merged: fc.option(chainArb(true)) }), {
          maxLength: 6,
        }),
        fc.integer({ min: 0, max: 24 * 20 }),
        fc.integer({ min: 1, max: 24 * 20 }),
        async (people, fromH, spanH) => {
          const { site } = await createSite(store, { name: 'p', allowedOrigins: [] });
          const from = T0 + fromH * HOUR;
          const to = from + spanH * HOUR;
          type Entry = { stage: string; at: number };
          const chains: { person: number; entries: Entry[] }[] = [];
          const leads: Record<string, unknown>[] = [];
          const history: Record<string, unknown>[] = [];
          const stageNow: string[] = [];
          for (const [i, p] of people.entries()) {
            for (const [k, c] of [p.own, p.merged].entries()) {
              if (!c) continue;
              const id = `p${i}-${k}`;
              let at = T0 + c.created * HOUR;
              const entries: Entry[] = [{ stage: 'lead', at }];
              if (c.recordedEntry) history.push({ id, from: null, to: 'lead', at: iso(at) });
              for (const m of c.moves) {
                at += m.gap * HOUR;
                history.push({ id, from: entries.at(-1)!.stage, to: m.to, at: iso(at) });
                entries.push({ stage: m.to, at });
              }
              chains.push({ person: i, entries });
              if (k === 0) stageNow.push(entries.at(-1)!.stage);
              leads.push({ id, stage: entries.at(-1)!.stage, created: iso(T0 + c.created * HOUR) });
            }
          }
          await store.query(
            `insert into leads (site_id, lead_id, stage, created_at)
             select $1, x.id, x.stage, x.created
               from jsonb_to_recordset($2::jsonb) as x(id text, stage text, created timestamptz)`,
            [site.id, JSON.stringify(leads)],
          );
          await store.query(
            `insert into stage_history (site_id, lead_id, from_stage, to_stage, at, actor)
             select $1, x.id, x."from", x."to", x.at, 'test'
               from jsonb_to_recordset($2::jsonb) as x(id text, "from" text, "to" text, at timestamptz)`,
            [site.id, JSON.stringify(history)],
          );
          // The merges, as mergeLeads writes them: the loser's history moves to the survivor.
          for (const [i, p] of people.entries()) {
            if (!p.merged) continue;
            await store.query(
              `update stage_history set lead_id = $3 where site_id = $1 and lead_id = $2`,
              [site.id, `p${i}-1`, `p${i}-0`],
            );
            await store.query(
              `update leads set merged_into = $3 where site_id = $1 and lead_id = $2`,
              [site.id, `p${i}-1`, `p${i}-0`],
            );
          }
          const r = await funnelReport(
            store,
            site.id,
            { from: new Date(from), to: new Date(to) },
            false,
          );
          const inWindow = (e: Entry) => e.at >= from && e.at < to;
          for (const st of ALL_STAGES) {
            let entered = 0;
            let converted = 0;
            const stays: number[] = [];
            const rank = lifecycleRank(st);
            for (const { entries } of chains) {
              entries.forEach((e, k) => {
                const next = entries[k + 1];
                if (e.stage === st && next && next.at >= from && next.at < to)
                  stays.push((next.at - e.at) / 1000);
                if (e.stage !== st || !inWindow(e)) return;
                entered++;
                const later = entries.slice(k + 1).filter((x) => x.at < to);
                if (
                  rank >= 0 &&
                  st !== LIFECYCLE.at(-1) &&
                  later.some((x) => lifecycleRank(x.stage) > rank)
                )
                  converted++;
              });
            }
            const row = r.stages.find((x) => x.stage === st)!;
            const count = stageNow.filter((x) => x === st).length;
            expect([st, row.count, row.entered, row.converted]).toEqual([
              st,
              count,
              entered,
              converted,
            ]);
            expect([st, row.timeInStage.samples]).toEqual([st, stays.length]);
            const median = percentile(stays, 0.5);
            const p90 = percentile(stays, 0.9);
            expect(row.timeInStage.medianSeconds).toBe(
              median === null ? null : Math.round(median * 10) / 10,
            );
            expect(row.timeInStage.p90Seconds).toBe(
              p90 === null ? null : Math.round(p90 * 10) / 10,
            );
          }
          // People entering a step in the window (from another step, or as a first stage), once.
          for (const m of FUNNEL_MODELS) {
            const stepOf = (stage: string | undefined) =>
              m.steps.find((x) => (x.stages as readonly string[]).includes(stage ?? ''))?.id;
            for (const st of m.steps) {
              const persons = new Set(
                chains
                  .filter(({ entries }) =>
                    entries.some(
                      (e, k) =>
                        inWindow(e) &&
                        stepOf(e.stage) === st.id &&
                        stepOf(entries[k - 1]?.stage) !== st.id,
                    ),
                  )
                  .map((c) => c.person),
              );
              const got = r.models.find((v) => v.id === m.id)!.steps.find((x) => x.id === st.id)!;
              expect([m.id, st.id, got.entered]).toEqual([m.id, st.id, persons.size]);
            }
          }
        },
      ),
      { numRuns: 20 },
    );
  });
});
