/** Front door of the store: open the configured database and bring its schema up to date. */
import { migrate } from './migrate.ts';
import { openPGlite } from './pglite.ts';
import { openPostgres } from './postgres.ts';
import type { Store } from './types.ts';

export { DataDirLocked, lockDataDir } from './dir-lock.ts';
export { isRetryable, isUnavailable } from './errors.ts';
export { exclusively } from './exclusive.ts';
export {
  type CombinedWork,
  type Combiner,
  type GroupCommitObserver,
  GroupCommitter,
  type Work,
} from './group-commit.ts';
export { migrate } from './migrate.ts';
export { openPGlite } from './pglite.ts';
export { openPostgres } from './postgres.ts';
export { retryDelayMs, retrying, TRANSACTION_ATTEMPTS } from './retry.ts';
export type { Queryable, QueryResult, Store, TransactionOptions } from './types.ts';
export { PING_TIMEOUT_MS } from './within.ts';

/**
 * PostgreSQL when `databaseUrl` is set, otherwise PGlite in `dataDir`; migrated either way.
 *
 * @example const store = await openStore({ dataDir: '.touchpoint' });
 */
export async function openStore(opts: { databaseUrl?: string; dataDir?: string }): Promise<Store> {
  const store = opts.databaseUrl ? openPostgres(opts.databaseUrl) : await openPGlite(opts.dataDir);
  await migrate(store);
  return store;
}
