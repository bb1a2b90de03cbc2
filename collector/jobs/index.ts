/**
 * Background workers: webhook fan-out and delivery, rescoring. A small loop per process; every
 * tick claims its work with `FOR UPDATE SKIP LOCKED`, so N collector processes share it safely.
 */
import type { Log } from '../deps.ts';
import { decayRefresher } from '../scoring/index.ts';
import type { Store } from '../store/index.ts';
import { type DeliverOptions, deliverDue, drainDeliveries, fanOut } from '../webhooks/deliver.ts';
import { rescoreStep } from './rescore.ts';

export { sampleQueueDepths } from './depths.ts';
export { createRescoreJob, type JobStatus, jobStatus, rescoreStep } from './rescore.ts';

export interface Workers {
  /** Runs one round of every worker now (tests call it instead of waiting). */
  tick(): Promise<void>;
  /** Stops the loop and waits for a running tick to finish. */
  stop(): Promise<void>;
}

/** Most batches one worker runs per tick, so one busy job cannot starve the others. */
const ROUNDS = 20;

/**
 * Starts the loop (`intervalMs` between ticks; 0 = no loop, only manual `tick()`).
 *
 * @example const workers = startWorkers({ store, clock: () => new Date(), log }); await workers.stop();
 */
export function startWorkers(
  deps: { store: Store; clock: () => Date; log: Log },
  opts: { intervalMs?: number; deliver?: DeliverOptions } = {},
): Workers {
  const intervalMs = opts.intervalMs ?? 1_000;
  let running: Promise<void> | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;

  // Set when a worker used all its rounds: work is waiting, so the next tick starts at once
  // instead of after `intervalMs` (100k leads to rescore spent 25 s idle between ticks).
  let busy = false;
  const decay = decayRefresher();
  const guarded = async (name: string, step: () => Promise<number>) => {
    try {
      let i = 0;
      while (i < ROUNDS && (await step()) > 0) i++;
      if (i === ROUNDS) busy = true;
    } catch (err) {
      deps.log.warn('background worker failed', { worker: name, error: String(err) });
    }
  };

  const tick = (): Promise<void> => {
    running ??= (async () => {
      busy = false;
      await guarded('webhook-fanout', () => fanOut(deps.store, deps.clock()));
      await guarded('webhook-delivery', () => deliverDue(deps.store, deps.clock(), opts.deliver));
      await guarded('rescore', () => rescoreStep(deps.store, deps.clock()));
      await guarded('score-decay', () => decay(deps.store, deps.clock()));
    })().finally(() => {
      running = null;
    });
    return running;
  };

  const loop = () => {
    if (stopped) return;
    timer = setTimeout(
      () => {
        void tick().finally(loop);
      },
      busy ? 0 : intervalMs,
    );
    timer.unref?.();
  };
  if (intervalMs > 0) loop();

  return {
    tick,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
      // Webhook requests still in flight record their outcome (at most the 10 s request
      // timeout): closing the store under them would have the receiver called again later.
      await drainDeliveries();
    },
  };
}
