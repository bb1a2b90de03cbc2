/**
 * Scoring audit: what a marketer reads of a score — the fit points a trait earns, the same score
 * on the lead, in the list's filters and sort, in segments and in the CSV, and a live score that
 * equals the pure function of the lead's timeline whatever the order events and identities come in.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { startWorkers } from '../../collector/jobs/index.ts';
import {
  evalFitRule,
  type FitRule,
  type ScoreEvent,
  type ScoringRules,
  score,
} from '../../shared/scoring.ts';
import { DEFAULT_RULES } from '../../shared/scoring-defaults.ts';
import { event, harness, testClock } from '../helpers/app.ts';
import { suiteHarness } from '../helpers/fixture.ts';
import { storeCases } from '../helpers/stores.ts';
import { leadOfAnon } from '../identity/helpers.ts';

const fit = (op: FitRule['op'], value: FitRule['value'], trait = 't'): FitRule => ({
  id: 'r',
  label: 'R',
  trait,
  op,
  value,
  points: 1,
});
const holds = (r: FitRule, t: unknown) => evalFitRule(r, { t });

describe('fit rules on the traits people actually send', () => {
  it('a Vietnamese title typed in decomposed Unicode earns the decision-maker points', () => {
    // Unikey's "Unicode tổ hợp", VNI and macOS input send "Giám đốc" as base letters plus
    // combining marks: it looks the same, and is the same title.
    const decisionMaker = DEFAULT_RULES.fit.find((r) => r.id === 'decision-maker')!;
    for (const title of ['Giám đốc kinh doanh', 'Trưởng phòng Marketing', 'Quản lý dự án']) {
      expect(evalFitRule(decisionMaker, { title }), title).toBe(true);
      expect(evalFitRule(decisionMaker, { title: title.normalize('NFD') }), title).toBe(true);
    }
    const hanoi = 'Hà Nội';
    expect(holds(fit('eq', hanoi), hanoi.normalize('NFD'))).toBe(true);
    expect(holds(fit('eq', hanoi.normalize('NFD')), hanoi)).toBe(true);
    expect(holds(fit('neq', hanoi), hanoi.normalize('NFD'))).toBe(false);
    expect(holds(fit('in', ['Đà Nẵng', hanoi]), ` ${hanoi.normalize('NFD')} `)).toBe(true);
  });

  it('composed and decomposed forms of any trait score alike (property)', () => {
    const viet = fc
      .array(fc.constantFrom(...'aăâeêioôơuưyđAĂÂĐáàảãạắằấầếềốồớờứừýỳ ộệậặợựỵ'.split('')), {
        minLength: 1,
        maxLength: 12,
      })
      .map((cs) => cs.join(''));
    fc.assert(
      fc.property(viet, viet, fc.constantFrom('eq', 'neq', 'in', 'contains'), (trait, v, op) => {
        const value = op === 'in' ? [v] : v;
        for (const r of [fit(op as FitRule['op'], value), fit(op as FitRule['op'], value)]) {
          const composed = holds(r, trait.normalize('NFC'));
          expect(holds(r, trait.normalize('NFD'))).toBe(composed);
          const decomposedRule = {
            ...r,
            value: Array.isArray(r.value) ? [v.normalize('NFD')] : v.normalize('NFD'),
          };
          expect(holds(decomposedRule, trait.normalize('NFC'))).toBe(composed);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('a number sent as text equals the number, as gte and lte already read it (property)', () => {
    // "Company size = 1000" must hold for the trait "1,000" whenever ≥ 1000 and ≤ 1000 both do.
    const shapes = (n: number): unknown[] => [
      n,
      String(n),
      ` ${n} `,
      n.toFixed(1),
      n.toLocaleString('en-US'),
    ];
    fc.assert(
      fc.property(
        fc.integer({ min: -5_000, max: 5_000 }),
        fc.integer({ min: -5_000, max: 5_000 }),
        (n, v) => {
          for (const t of shapes(n)) {
            const between = holds(fit('gte', v), t) && holds(fit('lte', v), t);
            expect(holds(fit('eq', v), t), `${JSON.stringify(t)} = ${v}`).toBe(between);
            expect(holds(fit('neq', v), t), `${JSON.stringify(t)} ≠ ${v}`).toBe(!between);
            expect(holds(fit('in', [99_999, v]), t), `${JSON.stringify(t)} in [${v}]`).toBe(
              between,
            );
          }
        },
      ),
      { numRuns: 300 },
    );
    expect(holds(fit('eq', 1000), '1,000')).toBe(true);
    expect(holds(fit('eq', 50), '50.0')).toBe(true);
    // A value written as text keeps text equality: codes with leading zeros are not numbers.
    expect(holds(fit('eq', '007'), '7')).toBe(false);
  });

  it('numeric ranges read a list trait by any element, as eq, in and contains do', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            fc.integer({ min: 0, max: 2_000 }),
            fc.integer({ min: 0, max: 2_000 }).map(String),
          ),
          {
            minLength: 1,
            maxLength: 5,
          },
        ),
        fc.integer({ min: 0, max: 2_000 }),
        fc.constantFrom('gte' as const, 'lte' as const),
        (list, v, op) => {
          const any = list.some((x) => holds(fit(op, v), x));
          expect(holds(fit(op, v), list)).toBe(any);
        },
      ),
    );
    // A multi-select "company size" of ["200", "500"] is a company of 50+ people.
    const size = DEFAULT_RULES.fit.find((r) => r.id === 'company-size')!;
    expect(evalFitRule(size, { companySize: ['200', '500'] })).toBe(true);
    expect(evalFitRule(size, { companySize: ['10'] })).toBe(false);
  });
});

const DAY = 86_400_000;
/** A score as shown: two decimals. */
const shown = (n: number) => Math.round(n * 100) / 100;

/** The ids, stages and scores of a lead list. */
async function listOf(h: Awaited<ReturnType<typeof harness>>, q: string) {
  const res = await h.secret(`/v1/leads?${q}`);
  expect(res.status).toBe(200);
  return (await res.json()).data as { id: string; stage: string; score: { total: number } }[];
}

describe.each(storeCases)('one score everywhere the marketer reads it, on $name', (sc) => {
  const clock = testClock();
  const h = suiteHarness(sc, { clock });

  const collect = async (events: ReturnType<typeof event>[]) => {
    const res = await h.collect(events, { sentAt: clock().getTime() });
    expect(res.status).toBe(202);
  };
  const list = (q: string) => listOf(h, q);

  it('a lead made an MQL at "score 50 ≥ 50" is in minScore=50, its segment, its sort place and the CSV as 50', async () => {
    const put = await h.secret('/v1/scoring', {
      method: 'PUT',
      body: JSON.stringify({
        mqlThreshold: 50,
        halfLifeDays: 30,
        fit: [],
        engagement: [{ id: 'pv', label: 'Page', event: { type: 'pageview' }, points: 25 }],
      }),
    });
    expect(put.status).toBe(202);
    const t = clock().getTime();
    // Two pages seen 3 s before the batch is scored: 49.99997 exactly, 50 as shown.
    await collect([
      event({
        type: 'identify',
        anonymousId: 'edge',
        traits: { email: 'edge@acme.test' },
        timestamp: t - 3_000,
      }),
      event({ anonymousId: 'edge', timestamp: t - 3_000 }),
      event({ anonymousId: 'edge', timestamp: t - 3_000 }),
    ]);
    const lead = (await leadOfAnon(h.store, 'edge', clock()))!;
    const detail = await (await h.secret(`/v1/leads/${lead}`)).json();
    expect(detail.stage).toBe('mql');
    expect(detail.stageHistory.at(-1)).toMatchObject({ to: 'mql', reason: 'score 50 ≥ 50' });
    expect(shown(detail.score.total)).toBe(50);

    expect((await list('minScore=50')).map((l) => l.id)).toContain(lead);
    expect((await list('stage=mql&minScore=50')).map((l) => l.id)).toContain(lead);
    expect((await list('maxScore=49.99')).map((l) => l.id)).not.toContain(lead);
    const seg = await h.secret('/v1/segments', {
      method: 'POST',
      body: JSON.stringify({ name: 'MQL-ready', filter: { minScore: 50 } }),
    });
    expect(seg.status).toBe(201);
    const segId = (await seg.json()).id;
    expect((await list(`segment=${segId}`)).map((l) => l.id)).toContain(lead);

    const csv = await (await h.secret('/v1/leads/export.csv?minScore=50')).text();
    const line = csv.split('\n').find((l) => l.startsWith(lead))!;
    expect(line).toBeDefined();
    expect(line.split(',')[4]).toBe('50');

    // Someone a hundredth of a point below ranks below it and stays out of minScore=50.
    const below = await h.secret('/v1/scoring', {
      method: 'PUT',
      body: JSON.stringify({
        mqlThreshold: 50,
        halfLifeDays: 30,
        fit: [{ id: 'vip', label: 'VIP', trait: 'vip', op: 'exists', points: 49.99 }],
        engagement: [{ id: 'pv', label: 'Page', event: { type: 'pageview' }, points: 25 }],
      }),
    });
    expect(below.status).toBe(202);
    const w = startWorkers(h.deps, { intervalMs: 0 });
    await w.tick();
    await w.stop();
    await collect([
      event({
        type: 'identify',
        anonymousId: 'vip',
        traits: { email: 'vip@acme.test', vip: true },
        timestamp: clock().getTime(),
      }),
    ]);
    const vip = (await leadOfAnon(h.store, 'vip', clock()))!;
    expect((await list('minScore=50')).map((l) => l.id)).not.toContain(vip);
    const ranked = (await list('sort=-score')).map((l) => l.id);
    expect(ranked.indexOf(lead)).toBeLessThan(ranked.indexOf(vip));
  });

  it('the live score equals the pure function of the lead’s timeline, in any arrival order (property)', async () => {
    const rules: ScoringRules = {
      mqlThreshold: 1_000_000,
      halfLifeDays: 3,
      caps: { engagement: 60 },
      fit: [
        {
          id: 'work',
          label: 'Work email',
          trait: 'email',
          op: 'freeEmailDomain',
          value: false,
          points: 7,
        },
        { id: 'co', label: 'Company', trait: 'company', op: 'exists', points: 5 },
      ],
      engagement: [
        { id: 'pv', label: 'Pages', event: { type: 'pageview' }, points: 2, max: 20 },
        { id: 'pricing', label: 'Pricing', event: { url: '*/pricing*' }, points: 6 },
        {
          id: 'signup',
          label: 'Signup',
          event: { type: 'track', name: 'signup' },
          points: 15,
          once: true,
        },
        { id: 'careers', label: 'Careers', event: { url: '*/careers*' }, points: -9, once: true },
      ],
    };
    const own = await harness(h.store, { clock });
    expect(
      (await own.secret('/v1/scoring', { method: 'PUT', body: JSON.stringify(rules) })).status,
    ).toBe(202);
    let run = 0;
    const step = fc.record({
      device: fc.constantFrom('laptop', 'phone', 'tablet'),
      kind: fc.constantFrom('pageview', 'pageview', 'track', 'identify', 'bot'),
      path: fc.constantFrom('/', '/pricing', '/careers', '/blog'),
      lateMin: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 3 * 24 * 60 })),
      company: fc.boolean(),
      laterHours: fc.integer({ min: 0, max: 30 }),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 14 }), async (steps) => {
        run++;
        const email = `p${run}@${run % 2 ? 'acme.vn' : 'gmail.com'}`;
        for (const s of steps) {
          clock.advance(s.laterHours * 3_600_000);
          const anonymousId = `r${run}-${s.device}`;
          const timestamp = clock().getTime() - s.lateMin * 60_000;
          const url = `https://www.example.com${s.path}`;
          const e =
            s.kind === 'identify'
              ? event({
                  type: 'identify',
                  anonymousId,
                  timestamp,
                  traits: { email, ...(s.company ? { company: 'Acme' } : {}) },
                })
              : s.kind === 'track'
                ? event({ type: 'track', name: 'signup', anonymousId, timestamp, url })
                : event({
                    anonymousId,
                    timestamp,
                    url,
                    ...(s.kind === 'bot' ? { properties: { webdriver: true } } : {}),
                  });
          const res = await own.collect([e], { sentAt: clock().getTime() });
          expect(res.status).toBe(202);
        }
        const { rows } = await h.store.query<{ lead_id: string }>(
          'select lead_id from identities where site_id = $1 and value = $2',
          [own.site.site.id, email],
        );
        if (rows.length === 0) return;
        const id = rows[0]!.lead_id;
        clock.advance(DAY / 3);
        const lead = await (await own.secret(`/v1/leads/${id}`)).json();
        const timeline = await (await own.secret(`/v1/leads/${id}/timeline?limit=200`)).json();
        const events: ScoreEvent[] = timeline.data.map(
          (e: {
            type: string;
            name: string | null;
            url: string | null;
            properties: Record<string, unknown>;
            timestamp: string;
            isBot: boolean;
          }) => ({
            type: e.type,
            name: e.name,
            url: e.url,
            properties: e.properties,
            ts: Date.parse(e.timestamp),
            isBot: e.isBot,
          }),
        );
        const want = score(events, { ...lead.traits, email: lead.email }, rules, clock());
        expect(lead.score.total).toBeCloseTo(want.total, 9);
        expect(
          lead.score.breakdown.map((b: { ruleId: string; count: number }) => [b.ruleId, b.count]),
        ).toEqual(want.breakdown.map((b) => [b.ruleId, b.count]));
        const sum = lead.score.breakdown.reduce(
          (a: number, b: { points: number }) => a + b.points,
          0,
        );
        expect(sum).toBeCloseTo(lead.score.total, 9);
      }),
      { numRuns: sc.name === 'pglite' ? 15 : 8 },
    );
  }, 120_000);
});

describe.each(storeCases)('rescoring while people keep browsing, on $name', (sc) => {
  const clock = testClock();
  const h = suiteHarness(sc, { clock });

  const put = async (rules: ScoringRules) => {
    const res = await h.secret('/v1/scoring', { method: 'PUT', body: JSON.stringify(rules) });
    expect(res.status).toBe(202);
    return (await res.json()).job as { id: string; status: string };
  };
  const job = async (id: string) => (await h.secret(`/v1/scoring/jobs/${id}`)).json();
  const pages = (points: number, threshold: number): ScoringRules => ({
    mqlThreshold: threshold,
    halfLifeDays: 7,
    fit: [{ id: 'co', label: 'Company', trait: 'company', op: 'exists', points: 4 }],
    engagement: [{ id: 'pv', label: 'Pages', event: { type: 'pageview' }, points }],
  });

  it('two rule changes in a row and concurrent ingest: both jobs finish, every lead scored once per event under the last rules', async () => {
    const N = 40;
    const site = h.site.site;
    for (let i = 0; i < N; i++) {
      const res = await h.collect(
        [
          event({
            type: 'identify',
            anonymousId: `b${i}`,
            traits: { email: `b${i}@acme.test`, ...(i % 2 ? { company: 'Acme' } : {}) },
            timestamp: clock().getTime() - 60_000,
          }),
          event({ anonymousId: `b${i}`, timestamp: clock().getTime() - 30_000 }),
        ],
        { sentAt: clock().getTime() },
      );
      expect(res.status).toBe(202);
    }
    const first = await put(pages(3, 1_000));
    expect(await job(first.id)).toEqual({ id: first.id, status: 'running', done: 0, total: N });
    const second = await put(pages(5, 12));
    expect(second.status).toBe('running');

    let sending = true;
    const browsing = (async () => {
      for (let k = 0; k < 30; k++) {
        const i = (k * 7) % N;
        const res = await h.collect(
          [
            event({ anonymousId: `b${i}`, timestamp: clock().getTime() - k * 1_000 }),
            event({ anonymousId: `b${(i + 3) % N}`, timestamp: clock().getTime() }),
          ],
          { sentAt: clock().getTime() },
        );
        expect(res.status).toBe(202);
      }
      sending = false;
    })();
    const working = (async () => {
      const w = startWorkers(h.deps, { intervalMs: 0 });
      while (sending) await w.tick();
      await w.tick();
      await w.tick();
      await w.stop();
    })();
    await Promise.all([browsing, working]);

    for (const j of [first, second])
      expect(await job(j.id)).toEqual({ id: j.id, status: 'done', done: N, total: N });
    const rules = pages(5, 12);
    const { rows } = await h.store.query<{
      lead_id: string;
      score_total: number;
      stage: string;
    }>('select lead_id, score_total, stage from leads where site_id = $1', [site.id]);
    expect(rows).toHaveLength(N);
    for (const r of rows) {
      const lead = await (await h.secret(`/v1/leads/${r.lead_id}`)).json();
      const timeline = await (await h.secret(`/v1/leads/${r.lead_id}/timeline?limit=200`)).json();
      const events: ScoreEvent[] = timeline.data.map(
        (e: { type: string; name: string | null; url: string | null; timestamp: string }) => ({
          type: e.type,
          name: e.name,
          url: e.url,
          properties: {},
          ts: Date.parse(e.timestamp),
        }),
      );
      const want = score(events, lead.traits, rules, clock());
      expect(lead.score.total, r.lead_id).toBeCloseTo(want.total, 9);
      expect(r.score_total, r.lead_id).toBe(shown(want.total));
      expect(r.stage, r.lead_id).toBe(shown(want.total) >= 12 ? 'mql' : 'lead');
    }
  }, 120_000);

  it('a merge scores the survivor on both people’s events, and the loser’s past pages make it an MQL', async () => {
    await put(pages(10, 40));
    const w = startWorkers(h.deps, { intervalMs: 0 });
    await w.tick();
    await w.stop();
    const t = clock().getTime();
    const res = await h.collect(
      [
        event({ anonymousId: 'm-old', timestamp: t - 5_000 }),
        event({ anonymousId: 'm-old', timestamp: t - 4_000 }),
        event({
          type: 'identify',
          anonymousId: 'm-old',
          traits: { email: 'old@acme.test' },
          timestamp: t - 3_000,
        }),
        event({ anonymousId: 'm-new', timestamp: t - 2_000 }),
        event({
          type: 'identify',
          anonymousId: 'm-new',
          traits: { email: 'new@acme.test', company: 'Acme' },
          timestamp: t - 1_000,
        }),
      ],
      { sentAt: t },
    );
    expect(res.status).toBe(202);
    const survivor = (await leadOfAnon(h.store, 'm-new', clock()))!;
    const loser = (await leadOfAnon(h.store, 'm-old', clock()))!;
    expect((await (await h.secret(`/v1/leads/${survivor}`)).json()).stage).toBe('lead');
    const merged = await h.secret(`/v1/leads/${survivor}/merge`, {
      method: 'POST',
      body: JSON.stringify({ leadId: loser }),
    });
    expect(merged.status).toBe(200);
    const lead = await merged.json();
    // Company 4 + three pages ≈ 34: not yet 40. One more page of either browser makes it.
    expect(shown(lead.score.total)).toBe(34);
    expect(lead.score.breakdown.find((b: { ruleId: string }) => b.ruleId === 'pv').count).toBe(3);
    expect((await listOf(h, 'minScore=34')).map((l) => l.id)).toContain(survivor);
    const more = await h.collect([event({ anonymousId: 'm-old', timestamp: clock().getTime() })], {
      sentAt: clock().getTime(),
    });
    expect(more.status).toBe(202);
    const after = await (await h.secret(`/v1/leads/${loser}`)).json();
    expect(after.id).toBe(survivor);
    expect(shown(after.score.total)).toBe(44);
    expect(after.stage).toBe('mql');
  });
});
