/**
 * Group commit: work from concurrent requests shares one transaction, and each request is
 * answered after that transaction commits. One commit (one fsync) then serves many requests.
 */
import { isRetryable } from './errors.ts';
import type { Queryable, Store } from './types.ts';

/** One request's share of a group transaction. It must be safe to run again (after a deadlock). */
export type Work<T> = (tx: Queryable) => Promise<T>;

interface Pending {
  work: Work<unknown>;
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
 * Batches work into shared transactions. While a transaction is in flight, new work waits and
 * is flushed together as soon as a slot frees, so an idle collector adds no delay and a busy one
 * commits many requests at once.
 *
 * Each unit runs inside a savepoint: a unit that throws is rolled back alone and its caller gets
 * the error; the others still commit. If the commit itself fails, every caller gets the error —
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

  constructor(
    private readonly store: Store,
    opts: GroupCommitOptions = {},
  ) {
    this.maxBatch = opts.maxBatch ?? 256;
    this.concurrency = opts.concurrency ?? (store.kind === 'pglite' ? 1 : 4);
    this.observer = opts.observer;
  }

  run<T>(work: Work<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ work, resolve: resolve as (v: unknown) => void, reject });
      this.pump();
    });
  }

  /** Resolves when nothing is queued or in flight (graceful shutdown). */
  drain(): Promise<void> {
    if (this.queue.length === 0 && this.inFlight === 0) return Promise.resolve();
    return new Promise((r) => this.idle.push(r));
  }

  private pump(): void {
    while (this.inFlight < this.concurrency && this.queue.length > 0) {
      const batch = this.queue.splice(0, this.maxBatch);
      this.inFlight++;
      void this.flush(batch).finally(() => {
        this.inFlight--;
        if (this.queue.length > 0) this.pump();
        else if (this.inFlight === 0) for (const r of this.idle.splice(0)) r();
      });
    }
  }

  private async flush(batch: Pending[]): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      const start = performance.now();
      try {
        const outcomes = await this.store.transaction(async (tx) => {
          if (batch.length === 1) {
            // A lone unit needs no savepoint: its failure rolls back the whole transaction.
            return [{ ok: true, value: await batch[0]!.work(tx) } as Outcome];
          }
          const out: Outcome[] = [];
          for (const p of batch) {
            await tx.query('savepoint unit');
            const o = await settle(p.work(tx));
            if (o.ok) await tx.query('release savepoint unit');
            else {
              if (isRetryable(o.error)) throw o.error;
              await tx.query('rollback to savepoint unit');
            }
            out.push(o);
          }
          return out;
        });
        this.observer?.committed(batch.length, performance.now() - start);
        batch.forEach((p, i) => {
          const o = outcomes[i]!;
          if (o.ok) p.resolve(o.value);
          else p.reject(o.error);
        });
        return;
      } catch (err) {
        if (isRetryable(err) && attempt < 3) {
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

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

async function settle(p: Promise<unknown>): Promise<Outcome> {
  try {
    return { ok: true, value: await p };
  } catch (error) {
    return { ok: false, error };
  }
}
