/**
 * The PGlite thread: owns the embedded database and runs the SQL that `pglite.ts` sends it, so the
 * collector's own thread keeps reading and answering requests while PostgreSQL (WASM) works.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { PGlite, type Transaction } from '@electric-sql/pglite';

/** A request that gets a reply. `tx` names a transaction opened by a `begin` of that number. */
export type Call =
  | { op: 'query'; sql: string; params?: unknown[]; tx?: number }
  | { op: 'end'; tx: number; commit: boolean }
  | { op: 'close' };

/** Main thread → worker: a call with its reply's `id`, or a `begin` (answered by its queries). */
export type Request = (Call & { id: number }) | { op: 'begin'; tx: number };

/** Worker → main thread: the answer to request `id`, or (id 0) the outcome of opening PGlite. */
export type Reply =
  | { id: number; ok: true; rows?: unknown[]; rowCount?: number }
  | { id: number; ok: false; error: ErrorFields };

/**
 * An error as plain fields: structured clone keeps only an Error's message and stack, and the
 * code reads `code` (SQLSTATE), `constraint`, `detail`… (store/errors.ts, tests' `23505` checks).
 */
export interface ErrorFields {
  name: string;
  message: string;
  stack?: string;
  [field: string]: string | number | boolean | undefined;
}

/** Copies an error's primitive own fields (pg-protocol's DatabaseError keeps them all as such). */
function fields(err: unknown): ErrorFields {
  if (!(err instanceof Error)) return { name: 'Error', message: String(err) };
  const out: ErrorFields = { name: err.name, message: err.message, stack: err.stack };
  for (const [k, v] of Object.entries(err)) {
    if (v === null || ['string', 'number', 'boolean'].includes(typeof v)) out[k] = v ?? undefined;
  }
  return out;
}

/** Thrown inside PGlite's transaction callback to make it roll back; never reaches the caller. */
const ROLLBACK = Symbol('rollback');

/** A transaction held open between `begin` and `end` messages (PGlite's own, so its lock holds). */
interface Session {
  ready: Promise<Transaction>;
  end: (commit: boolean) => void;
  done: Promise<void>;
}

const port = parentPort!;
const reply = (r: Reply) => port.postMessage(r);
const sessions = new Map<number, Session>();

let db: PGlite;
try {
  db = await PGlite.create(workerData.dataDir as string | undefined);
  reply({ id: 0, ok: true });
} catch (err) {
  reply({ id: 0, ok: false, error: fields(err) });
  process.exit(1);
}

/**
 * Opens a transaction at once (no reply): its queries follow in the same message order and wait
 * for `ready`. Outside queries wait too, on PGlite's transaction lock, as they do in one thread.
 */
function begin(txId: number): void {
  let open!: (tx: Transaction) => void;
  let fail!: (e: unknown) => void;
  const ready = new Promise<Transaction>((res, rej) => {
    open = res;
    fail = rej;
  });
  let end!: (commit: boolean) => void;
  const ended = new Promise<boolean>((res) => {
    end = res;
  });
  const done = db
    .transaction(async (tx) => {
      open(tx);
      if (!(await ended)) throw ROLLBACK;
    })
    .catch((e: unknown) => {
      fail(e); // BEGIN failed: the queries waiting on `ready` get its error
      if (e !== ROLLBACK) throw e;
    });
  // Handled by `end` (or never awaited when the main thread gave up); not an unhandled rejection.
  ready.catch(() => {});
  done.catch(() => {});
  sessions.set(txId, { ready, end, done });
}

async function query(m: Extract<Request, { op: 'query' }>): Promise<Reply> {
  let on: Pick<PGlite, 'query'> = db;
  if (m.tx !== undefined) {
    const s = sessions.get(m.tx);
    if (!s) throw new Error('Transaction is closed');
    on = await s.ready;
  }
  const res = await on.query(m.sql, m.params);
  // Like node-postgres: a SELECT's row count is its rows (PGlite reports 0 affected rows).
  return { id: m.id, ok: true, rows: res.rows, rowCount: res.affectedRows || res.rows.length };
}

async function handle(m: Request): Promise<Reply | undefined> {
  switch (m.op) {
    case 'begin':
      begin(m.tx);
      return;
    case 'query':
      return query(m);
    case 'end': {
      const s = sessions.get(m.tx);
      sessions.delete(m.tx);
      if (!s) throw new Error('Transaction is closed');
      s.end(m.commit);
      await s.done;
      return { id: m.id, ok: true };
    }
    case 'close':
      await db.close();
      return { id: m.id, ok: true };
  }
}

port.on('message', (m: Request) => {
  handle(m).then(
    (r) => r && reply(r),
    (err: unknown) => 'id' in m && reply({ id: m.id, ok: false, error: fields(err) }),
  );
});
