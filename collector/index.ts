/** Wires the real parts together: store, committer, pipeline. Used by the server and by tests. */
import type { Config, Deps, Log } from './deps.ts';
import { jsonLog } from './deps.ts';
import { Metrics } from './http/metrics.ts';
import { defaultProcessors } from './pipeline.ts';
import { type GroupCommitObserver, GroupCommitter, type Store } from './store/index.ts';

export { createApp } from './app.ts';
export type { Config, Deps, Env, Log } from './deps.ts';
export { type Counter, type Histogram, Metrics } from './http/metrics.ts';

/**
 * Deps for a store with the default pipeline.
 *
 * @example const app = createApp(buildDeps(await openStore({}), { config }));
 */
export function buildDeps(
  store: Store,
  opts: { config: Config; log?: Log; clock?: () => Date },
): Deps {
  const metrics = new Metrics();
  metrics.gauge('touchpoint_store_info', 'The store driver in use').set({ kind: store.kind }, 1);
  return {
    store,
    clock: opts.clock ?? (() => new Date()),
    config: opts.config,
    log: opts.log ?? jsonLog,
    committer: new GroupCommitter(store, { observer: commitObserver(metrics) }),
    metrics,
    processors: defaultProcessors(),
  };
}

/** Group-commit transactions, their size and duration, as metrics. */
function commitObserver(metrics: Metrics): GroupCommitObserver {
  const tx = metrics.counter(
    'touchpoint_group_commit_transactions_total',
    'Group-commit transactions by outcome (committed, failed, retried)',
  );
  const units = metrics.histogram(
    'touchpoint_group_commit_batch_units',
    'Requests (units of work) sharing one committed transaction',
    [1, 2, 4, 8, 16, 32, 64, 128, 256],
  );
  const ms = metrics.histogram(
    'touchpoint_group_commit_duration_ms',
    'Time from BEGIN to COMMIT of a group-commit transaction',
  );
  return {
    committed(n, took) {
      tx.inc({ outcome: 'committed' });
      units.observe(n);
      ms.observe(took);
    },
    failed: () => tx.inc({ outcome: 'failed' }),
    retried: () => tx.inc({ outcome: 'retried' }),
  };
}
