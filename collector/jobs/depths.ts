/**
 * How much background work is waiting, for `/metrics`: webhook events not yet fanned out,
 * deliveries not yet delivered, rescoring jobs running. Read from the database, so every
 * replica reports the same numbers (alert on `max`, not `sum`, across replicas).
 */
import type { Metrics } from '../http/metrics.ts';
import type { Store } from '../store/index.ts';

/**
 * Sets the queue-depth gauges on every scrape. Each count reads a partial index (the rows
 * still to do), so it stays cheap however long the history. When the store does not answer,
 * the gauges are left out of that scrape instead of repeating old values.
 *
 * @example sampleQueueDepths(deps.metrics, deps.store);
 */
export function sampleQueueDepths(metrics: Metrics, store: Store): void {
  const webhooks = metrics.gauge(
    'touchpoint_webhook_queue',
    'Webhook work waiting: events to fan out (stage="fanout"), deliveries to send or retry (stage="pending")',
  );
  const rescoring = metrics.gauge(
    'touchpoint_rescore_jobs_running',
    'Rescoring jobs not finished, and their leads left to rescore (unit="leads")',
  );
  metrics.onScrape(async () => {
    webhooks.clear();
    rescoring.clear();
    const { rows } = await store.query<{
      fanout: number;
      pending: number;
      jobs: number;
      leads: number;
    }>(
      `select (select count(*)::int from webhook_events where fanned_out_at is null) as fanout,
              (select count(*)::int from webhook_deliveries where status = 'pending') as pending,
              (select count(*)::int from scoring_jobs where status = 'running') as jobs,
              (select coalesce(sum(total - done), 0)::int from scoring_jobs where status = 'running') as leads`,
    );
    const r = rows[0]!;
    webhooks.set({ stage: 'fanout' }, r.fanout);
    webhooks.set({ stage: 'pending' }, r.pending);
    rescoring.set({ unit: 'jobs' }, r.jobs);
    rescoring.set({ unit: 'leads' }, r.leads);
  });
}
