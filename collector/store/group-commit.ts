/**
 * Group commit: work from concurrent requests shares one transaction, and each request is
 * answered after that transaction commits. One commit (one fsync) then serves many requests.
 */
import { isRetryable } from './errors.ts';
import type { Queryable, Store } from './types.ts';

// Taken at load: a test that fakes timers later must not stall every commit.
const nextTurn = globalThis.setImmediate;

/** One request's share of a group transaction. It must be safe to run again (after a deadlock). */
export type Work<T> = (tx: Queryable) => Promise<T>;

/**
 * A first step that many units share: called once per transaction with every unit's input, it
 * returns one result per input, in order. N requests' inserts become one statement, which on
 * PGlite costs about a tenth per row of N one-row statements.
 */
export type Combiner<I, R> = (tx: Queryable, inputs: I[]) => Promise<R[]>;

/** Work whose first step is combined with other units': `combiner` once, then `work` per unit. */
export interface CombinedWork<I, R, T> {
  combiner: Combiner<I, R>;
  input: I;
  work: (tx: Queryable, combined: R) => Promise<T>;
}

interface Pending {
  work: (tx: Queryable, combined: unknown) => Promise<unknown>;
  combiner?: Combiner<unknown, unknown>;
  input?: unknown;
  resolve: (v: unknown) => void;
  reject: (e: unknown) => void;
}

export interface GroupCommitOptions {
  /** Most units of work in one transaction. */
  maxBatch?: number;
  /** Transactions in flight at once (PGlite runs one at a time anyway). */
  concurrency?: number;
  /** Told about every transaction (metrics); must not throw. */
  observer?: GroupCommitObserver;
}

/** What a group transaction did: how many units it carried and how long it took. */
export interface GroupCommitObserver {
  committed(units: number, ms: number): void;
  failed(units: number): void;
  retried(units: number): void;
}

/**
 * Batches work into shared transactions. Work is flushed on the next turn of the event loop, and
 * while a transaction is in flight new work waits and is flushed together as soon as a slot
 * frees, so an idle collector adds no measurable delay and a busy one commits many requests at
 * once.
 *
 * A unit that throws is rolled back alone and its caller gets the error; the others still commit
 * (the batch is then re-run with a savepoint per unit). If the commit itself fails, every caller gets the error —
 * nobody is told "accepted" for work that was not committed.
 *
 * @example const result = await committer.run((tx) => insertEvents(tx, batch));
 */
export class GroupCommitter {
  private queue: Pending[] = [];
  private inFlight = 0;
  private readonly maxBatch: number;
  private readonly concurrency: number;
  private readonly observer?: GroupCommitObserver;
  private idle: (() => void)[] = [];
  private scheduled = false;

  constructor(
    private readonly store: Store,
    opts: GroupCommitOptions = {},
  ) {
    this.maxBatch = opts.maxBatch ?? 256;
    this.concurrency = opts.concurrency ?? (store.kind === 'pglite' ? 1 : 4);
    this.observer = opts.observer;
  }

  run<T>(work: Work<T>): Promise<T> {
    return this.enqueue({ work });
  }

  /**
   * Like `run`, with a first step combined across the units of the transaction.
   *
   * @example committer.runCombined({ combiner: insertEventsMany, input, work: (tx, res) => … })
   */
  runCombined<I, R, T>(c: CombinedWork<I, R, T>): Promise<T> {
    return this.enqueue({
      work: c.work as Pending['work'],
      combiner: c.combiner as Combiner<unknown, unknown>,
      input: c.input,
    });
  }

  private enqueue<T>(p: Omit<Pending, 'resolve' | 'reject'>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ ...p, resolve: resolve as (v: unknown) => void, reject });
      this.schedule();
    });
  }

  /** Units waiting for a transaction, and transactions running now (`/metrics`). */
  depth(): { queued: number; inFlight: number } {
    return { queued: this.queue.length, inFlight: this.inFlight };
  }

  /** Resolves when nothing is queued or in flight (graceful shutdown). */
  drain(): Promise<void> {
    if (this.queue.length === 0 && this.inFlight === 0) return Promise.resolve();
    return new Promise((r) => this.idle.push(r));
  }

  /**
   * Flushes on the next turn of the event loop, so requests parsed in the same turn share the
   * transaction: flushing at once would start it with the first request of the turn alone.
   */
  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    nextTurn(() => {
      this.scheduled = false;
      this.pump();
    });
  }

  private pump(): void {
    while (this.inFlight < this.concurrency && this.queue.length > 0) {
      const batch = this.queue.splice(0, this.maxBatch);
      this.inFlight++;
      void this.flush(batch).finally(() => {
        this.inFlight--;
        if (this.queue.length > 0) this.schedule();
        else if (this.inFlight === 0) for (const r of this.idle.splice(0)) r();
      });
    }
  }

  private async flush(batch: Pending[]): Promise<void> {
    // First try without savepoints (each costs two statements and a subtransaction per unit):
    // units rarely fail, since requests are validated before they get here. When one does, the
    // transaction is rolled back and run again with every unit in its own savepoint.
    let isolate = false;
    for (let retries = 0; ; ) {
      const start = performance.now();
      try {
        // The store's own retry stays off: this loop retries (and may isolate the units) itself.
        const outcomes = await this.store.transaction(
          (tx) => (isolate || batch.length === 1 ? runIsolated(tx, batch) : runTogether(tx, batch)),
          { retry: false },
        );
        this.observer?.committed(batch.length, performance.now() - start);
        batch.forEach((p, i) => {
          const o = outcomes[i]!;
          if (o.ok) p.resolve(o.value);
          else p.reject(o.error);
        });
        return;
      } catch (err) {
        if (err instanceof UnitFailed) {
          this.observer?.retried(batch.length);
          isolate = true;
          continue;
        }
        if (isRetryable(err) && retries++ < 3) {
          this.observer?.retried(batch.length);
          continue;
        }
        this.observer?.failed(batch.length);
        for (const p of batch) p.reject(err);
        return;
      }
    }
  }
}

/** A unit of a shared transaction failed: roll back and isolate the units. */
class UnitFailed extends Error {}

async function runTogether(tx: Queryable, batch: Pending[]): Promise<Outcome[]> {
  const combined: unknown[] = new Array(batch.length);
  const groups = new Map<Combiner<unknown, unknown>, number[]>();
  for (const [i, p] of batch.entries()) {
    if (!p.combiner) continue;
    const g = groups.get(p.combiner);
    if (g) g.push(i);
    else groups.set(p.combiner, [i]);
  }
  for (const [combiner, members] of groups) {
    const o = await settle(
      combiner(
        tx,
        members.map((i) => batch[i]!.input),
      ),
    );
    // Not attributable to one unit: isolate them all, each then runs its own step.
    if (!o.ok) throw isRetryable(o.error) ? o.error : new UnitFailed();
    const results = o.value as unknown[];
    for (const [k, i] of members.entries()) combined[i] = results[k];
  }
  const out: Outcome[] = [];
  for (const [i, p] of batch.entries()) {
    const o = await settle(p.work(tx, combined[i]));
    if (!o.ok) throw isRetryable(o.error) ? o.error : new UnitFailed();
    out.push(o);
  }
  return out;
}

/** One unit on its own: its combined step with itself alone, then its work. */
async function runOne(tx: Queryable, p: Pending): Promise<unknown> {
  const combined = p.combiner ? (await p.combiner(tx, [p.input]))[0] : undefined;
  return p.work(tx, combined);
}

async function runIsolated(tx: Queryable, batch: Pending[]): Promise<Outcome[]> {
  // A lone unit needs no savepoint: its failure rolls back the whole transaction.
  if (batch.length === 1) return [{ ok: true, value: await runOne(tx, batch[0]!) }];
  const out: Outcome[] = [];
  for (const p of batch) {
    await tx.query('savepoint unit');
    const o = await settle(runOne(tx, p));
    if (o.ok) await tx.query('release savepoint unit');
    else {
      if (isRetryable(o.error)) throw o.error;
      await tx.query('rollback to savepoint unit');
    }
    out.push(o);
  }
  return out;
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

async function settle(p: Promise<unknown>): Promise<Outcome> {
  try {
    return { ok: true, value: await p };
  } catch (error) {
    return { ok: false, error };
  }
}
