/** The ingest pipeline runs once per group transaction over every request in it (both stores). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLog } from '../../collector/deps.ts';
import { buildDeps } from '../../collector/index.ts';
import { readScore, recomputeLeads, saveRules } from '../../collector/scoring/index.ts';
import { createSite } from '../../collector/sites/index.ts';
import type { Store } from '../../collector/store/index.ts';
import type { ScoringRules } from '../../shared/scoring.ts';
import { testClock, testConfig } from '../helpers/app.ts';
import { storeCases } from '../helpers/stores.ts';
import { ev, ingestAs, makeLead } from '../scoring/fixtures.ts';

/** A Store that counts the statements run inside each transaction. */
function counting(inner: Store) {
  const perTx: number[] = [];
  const store: Store = {
    kind: inner.kind,
    query: (sql, params) => inner.query(sql, params),
    ping: () => inner.ping(),
    close: () => inner.close(),
    transaction(fn) {
      const k = perTx.push(0) - 1;
      return inner.transaction((tx) =>
        fn({
          query: (sql, params) => {
            perTx[k]!++;
            return tx.query(sql, params);
          },
        }),
      );
    },
  };
  return { store, perTx };
}

const RULES: ScoringRules = {
  mqlThreshold: 50,
  fit: [],
  engagement: [
    { id: 'pv', label: 'Pages', event: { type: 'pageview' }, points: 1 },
    { id: 'pricing', label: 'Pricing', event: { type: 'pageview', url: '*/pricing*' }, points: 10 },
  ],
};

describe.each(storeCases)('group pipeline on $name', (sc) => {
  let base: Store;
  let close: () => Promise<void>;

  beforeAll(async () => {
    ({ store: base, close } = await sc.open());
  });
  afterAll(() => close());

  it('stores 40 concurrent requests in one transaction of a few statements, each fully processed', async () => {
    const c = counting(base);
    const clock = testClock();
    const deps = buildDeps(c.store, { config: testConfig(), log: silentLog, clock });
    const { site } = await createSite(base, { name: 'G', allowedOrigins: ['*'] });
    await saveRules(base, site.id, RULES, clock());
    // Half the browsers belong to leads: their pages count for the lead.
    const leads = await Promise.all(
      Array.from({ length: 20 }, (_, i) => makeLead(base, site.id, { anon: [`known-${i}`] })),
    );
    const t = clock().getTime();
    const requests = Array.from({ length: 40 }, (_, i) => {
      const anon = i < 20 ? `known-${i}` : `new-${i}`;
      return ingestAs(deps, site, [
        ev({ anonymousId: anon, sessionId: `s-${i}`, timestamp: t - 2000 }),
        ev({
          anonymousId: anon,
          sessionId: `s-${i}`,
          timestamp: t - 1000,
          url: 'https://www.example.com/pricing',
        }),
      ]);
    });
    const c0 = c.perTx.length;
    const results = await Promise.all(requests);
    expect(results.map((r) => r.accepted)).toEqual(Array(40).fill(2));
    // One transaction for all 40, and its statement count does not grow with the requests.
    const txs = c.perTx.slice(c0);
    expect(txs.length).toBe(1);
    expect(txs[0]).toBeLessThanOrEqual(12);

    const { rows: sessions } = await base.query<{ n: number }>(
      `select count(*)::int as n from sessions where site_id = $1 and events = 2 and pageviews = 2`,
      [site.id],
    );
    expect(sessions[0]!.n).toBe(40);
    const { rows: touched } = await base.query<{ n: number }>(
      `select count(*)::int as n from visitors where site_id = $1 and first_touch is not null`,
      [site.id],
    );
    expect(touched[0]!.n).toBe(40);
    for (const lead of leads) {
      // Two pages (1 point each), one of them pricing (10).
      expect((await readScore(base, site.id, lead, clock())).total).toBe(12);
      const { rows } = await base.query<{ last_seen_at: Date }>(
        'select last_seen_at from leads where site_id = $1 and lead_id = $2',
        [site.id, lead],
      );
      expect(new Date(rows[0]!.last_seen_at).getTime()).toBe(t - 1000);
    }
  });

  it('scores a browser once when its identify and its page views share a transaction', async () => {
    const clock = testClock();
    const deps = buildDeps(base, { config: testConfig(), log: silentLog, clock });
    const { site } = await createSite(base, { name: 'I', allowedOrigins: ['*'] });
    await saveRules(base, site.id, RULES, clock());
    const t = clock().getTime();
    // Sent at once by two tabs: the identify creates the lead, which owns the browser's past,
    // so the pricing page (stored in the same transaction) counts for it exactly once.
    const [identified] = await Promise.all([
      ingestAs(deps, site, [
        ev({
          anonymousId: 'tabs',
          type: 'identify',
          timestamp: t - 3000,
          traits: { email: 'ada@acme.example' },
        }),
      ]),
      ingestAs(deps, site, [
        ev({ anonymousId: 'tabs', timestamp: t - 1000, url: 'https://www.example.com/pricing' }),
      ]),
    ]);
    expect(identified.accepted).toBe(1);
    const { rows } = await base.query<{ lead_id: string }>(
      `select lead_id from identities where site_id = $1 and value = 'ada@acme.example'`,
      [site.id],
    );
    const lead = rows[0]!.lead_id;
    const stored = await readScore(base, site.id, lead, clock());
    expect(stored.breakdown.map((b) => [b.ruleId, b.count])).toEqual([
      ['pv', 1],
      ['pricing', 1],
    ]);
    const scratch = (
      await base.transaction((tx) => recomputeLeads(tx, site.id, [lead], clock()))
    ).get(lead)!;
    expect(stored.total).toBe(scratch.total);
    expect(stored.total).toBe(11);
  });
});
