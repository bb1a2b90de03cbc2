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
  /** Runs `fn` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /**
   * True when the database answers `select 1` within `timeoutMs` (default 1 s); false otherwise,
   * and never later than that: `/readyz` must answer before a load balancer's check times out.
   */
  ping(timeoutMs?: number): Promise<boolean>;
  close(): Promise<void>;
}
