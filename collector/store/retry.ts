/** Running a transaction again when the database aborted it to break a deadlock or a serialization conflict. */
import { isRetryable } from './errors.ts';
import type { Queryable, TransactionOptions } from './types.ts';

/** Runs of one transaction in all: the first and up to four more. */
export const TRANSACTION_ATTEMPTS = 5;

/**
 * Milliseconds to wait before run `n + 1` after `n` aborted runs: a random 5–25 ms, times `n`.
 * Random, so transactions that deadlocked together do not start again in lockstep and meet in
 * the same cycle; short, since the other side of a deadlock usually commits within milliseconds.
 *
 * @example retryDelayMs(2, () => 0.5) // 30
 */
export function retryDelayMs(n: number, random: () => number = Math.random): number {
  return Math.round((5 + 20 * random()) * n);
}

/**
 * `attempt()`, run again while it fails with a deadlock (40P01) or a serialization failure
 * (40001), up to `attempts` runs in all; any other error, or the last one, is thrown. PostgreSQL
 * rolls such a transaction back whole, so a run from scratch sees what the winner committed.
 *
 * @example await retrying(() => runTransactionOnce(fn));
 */
export async function retrying<T>(
  attempt: () => Promise<T>,
  attempts = TRANSACTION_ATTEMPTS,
  random: () => number = Math.random,
): Promise<T> {
  for (let n = 1; ; n++) {
    try {
      return await attempt();
    } catch (err) {
      if (n >= attempts || !isRetryable(err)) throw err;
      await new Promise((r) => setTimeout(r, retryDelayMs(n, random)));
    }
  }
}

/**
 * How both drivers run `fn` in a transaction, `once` being their single run: unless
 * `retry: false` an aborted run is run again ({@link retrying}).
 *
 * @example transaction: (fn, opts) => runTransaction(once, fn, opts)
 */
export function runTransaction<T>(
  once: (fn: (tx: Queryable) => Promise<T>) => Promise<T>,
  fn: (tx: Queryable) => Promise<T>,
  opts?: TransactionOptions,
): Promise<T> {
  return opts?.retry === false ? once(fn) : retrying(() => once(fn));
}

/** The first statement of a `snapshot` transaction (TransactionOptions.snapshot). */
export const READ_SNAPSHOT = 'set transaction isolation level repeatable read, read only';
