/** The `q=` folding on the query side (collector/api/search.ts) against the stored side (migrations 014, 015). */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { foldForSearch } from '../../collector/api/search.ts';
import type { Store } from '../../collector/store/index.ts';
import { storeCases } from '../helpers/stores.ts';

/** Vietnamese letters in both cases, composed, plus ASCII and a few symbols emails carry. */
const VI = 'aàáảãạăằắẳẵặâầấẩẫậeèéẻẽẹêềếểễệiìíỉĩịoòóỏõọôồốổỗộơờớởỡợuùúủũụưừứửữựyỳýỷỹỵđ';
const letters = [...`${VI}${VI.toUpperCase()}bcghklmnpqrstvx0123456789 .@_-`];

describe.each(storeCases)('lead search folding on $name', (sc) => {
  let store: Store;
  let close: () => Promise<void>;
  beforeAll(async () => {
    ({ store, close } = await sc.open());
  });
  afterAll(() => close());

  it('folds any name the way the stored column does, composed or decomposed', async () => {
    const text = fc.array(fc.constantFrom(...letters), { maxLength: 24 }).map((cs) => cs.join(''));
    let n = 0;
    await fc.assert(
      fc.asyncProperty(text, fc.boolean(), async (name, nfd) => {
        const stored = nfd ? name.normalize('NFD') : name;
        const id = `p${n++}`;
        const { rows } = await store.query<{ search_text: string }>(
          `insert into leads (site_id, lead_id, name) values ('fold-p', $1, $2) returning search_text`,
          [id, stored],
        );
        expect(rows[0]!.search_text).toBe(`${foldForSearch(name)} `);
        expect(foldForSearch(stored)).toBe(foldForSearch(name));
        expect(foldForSearch(name)).toMatch(/^[a-z0-9 .@_-]*$/);
      }),
      { numRuns: 150 },
    );
  });

  it('stores the folded name and email on every lead', async () => {
    await store.query(
      `insert into leads (site_id, lead_id, email, name) values ('fold', 'l1', 'an@côngty.vn', 'Phạm Ánh')`,
    );
    const { rows } = await store.query<{ search_text: string }>(
      `select search_text from leads where site_id = 'fold'`,
    );
    expect(rows).toEqual([{ search_text: 'pham anh an@congty.vn' }]);
    // Every email the lead holds (a merged duplicate's), folded the same way.
    const more = await store.query<{ search_text: string }>(
      `update leads set emails = 'an@côngty.vn anh.pham@gmail.com' where site_id = 'fold'
        returning search_text`,
    );
    expect(more.rows).toEqual([
      { search_text: 'pham anh an@congty.vn an@congty.vn anh.pham@gmail.com' },
    ]);
  });
});
