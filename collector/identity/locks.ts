/** Per-identifier transaction locks: the serialization point of identity resolution. */
import type { Queryable } from '../store/index.ts';

/**
 * Takes `pg_advisory_xact_lock(hashtextextended('site|kind|value', 0))` on each key (released at
 * commit or rollback), in sorted order. The hash is computed in SQL, so PGlite and PostgreSQL
 * lock the same numbers.
 *
 * Why sorted: two resolutions that need the same two identifiers (say an anonymous id and an
 * email) must take them in the same order, or each could hold one and wait for the other.
 * Why one statement per key: SQL does not promise the order in which a single statement would
 * evaluate the lock calls; there are at most three keys.
 *
 * @example await lockKeys(tx, siteId, ['anon|a-1', 'email|ada@example.com']);
 */
export async function lockKeys(tx: Queryable, siteId: string, keys: string[]): Promise<void> {
  const sorted = [...new Set(keys.map((k) => `${siteId}|${k}`))].sort();
  for (const k of sorted) {
    await tx.query('select pg_advisory_xact_lock(hashtextextended($1, 0))', [k]);
  }
}
