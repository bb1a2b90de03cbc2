import { beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../../collector/store/index.ts';
import { suiteHarness } from '../helpers/fixture.ts';
import { storeCases } from '../helpers/stores.ts';
import { getJson } from './leads-helpers.ts';

/** Inserts `n` leads at once (set-based): ids `${prefix}-N`, created over the past days, scored. */
async function insertLeads(store: Store, siteId: string, prefix: string, n: number, offset = 0) {
  await store.query(
    `insert into leads (site_id, lead_id, email, stage, score_total, created_at, updated_at, last_seen_at)
     select $1, $2 || '-' || g, $2 || g || '@walk.test', 'lead', (g * 7919) % 100,
            now() - (g || ' seconds')::interval, now(), now() - ((g * 13) % 5000 || ' seconds')::interval
       from generate_series($3::int, $3::int + $4::int - 1) g`,
    [siteId, prefix, offset, n],
  );
}

describe.each(storeCases)('lead list pagination at 10,000 leads on $name', (sc) => {
  const h = suiteHarness(sc);

  beforeAll(async () => {
    await insertLeads(h.store, h.site.site.id, 'walk', 10_000);
  });

  it.each(['-createdAt', '-score', 'lastSeenAt'])(
    'walks all 10,000 leads exactly once by %s while new leads arrive',
    async (sort) => {
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const page: { data: { id: string }[]; nextCursor: string | null } = await getJson(
          h,
          `/v1/leads?sort=${sort}&limit=200${cursor ? `&cursor=${cursor}` : ''}`,
        );
        seen.push(...page.data.map((l) => l.id));
        cursor = page.nextCursor;
        // New leads keep arriving between pages (each walk adds its own 50 per page turn).
        await insertLeads(h.store, h.site.site.id, `new${sort}${pages}`, 50);
        pages++;
      } while (cursor && pages < 500);
      const original = seen.filter((id) => id.startsWith('walk-'));
      expect(new Set(seen).size).toBe(seen.length);
      expect(original).toHaveLength(10_000);
      expect(new Set(original).size).toBe(10_000);
    },
    120_000,
  );

  it('counts every matching lead with count=true, whatever the page, and only when asked', async () => {
    await insertLeads(h.store, h.site.site.id, 'count', 300);
    const expected = async (where: string) =>
      (
        await h.store.query<{ n: number }>(
          `select count(*)::int as n from leads where site_id = $1 and merged_into is null ${where}`,
          [h.site.site.id],
        )
      ).rows[0]!.n;
    const first = await getJson(h, '/v1/leads?q=count&minScore=50&limit=10&count=true');
    const total = await expected(`and email like 'count%' and score_total >= 50`);
    expect(total).toBeGreaterThan(100);
    expect(first.total).toBe(total);
    expect(first.data).toHaveLength(10);
    const second = await getJson(
      h,
      `/v1/leads?q=count&minScore=50&limit=10&count=true&cursor=${first.nextCursor}`,
    );
    expect(second.total).toBe(total);
    expect(await getJson(h, '/v1/leads?limit=1&count=true')).toMatchObject({
      total: await expected(''),
    });
    expect(await getJson(h, '/v1/leads?limit=1')).not.toHaveProperty('total');
    const bad = await h.secret('/v1/leads?count=yes');
    expect(bad.status).toBe(400);
    expect((await bad.json()).errors).toEqual([expect.objectContaining({ path: 'count' })]);
  });
});
