/** The one SQL surface every feature writes against; PGlite and PostgreSQL both implement it. */

/** Result of one statement: rows already parsed (int8 as number, jsonb as objects, timestamptz as Date). */
export interface QueryResult<R> {
  rows: R[];
  rowCount: number;
}

/** Anything that runs SQL: the store itself or an open transaction. Parameters are `$1…$n`. */
export interface Queryable {
  query<R = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<QueryResult<R>>;
}

/** How `Store.transaction` runs. */
export interface TransactionOptions {
  /**
   * Run the transaction again from the start when the database aborts it with a deadlock
   * (40P01) or a serialization failure (40001), a few times with a short random delay. Default
   * true. Turn it off where the caller has its own retry policy (group commit) or where `fn`
   * does work outside `tx` that must not run twice.
   */
  retry?: boolean;
  /**
   * Read only, every statement seeing the same snapshot (repeatable read): for a read of several
   * statements that must agree with each other (a report's parts), whatever commits meanwhile.
   */
  snapshot?: boolean;
}

/**
 * A database: the embedded PGlite or a PostgreSQL server, with the same SQL.
 *
 * @example
 * await store.transaction(async (tx) => {
 *   await tx.query('insert into events … on conflict do nothing', [...]);
 * });
 */
export interface Store extends Queryable {
  readonly kind: 'pglite' | 'postgres';
  /**
   * Runs `fn` in one transaction: committed when it resolves, rolled back when it throws. A
   * transaction aborted to break a deadlock or a serialization conflict is run again (see
   * {@link TransactionOptions.retry}): `fn` must act only through `tx` and keep no state of its
   * own across runs (webhooks go through the outbox, in `tx`), so running it twice is harmless.
   */
  transaction<T>(fn: (tx: Queryable) => Promise<T>, opts?: TransactionOptions): Promise<T>;
  /**
   * True when the database answers `select 1` within `timeoutMs` (default 1 s); false otherwise,
   * and never later than that: `/readyz` must answer before a load balancer's check times out.
   */
  ping(timeoutMs?: number): Promise<boolean>;
  close(): Promise<void>;
}
