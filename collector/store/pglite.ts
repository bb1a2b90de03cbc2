/** The embedded store: PostgreSQL compiled to WASM, in-process, data in a folder. */
import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import type { Queryable, QueryResult, Store } from './types.ts';

/**
 * Opens PGlite in `dataDir` (created when missing), or in memory when `dataDir` is undefined.
 *
 * @example const store = await openPGlite('.touchpoint');
 */
export async function openPGlite(dataDir?: string): Promise<Store> {
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const db = await PGlite.create(dataDir);
  const run = async <R>(q: Pick<PGlite, 'query'>, sql: string, params?: unknown[]) => {
    const res = await q.query<R>(sql, params);
    // Like node-postgres: a SELECT's row count is its rows (PGlite reports 0 affected rows).
    const rowCount = res.affectedRows || res.rows.length;
    return { rows: res.rows, rowCount } as QueryResult<R>;
  };
  let closed = false;
  return {
    kind: 'pglite',
    query: (sql, params) => run(db, sql, params),
    transaction: (fn) =>
      db.transaction((tx) => {
        const q: Queryable = { query: (sql, params) => run(tx, sql, params) };
        return fn(q);
      }),
    async ping() {
      if (closed) return false;
      try {
        await db.query('select 1');
        return true;
      } catch {
        return false;
      }
    },
    async close() {
      if (closed) return;
      closed = true;
      await db.close();
    },
  };
}
