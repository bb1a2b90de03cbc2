/** One store and one harness per describe block: the hooks that open them and close them. */
import { afterAll, beforeAll } from 'vitest';
import type { Store } from '../../collector/store/index.ts';
import { harness } from './app.ts';
import type { StoreCase } from './stores.ts';

/** The app with its site on a store, as {@link harness} gives it. */
export type Harness = Awaited<ReturnType<typeof harness>>;

/** A {@link harness} with the store it runs on (and the store's database URL on PostgreSQL). */
export interface SuiteHarness extends Harness {
  store: Store;
  url?: string;
}

/**
 * A harness on a fresh store of `sc`, opened and closed by the calling describe block's hooks.
 *
 * @example const h = suiteHarness(sc, { clock }); it('…', async () => { await h.collect([event()]); });
 */
export function suiteHarness(
  sc: StoreCase,
  opts: Parameters<typeof harness>[1] = {},
): SuiteHarness {
  // Filled in place by beforeAll: read the fields in hooks and tests, never at describe time.
  // The block's own hooks run after this beforeAll and before this afterAll (Vitest's default
  // `sequence.hooks: 'stack'`).
  const h = {} as SuiteHarness;
  let close: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    const opened = await sc.open();
    close = opened.close;
    Object.assign(h, await harness(opened.store, opts), {
      store: opened.store,
      url: opened.url,
    });
  });
  afterAll(() => close?.());
  return h;
}
