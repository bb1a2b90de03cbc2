/**
 * The embedded store: PostgreSQL compiled to WASM, data in a folder, run in a worker thread.
 *
 * PGlite computes synchronously: on the collector's thread, no request is read or answered while
 * a group transaction runs. In a worker only the messages cross threads (rows are parsed there;
 * Dates, numbers and jsonb objects survive structured clone) and the HTTP side keeps running:
 * open-loop p99 at 2,000 req/s on a loaded machine 244 → 55 ms, for a round trip per statement
 * (closed-loop throughput −6 to −13 %; README, Performance).
 */
import { Worker } from 'node:worker_threads';
import { lockDataDir } from './dir-lock.ts';
import type { Call, ErrorFields, Reply, Request } from './pglite-worker.ts';
import { READ_SNAPSHOT, runTransaction } from './retry.ts';
import type { Queryable, QueryResult, Store } from './types.ts';
import { PING_TIMEOUT_MS, within } from './within.ts';

// The worker is TypeScript like the rest of the collector. On Node 20 neither a .ts worker entry
// nor `--import tsx` in a worker's flags works (tsx registers its hooks on the main thread only,
// tsx#354), and under vitest the main thread has no tsx either: a one-line eval'd entry loads
// the worker through tsx's tsImport, which works in all three cases.
const tsxApi = JSON.stringify(import.meta.resolve('tsx/esm/api'));
const entry = JSON.stringify(new URL('./pglite-worker.ts', import.meta.url).href);
const boot = `import(${tsxApi}).then((tsx) => tsx.tsImport(${entry}, ${entry}))`;

/** An Error with the fields the worker sent (`code`, `detail`, `constraint`, `severity`…). */
function rebuild(f: ErrorFields): Error {
  const { name, message, stack, ...rest } = f;
  const err = Object.assign(new Error(message), rest);
  err.name = name;
  if (stack) err.stack = stack;
  return err;
}

/** SQLSTATE 08006 (connection failure): isUnavailable, so requests get 503, not a hang. */
const gone = (why: string) =>
  Object.assign(new Error(`PGlite worker stopped: ${why}`), { code: '08006' });

/**
 * Opens PGlite in `dataDir` (created when missing, private to this user), or in memory when
 * `dataDir` is undefined. One process at a time per folder: a second one gets
 * `DataDirLocked` (dir-lock.ts) instead of two databases writing the same files.
 *
 * @example const store = await openPGlite('.touchpoint');
 */
export async function openPGlite(dataDir?: string): Promise<Store> {
  const release = dataDir ? lockDataDir(dataDir) : () => {};
  try {
    return await start(dataDir, release);
  } catch (err) {
    release();
    throw err;
  }
}

async function start(dataDir: string | undefined, release: () => void): Promise<Store> {
  const worker = new Worker(boot, { eval: true, workerData: { dataDir } });
  const waiting = new Map<number, { resolve: (r: Reply) => void; reject: (e: Error) => void }>();
  let nextId = 1;
  let nextTx = 1;
  let closed = false;
  let dead: Error | undefined;

  // Like the in-process PGlite, an idle store does not keep the process alive; a query does.
  const settle = (id: number) => {
    const w = waiting.get(id);
    waiting.delete(id);
    if (waiting.size === 0) worker.unref();
    return w;
  };
  const opened = new Promise<void>((resolve, reject) => {
    waiting.set(0, {
      resolve: (r) => (r.ok ? resolve() : reject(rebuild(r.error))),
      reject,
    });
  });
  worker.on('message', (r: Reply) => settle(r.id)?.resolve(r));
  const die = (err: Error) => {
    dead ??= err;
    for (const id of [...waiting.keys()]) settle(id)?.reject(dead);
  };
  worker.on('error', (e) => die(gone(e.message)));
  worker.on('exit', (code) => die(closed ? closedError() : gone(`exit code ${code}`)));
  await opened;

  const send = (m: Request) => {
    if (dead) throw dead;
    if (closed) throw closedError();
    worker.postMessage(m);
  };
  const call = (m: Call): Promise<Reply> =>
    new Promise((resolve, reject) => {
      const id = nextId++;
      try {
        send({ ...m, id });
      } catch (e) {
        return reject(e); // closed, dead, or a parameter structured clone cannot copy
      }
      if (waiting.size === 0) worker.ref();
      waiting.set(id, { resolve: (r) => (r.ok ? resolve(r) : reject(rebuild(r.error))), reject });
    });
  const run = async <R>(sql: string, params?: unknown[], tx?: number) => {
    const r = (await call({ op: 'query', sql, params, tx })) as Extract<Reply, { ok: true }>;
    return { rows: r.rows, rowCount: r.rowCount } as QueryResult<R>;
  };

  /**
   * One run of a transaction. BEGIN is sent without waiting for an answer; the worker runs it
   * before the queries that follow it. Other queries wait for COMMIT or ROLLBACK on PGlite's
   * lock, as in one thread; savepoints (group-commit's per-unit retry) are plain queries inside.
   */
  const once = async <T>(fn: (tx: Queryable) => Promise<T>): Promise<T> => {
    const tx = nextTx++;
    send({ op: 'begin', tx });
    let out: T;
    try {
      out = await fn({ query: (sql, params) => run(sql, params, tx) } satisfies Queryable);
    } catch (err) {
      await call({ op: 'end', tx, commit: false }).catch(() => {});
      throw err;
    }
    await call({ op: 'end', tx, commit: true });
    return out;
  };

  return {
    kind: 'pglite',
    query: (sql, params) => run(sql, params),
    // One transaction runs at a time here, so none deadlocks; retried all the same, so a
    // caller sees the same behaviour on both drivers.
    transaction: (fn, opts) =>
      runTransaction(
        once,
        opts?.snapshot
          ? async (tx) => {
              await tx.query(READ_SNAPSHOT);
              return fn(tx);
            }
          : fn,
        opts,
      ),
    async ping(timeoutMs = PING_TIMEOUT_MS) {
      if (closed || dead) return false;
      // Behind a long statement the worker answers late; the late answer just goes unread.
      return within(
        run('select 1').then(() => true),
        timeoutMs,
        false,
      );
    },
    async close() {
      if (closed) return;
      if (!dead) await call({ op: 'close' }).catch(() => {});
      closed = true;
      await worker.terminate();
      release();
    },
  };
}

/** The message store/errors.ts recognises as "unavailable", as PGlite's own after close. */
const closedError = () => new Error('PGlite is closed');
