/** Wires the real parts together: store, committer, pipeline. Used by the server and by tests. */

import type { Config, Deps, Log } from './deps.ts';
import { jsonLog } from './deps.ts';
import { Metrics } from './http/metrics.ts';
import { registerIngestCounters } from './ingest/counters.ts';
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
  registerIngestCounters(metrics);
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

/** How often the event-loop delay is sampled, ms. */
const LOOP_RESOLUTION_MS = 20;

/**
 * Event-loop delays (ms) since the last scrape, one per sample: how late a 20 ms timer fired.
 * Measured by our own timer, not `monitorEventLoopDelay`: on Node 20 its histogram did not see a
 * 300 ms block at all, read 20 ms on an idle loop, and answered a p99 above its maximum for an
 * empty window. One sampler per process, whatever the number of apps in it (tests).
 */
let loopDelays: number[] | undefined;

function sampleLoopDelay(): number[] {
  if (!loopDelays) {
    const delays: number[] = [];
    loopDelays = delays;
    let last = performance.now();
    setInterval(() => {
      const now = performance.now();
      // Bounded: a process nobody scrapes keeps at most its last 10 minutes of samples.
      if (delays.length >= 30_000) delays.splice(0, 15_000);
      delays.push(Math.max(0, now - last - LOOP_RESOLUTION_MS));
      last = now;
    }, LOOP_RESOLUTION_MS).unref();
  }
  return loopDelays;
}

/** Start time, resident memory and event-loop delay of the process. */
function sampleProcess(metrics: Metrics): void {
  const delays = sampleLoopDelay();
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
    const sorted = delays.splice(0).sort((a, b) => a - b);
    const at = (q: number) => sorted[Math.ceil(q * sorted.length) - 1] ?? 0;
    lag.set({ quantile: '0.99' }, Math.round(at(0.99) * 10) / 10);
    lag.set({ quantile: '1' }, Math.round(at(1) * 10) / 10);
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
