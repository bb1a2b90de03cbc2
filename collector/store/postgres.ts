/** The PostgreSQL store (`DATABASE_URL`): a connection pool, the same SQL as PGlite. */
import pg from 'pg';
import { READ_SNAPSHOT, runTransaction } from './retry.ts';
import type { Queryable, QueryResult, Store } from './types.ts';
import { PING_TIMEOUT_MS, within } from './within.ts';

// Parse int8 as a JS number like PGlite does, so both drivers return the same shapes.
// Counts and millisecond values stay far below 2^53.
pg.types.setTypeParser(20, (v) => Number(v));

/** Connections one `snapshot` transaction may hold at once (the funnel runs five statements). */
const SNAPSHOT_CLIENTS = 5;

/**
 * Connects a pool to `url`. Connection errors surface on the first query, not here.
 *
 * @example const store = openPostgres('postgres://localhost/touchpoint');
 */
export function openPostgres(url: string, max = 10): Store {
  const pool = new pg.Pool({
    connectionString: url,
    max,
    connectionTimeoutMillis: 5_000,
    // No JIT: the reports' and lead filters' plans cost high enough to be JIT-compiled, which
    // takes hundreds of ms for queries that run in tens (bench: EXPLAIN ANALYZE "JIT: … Timing").
    // Random reads priced as on SSDs (1.1, not 4): the funnel's covering partial indexes were
    // passed over for sequential scans of whole tables. No parallel workers: the reports already
    // run their statements at once on separate connections, and workers only competed with
    // them. Alternated on 100k leads / 1M events: funnel 98 → 84 ms, by channel 156 → 133 ms,
    // lead list and lead reads the same or faster.
    options: '-c jit=off -c random_page_cost=1.1 -c max_parallel_workers_per_gather=0',
  });
  let ending: Promise<void> | undefined;
  let probe: Promise<boolean> | undefined;
  // An idle client losing its server (restart) must not crash the process.
  pool.on('error', () => {});
  const run = async <R>(c: pg.Pool | pg.PoolClient, sql: string, params?: unknown[]) => {
    const res = await c.query(sql, params as unknown[]);
    return { rows: res.rows as R[], rowCount: res.rowCount ?? 0 } as QueryResult<R>;
  };
  /** One run of a transaction on a client of its own. */
  const once = async <T>(fn: (tx: Queryable) => Promise<T>): Promise<T> => {
    const client = await pool.connect();
    let broken = false;
    // A checked-out client whose server goes away emits 'error' (the pool only listens on idle
    // ones); unheard, that event would crash the process. The pending query rejects anyway.
    const onError = () => {
      broken = true;
    };
    client.on('error', onError);
    try {
      await client.query('begin');
      const tx: Queryable = { query: (sql, params) => run(client, sql, params) };
      const out = await fn(tx);
      await client.query('commit');
      return out;
    } catch (err) {
      try {
        await client.query('rollback');
      } catch {
        broken = true;
      }
      throw err;
    } finally {
      client.off('error', onError);
      client.release(broken);
    }
  };
  /**
   * One run of a `snapshot` transaction whose statements still run at once: the first client
   * exports its snapshot, and a statement issued while every open client is busy opens another
   * (up to `SNAPSHOT_CLIENTS`) that imports it, so all see the same committed data. The statement
   * takes whichever comes first, that client or one of the transaction's own freed, so
   * transactions waiting on a full pool still finish on what they hold. One client ran the
   * funnel's five statements in 117 ms p50, five in 69 (100k leads, 1M events).
   */
  const snapshotOnce = async <T>(fn: (tx: Queryable) => Promise<T>): Promise<T> => {
    const clients: pg.PoolClient[] = [];
    const idle: pg.PoolClient[] = [];
    const waiting: { resolve: (c: pg.PoolClient) => void; reject: (e: Error) => void }[] = [];
    let opened = 0;
    let finished = false;
    let broken = false;
    const onError = () => {
      broken = true;
    };
    const release = (c: pg.PoolClient) => {
      const next = waiting.shift();
      if (next) next.resolve(c);
      else idle.push(c);
    };
    /** A client in the snapshot, or undefined when the transaction ended while it opened. */
    const open = async (setup: (c: pg.PoolClient) => Promise<unknown>) => {
      opened++;
      const client = await pool.connect();
      try {
        await client.query('begin');
        await client.query(READ_SNAPSHOT);
        await setup(client);
        if (finished) await client.query('rollback');
      } catch (err) {
        client.release(true);
        throw err;
      }
      if (finished) return void client.release();
      client.on('error', onError);
      clients.push(client);
      return client;
    };
    const end = (sql: 'commit' | 'rollback') => {
      finished = true;
      // A statement still waiting for a client (the transaction failed first) never runs: after
      // the rollback it would run outside the snapshot, on a client back in the pool.
      for (const w of waiting.splice(0)) w.reject(new Error('The snapshot transaction ended'));
      return Promise.all(
        clients.map((c) =>
          c.query(sql).catch((err: unknown) => {
            broken = true;
            if (sql === 'commit') throw err;
          }),
        ),
      );
    };
    try {
      let id = '';
      const first = await open(async (c) => {
        id = (await c.query<{ id: string }>('select pg_export_snapshot() as id')).rows[0]!.id;
      });
      idle.push(first!);
      // The id is the server's own (`00000003-0000001B-1`); SET takes no parameter.
      const imported = (c: pg.PoolClient) =>
        c.query(`set transaction snapshot '${id.replace(/'/g, '')}'`);
      const acquire = () =>
        idle.pop() ??
        new Promise<pg.PoolClient>((resolve, reject) => {
          waiting.push({ resolve, reject });
          // Failing to open one more (a full pool timing out) only leaves the work to the others.
          if (opened < SNAPSHOT_CLIENTS)
            open(imported).then(
              (c) => c && release(c),
              () => {},
            );
        });
      const out = await fn({
        async query(sql, params) {
          if (finished) throw new Error('The snapshot transaction ended');
          const c = await acquire();
          try {
            return await run(c, sql, params);
          } finally {
            release(c);
          }
        },
      });
      await end('commit');
      return out;
    } catch (err) {
      await end('rollback');
      throw err;
    } finally {
      for (const c of clients) {
        c.off('error', onError);
        c.release(broken);
      }
    }
  };
  return {
    kind: 'postgres',
    query: (sql, params) => run(pool, sql, params),
    transaction: (fn, opts) => runTransaction(opts?.snapshot ? snapshotOnce : once, fn, opts),
    ping(timeoutMs = PING_TIMEOUT_MS) {
      // One probe at a time, shared by concurrent checks (several load balancers, a check every
      // second): a silent server costs at most one pool client, not one per check.
      probe ??= pool
        // `query_timeout` (pg reads it per query too): a query sent to a server that went silent
        // — packets dropped, no RST — would wait for TCP to give up (~15 min on Linux), holding its
        // client. Timed out, pg-pool gets the client back with the error and destroys it. A
        // connection not yet up is bounded by `connectionTimeoutMillis` instead.
        .query({ text: 'select 1', query_timeout: timeoutMs } as pg.QueryConfig)
        .then(
          () => true,
          () => false,
        )
        .finally(() => {
          probe = undefined;
        });
      return within(probe, timeoutMs, false);
    },
    // Once: a second `pool.end()` rejects, and shutdown may get here from two paths.
    close: () => (ending ??= pool.end()),
  };
}
