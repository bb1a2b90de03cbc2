/** The ingest counters of `/metrics`, named and described once for where they count and start-up. */
import type { Counter, Metrics } from '../http/metrics.ts';

const COUNTERS = {
  accepted: ['touchpoint_events_accepted_total', 'Events stored (or dropped by bot policy)'],
  duplicate: ['touchpoint_events_duplicate_total', 'Replayed events counted once'],
  repaired: [
    'touchpoint_events_repaired_total',
    'Events stored with lone surrogates or NUL replaced by U+FFFD (or a leading U+FEFF removed)',
  ],
  truncated: [
    'touchpoint_events_truncated_total',
    'Events stored with over-long values cut to their limit',
  ],
} as const;

/**
 * One ingest counter of `metrics`.
 *
 * @example ingestCounter(deps.metrics, 'accepted').inc({ trusted: false }, 3);
 */
export const ingestCounter = (metrics: Metrics, which: keyof typeof COUNTERS): Counter => {
  const [name, help] = COUNTERS[which];
  return metrics.counter(name, help);
};

/**
 * Every ingest counter shown at 0 from the start, with the labels it counts with: a `rate()` or
 * an alert on one works before its first event (a cut or repaired value can be weeks away).
 */
export function registerIngestCounters(metrics: Metrics): void {
  for (const trusted of [false, true])
    for (const which of ['accepted', 'duplicate', 'repaired'] as const)
      ingestCounter(metrics, which).inc({ trusted }, 0);
  ingestCounter(metrics, 'truncated').inc({}, 0);
}
