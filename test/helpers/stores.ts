/** Both store drivers for contract tests: PGlite in memory and a fresh PostgreSQL database each. */
import pg from 'pg';
import { migrate, openPGlite, openPostgres, type Store } from '../../collector/store/index.ts';

/** Admin connection of the test PostgreSQL server (trust auth on this machine and in CI). */
export const PG_ADMIN_URL =
  process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

async function pgReachable(): Promise<boolean> {
  const c = new pg.Client({ connectionString: PG_ADMIN_URL, connectionTimeoutMillis: 2_000 });
  try {
    await c.connect();
    await c.end();
    return true;
  } catch {
    return false;
  }
}

/**
 * True when PostgreSQL tests can run. In CI an unreachable server is a failure, not a skip.
 */
export const hasPostgres = await (async () => {
  const ok = await pgReachable();
  if (!ok && process.env.CI)
    throw new Error(`PostgreSQL is not reachable at ${PG_ADMIN_URL} and CI is set`);
  return ok;
})();

/** A new empty database on the test server; `drop()` removes it. */
export async function freshPgDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `tp_test_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: PG_ADMIN_URL });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}

export interface StoreCase {
  name: 'pglite' | 'postgres';
  /** Opens a migrated, empty store; `close` also removes its data. */
  open(): Promise<{ store: Store; close: () => Promise<void>; url?: string }>;
}

/** PGlite in memory, for suites that run on one driver only. */
export const pgliteCase: StoreCase = {
  name: 'pglite',
  async open() {
    const store = await openPGlite();
    await migrate(store);
    return { store, close: () => store.close() };
  },
};

/** The drivers to run a contract suite against (PostgreSQL only when reachable, always in CI). */
export const storeCases: StoreCase[] = [
  pgliteCase,
  ...(hasPostgres
    ? [
        {
          name: 'postgres' as const,
          async open() {
            const db = await freshPgDatabase();
            const store = openPostgres(db.url);
            await migrate(store);
            return {
              store,
              url: db.url,
              close: async () => {
                await store.close();
                await db.drop();
              },
            };
          },
        },
      ]
    : []),
];
