/** Classifying database errors: unavailable (answer 503) or retryable (run the transaction again). */

/** True for errors that mean "the database is not reachable right now" (answer 503, retry later). */
export function isUnavailable(err: unknown): boolean {
  const e = err as { code?: string; message?: string } | undefined;
  if (!e) return false;
  if (e.code && /^(08|57P0|53)/.test(e.code)) return true;
  if (e.code && ['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT'].includes(e.code)) return true;
  // Messages the pg driver raises without a code when the server goes away mid-query (seen when
  // PostgreSQL is stopped under load: test/security/pg-restart.test.ts).
  return /Connection terminated|connection timeout|timeout exceeded when trying to connect|not queryable|Client was closed|PGlite is closed|Cannot use a pool after calling end/i.test(
    e.message ?? '',
  );
}

/** True for errors that a retry of the same transaction may cure (deadlock, serialization). */
export function isRetryable(err: unknown): boolean {
  const code = (err as { code?: string } | undefined)?.code;
  return code === '40P01' || code === '40001';
}
