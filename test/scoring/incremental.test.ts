import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventProcessor } from '../../collector/ingest/pipeline.ts';
import { lifecycleProcessor } from '../../collector/lifecycle/index.ts';
import {
  readScore,
  saveRules,
  scoringProcessor,
  shownScore,
} from '../../collector/scoring/index.ts';
import { createSite } from '../../collector/sites/index.ts';
import type { Store } from '../../collector/store/index.ts';
import { type ScoreEvent, type ScoringRules, score } from '../../shared/scoring.ts';
import type { WireEvent } from '../../shared/wire.ts';
import { harness, testClock } from '../helpers/app.ts';
import { storeCases } from '../helpers/stores.ts';
import { ev, ingestAs, link, makeLead } from './fixtures.ts';

const DAY = 86_400_000;

const arbRules: fc.Arbitrary<ScoringRules> = fc.record({
  mqlThreshold: fc.constant(1_000),
  halfLifeDays: fc.oneof(fc.constant(null), fc.integer({ min: 1, max: 30 })),
  caps: fc.record(
    { engagement: fc.integer({ min: 0, max: 100 }), total: fc.integer({ min: 0, max: 120 }) },
    { requiredKeys: [] },
  ),
  fit: fc.constant([
    { id: 'co', label: 'Company', trait: 'company', op: 'exists' as const, points: 20 },
  ]),
  engagement: fc
    .array(
      fc.record(
        {
          event: fc.constantFrom(
            { type: 'pageview' as const },
            { url: '*/pricing*' },
            { type: 'track' as const, name: 'signup' },
          ),
          points: fc.integer({ min: -20, max: 30 }),
          max: fc.integer({ min: 1, max: 50 }),
          once: fc.boolean(),
        },
        { requiredKeys: ['event', 'points'] },
      ),
      { maxLength: 4 },
    )
    .map((rs) => rs.map((r, i) => ({ ...r, id: `e${i}`, label: `Rule ${i}` }))),
});

const arbStep = fc.record({
  anon: fc.constantFrom('a-home', 'a-phone', 'a-work'),
  type: fc.constantFrom('pageview', 'track'),
  path: fc.constantFrom('/', '/pricing', '/blog'),
  ageMin: fc.integer({ min: 0, max: 3 * 24 * 60 }),
  bot: fc.integer({ min: 0, max: 5 }).map((n) => n === 0),
});

describe.each(storeCases)('incremental scoring on $name', (sc) => {
  let store: Store;
  let close: () => Promise<void>;

  beforeAll(async () => {
    ({ store, close } = await sc.open());
  });
  afterAll(() => close());

  it('keeps the stored score equal to a from-scratch recomputation (property)', async () => {
    const clock = testClock();
    const h = await harness(store, { clock });
    // Identity stand-in: reports the leads a test links, as the identity step will.
    let changed: string[] = [];
    const identity: EventProcessor = {
      name: 'identity',
      async process(_tx, batch) {
        for (const id of changed) batch.changedLeads.add(id);
        changed = [];
      },
    };
    const deps = { ...h.deps, processors: [identity, scoringProcessor, lifecycleProcessor] };

    await fc.assert(
      fc.asyncProperty(
        arbRules,
        fc.array(fc.array(arbStep, { minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 5 }),
        async (rules, batches) => {
          const { site } = await createSite(store, { name: 'P', allowedOrigins: ['*'] });
          await saveRules(store, site.id, rules, clock());
          const lead = await makeLead(store, site.id, {
            anon: ['a-home'],
            traits: { company: 'Acme' },
          });
          // a-phone belongs to the lead only from the first batch's time on; a-work never.
          const phoneFrom = clock().getTime();
          await link(store, site.id, 'a-phone', lead, new Date(phoneFrom).toISOString());
          const mine: ScoreEvent[] = [];
          // leads.score_* is the score as of the lead's last update (a batch that touched it).
          let updatedAt = 0;
          for (const [bi, steps] of batches.entries()) {
            clock.advance(DAY);
            const now = clock().getTime();
            const wire: WireEvent[] = steps.map((s) =>
              ev({
                anonymousId: s.anon,
                type: s.type as 'pageview',
                name: s.type === 'track' ? 'signup' : undefined,
                url: `https://www.example.com${s.path}`,
                timestamp: now - s.ageMin * 60_000,
                properties: s.bot ? { webdriver: true } : undefined,
              }),
            );
            // Identity reports the new lead with its first batch, and again later (traits edit).
            if (bi === 0 || bi === 2) changed = [lead];
            if (changed.length > 0) updatedAt = now;
            await ingestAs(deps, site, wire);
            for (const w of wire) {
              const owned =
                w.anonymousId === 'a-home' ||
                (w.anonymousId === 'a-phone' && w.timestamp >= phoneFrom);
              if (owned && w.properties?.webdriver !== true) updatedAt = now;
              if (owned)
                mine.push({
                  type: w.type,
                  name: w.name ?? null,
                  url: w.url ?? null,
                  properties: w.properties ?? {},
                  ts: w.timestamp,
                  isBot: w.properties?.webdriver === true,
                });
            }
            const { rows } = await store.query<{ score_total: number }>(
              'select score_total from leads where site_id = $1 and lead_id = $2',
              [site.id, lead],
            );
            // Stored as shown (two decimals): what minScore, the sort and the CSV read.
            const expected = score(mine, { company: 'Acme' }, rules, updatedAt).total;
            expect(rows[0]!.score_total).toBe(shownScore(expected));
          }
          const later = new Date(clock().getTime() + 5 * DAY);
          const read = await readScore(store, site.id, lead, later);
          const full = score(mine, { company: 'Acme' }, rules, later);
          expect(read.total).toBeCloseTo(full.total, 9);
          expect(read.breakdown.map((b) => [b.ruleId, b.count])).toEqual(
            full.breakdown.map((b) => [b.ruleId, b.count]),
          );
          const sum = read.breakdown.reduce((a, b) => a + b.points, 0);
          expect(sum).toBeCloseTo(read.total, 9);
        },
      ),
      { numRuns: sc.name === 'pglite' ? 12 : 8 },
    );
  });

  it('counts past events of a newly linked anonymous id when identity reports the lead', async () => {
    const clock = testClock();
    const h = await harness(store, { clock });
    let changed: string[] = [];
    const identity: EventProcessor = {
      name: 'identity',
      async process(_tx, batch) {
        for (const id of changed) batch.changedLeads.add(id);
      },
    };
    const deps = { ...h.deps, processors: [identity, scoringProcessor, lifecycleProcessor] };
    const rules: ScoringRules = {
      mqlThreshold: 50,
      fit: [],
      engagement: [{ id: 'pv', label: 'Pages', event: { type: 'pageview' }, points: 5 }],
    };
    await saveRules(store, h.site.site.id, rules, clock());
    const t = clock().getTime();
    await ingestAs(deps, h.site.site, [
      ev({ anonymousId: 'laptop', timestamp: t - 1000 }),
      ev({ anonymousId: 'laptop', timestamp: t - 500 }),
    ]);
    const lead = await makeLead(store, h.site.site.id, { anon: ['laptop'] });
    changed = [lead];
    await ingestAs(deps, h.site.site, [ev({ anonymousId: 'laptop', timestamp: t })]);
    expect((await readScore(store, h.site.site.id, lead, clock())).total).toBe(15);
  });

  it('takes events away from the earlier person when a second person identifies on the same device', async () => {
    const clock = testClock();
    const h = await harness(store, { clock });
    const site = h.site.site;
    const rules: ScoringRules = {
      mqlThreshold: 50,
      fit: [],
      engagement: [{ id: 'pv', label: 'Pages', event: { type: 'pageview' }, points: 5 }],
    };
    await saveRules(store, site.id, rules, clock());
    const first = await makeLead(store, site.id, { anon: ['shared'] });
    const t = clock().getTime();
    let second: string | null = null;
    // Identity stand-in for DESIGN §7 rule 4: from t - 1000 on, `shared` belongs to `second`.
    const identity: EventProcessor = {
      name: 'identity',
      async process(tx, batch) {
        if (!second) return;
        await tx.query(
          `insert into anonymous_links (site_id, anonymous_id, valid_from, lead_id, linked_at)
           values ($1, 'shared', $2, $3, $4)`,
          [site.id, new Date(t - 1000).toISOString(), second, batch.now.toISOString()],
        );
        batch.changedLeads.add(second);
      },
    };
    const deps = { ...h.deps, processors: [identity, scoringProcessor, lifecycleProcessor] };
    // A later page view arrives before the identify that happened earlier.
    await ingestAs(deps, site, [
      ev({ anonymousId: 'shared', timestamp: t - 2000 }),
      ev({ anonymousId: 'shared', timestamp: t }),
    ]);
    expect((await readScore(store, site.id, first, clock())).total).toBe(10);
    second = await makeLead(store, site.id);
    await ingestAs(deps, site, [
      ev({ anonymousId: 'shared', type: 'identify', timestamp: t - 1000 }),
    ]);
    expect((await readScore(store, site.id, first, clock())).total).toBe(5);
    expect((await readScore(store, site.id, second, clock())).total).toBe(5);
    const { rows } = await store.query<{ score_total: number }>(
      'select score_total from leads where lead_id = $1',
      [first],
    );
    expect(rows[0]!.score_total).toBe(5);
  });
});
