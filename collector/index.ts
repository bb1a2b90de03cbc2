/** Wires the real parts together: store, committer, pipeline. Used by the server and by tests. */

import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { Config, Deps, Log } from './deps.ts';
import { jsonLog } from './deps.ts';
import { Metrics } from './http/metrics.ts';
import { sampleQueueDepths } from './jobs/depths.ts';
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
  // Shown at 0 from the start: a rate() or an alert on them works before the first event.
  for (const trusted of [false, true]) {
    metrics
      .counter('touchpoint_events_accepted_total', 'Events stored (or dropped by bot policy)')
      .inc({ trusted }, 0);
    metrics
      .counter('touchpoint_events_duplicate_total', 'Replayed events counted once')
      .inc({ trusted }, 0);
  }
  const committer = new GroupCommitter(store, { observer: commitObserver(metrics) });
  sampleCommitter(metrics, committer);
  sampleProcess(metrics);
  sampleQueueDepths(metrics, store);
  return {
    store,
    clock: opts.clock ?? (() => new Date()),
    config: opts.config,
    log: opts.log ?? jsonLog,
    committer,
    metrics,
    processors: defaultProcessors(),
  };
}

/** Requests waiting for a group transaction and transactions running, at each scrape. */
function sampleCommitter(metrics: Metrics, committer: GroupCommitter): void {
  const queue = metrics.gauge(
    'touchpoint_group_commit_queue',
    'Requests waiting for a group-commit transaction (state="queued"), transactions running (state="in_flight")',
  );
  metrics.onScrape(() => {
    const d = committer.depth();
    queue.set({ state: 'queued' }, d.queued);
    queue.set({ state: 'in_flight' }, d.inFlight);
  });
}

/** One event-loop delay monitor per process, whatever the number of apps in it (tests). */
let loopDelay: ReturnType<typeof monitorEventLoopDelay> | undefined;

/** Start time, resident memory and event-loop delay of the process. */
function sampleProcess(metrics: Metrics): void {
  if (!loopDelay) {
    loopDelay = monitorEventLoopDelay({ resolution: 20 });
    loopDelay.enable();
  }
  const delay = loopDelay;
  metrics
    .gauge('touchpoint_process_start_time_seconds', 'When the process started (Unix seconds)')
    .set(undefined, Math.round(Date.now() / 1000 - process.uptime()));
  const rss = metrics.gauge('touchpoint_process_resident_memory_bytes', 'Resident memory');
  const lag = metrics.gauge(
    'touchpoint_event_loop_delay_ms',
    'Event-loop delay since the previous scrape (quantile="0.99" and "1" for the maximum)',
  );
  metrics.onScrape(() => {
    rss.set(undefined, process.memoryUsage.rss());
    lag.set({ quantile: '0.99' }, delay.percentile(99) / 1e6);
    lag.set({ quantile: '1' }, delay.max / 1e6);
    delay.reset();
  });
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
