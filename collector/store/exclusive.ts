/** Start-up steps that must not run in two collectors at once (seeding the demo site). */
import type { Store } from './types.ts';

/**
 * Runs `fn` while holding a PostgreSQL advisory lock named by `key`, so replicas starting
 * together take turns: the second sees what the first wrote instead of racing it to the same
 * primary keys. `fn` uses the store as usual (the lock sits on a connection of its own). PGlite
 * serves one process only (dir-lock.ts): `fn` just runs.
 *
 * @example await exclusively(store, DEMO_LOCK, () => ensureDemoSite(store, dir, port));
 */
export async function exclusively<T>(store: Store, key: number, fn: () => Promise<T>): Promise<T> {
  if (store.kind !== 'postgres') return fn();
  // No retry: `fn` writes through the store, outside this transaction, and must run once.
  return store.transaction(
    async (tx) => {
      await tx.query('select pg_advisory_xact_lock($1)', [key]);
      return fn();
    },
    { retry: false },
  );
}
