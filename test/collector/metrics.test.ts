/** `/metrics`: Prometheus text a scraper can read, counting what the collector did. */
import { describe, expect, it } from 'vitest';
import { Metrics } from '../../collector/http/metrics.ts';
import { migrate, openPGlite } from '../../collector/store/index.ts';
import { event, harness, ORIGIN } from '../helpers/app.ts';
import { suiteHarness } from '../helpers/fixture.ts';
import { storeCases } from '../helpers/stores.ts';

/** Sample lines as `name{labels}` → value; throws on a line that is not exposition format. */
function parse(text: string): Map<string, number> {
  const samples = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || /^# (HELP|TYPE) [a-zA-Z_:][\w:]* /.test(line)) continue;
    const m = /^([a-zA-Z_:][\w:]*(?:\{(?:[a-zA-Z_]\w*="(?:[^"\\]|\\.)*",?)*\})?) (\S+)$/.exec(line);
    if (!m) throw new Error(`not Prometheus text: ${line}`);
    samples.set(m[1]!, Number(m[2]));
  }
  return samples;
}

describe('Metrics registry', () => {
  it('renders counters with sorted, escaped labels', () => {
    const m = new Metrics();
    const c = m.counter('jobs_total', 'Jobs done');
    c.inc({ kind: 'a', b: 'x"y\\z\nw' });
    c.inc({ b: 'x"y\\z\nw', kind: 'a' }, 2);
    m.counter('jobs_total', 'Jobs done').inc();
    const text = m.render();
    expect(text).toContain('# HELP jobs_total Jobs done\n# TYPE jobs_total counter\n');
    expect(text).toContain('jobs_total{b="x\\"y\\\\z\\nw",kind="a"} 3\n');
    expect(text).toContain('jobs_total 1\n');
    expect(parse(text).size).toBe(2);
  });

  it('renders histograms with cumulative buckets, +Inf, sum and count', () => {
    const m = new Metrics();
    const h = m.histogram('size', 'Sizes', [1, 10]);
    for (const v of [0.5, 3, 3, 50]) h.observe(v);
    const s = parse(m.render());
    expect(s.get('size_bucket{le="1"}')).toBe(1);
    expect(s.get('size_bucket{le="10"}')).toBe(3);
    expect(s.get('size_bucket{le="+Inf"}')).toBe(4);
    expect(s.get('size_sum')).toBe(56.5);
    expect(s.get('size_count')).toBe(4);
  });

  it('refuses a name reused with another type, and invalid names', () => {
    const m = new Metrics();
    m.counter('x_total', 'x');
    expect(() => m.gauge('x_total', 'x')).toThrow(/counter/);
    expect(() => m.counter('bad name', 'x')).toThrow();
  });
});

describe.each(storeCases)('GET /metrics on $name', (sc) => {
  const h = suiteHarness(sc);

  it('counts requests by route and status, events, duplicates and group commits', async () => {
    const events = [event(), event(), event()];
    expect((await h.collect(events)).status).toBe(202);
    expect((await h.collect(events)).status).toBe(202);
    expect((await h.collect([event({ type: 'nope' as never })])).status).toBe(400);
    const big = await h.collect(
      Array.from({ length: 40 }, () => event({ title: 'y'.repeat(2000) })),
    );
    expect(big.status).toBe(413);
    expect((await h.app.request('/no/such/path')).status).toBe(404);
    expect((await h.app.request('/healthz')).status).toBe(200);
    await Promise.all(Array.from({ length: 20 }, () => h.collect([event()])));

    const res = await h.app.request('/metrics');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const s = parse(await res.text());
    const req = (route: string, status: number, method = 'POST') =>
      s.get(
        `touchpoint_http_requests_total{method="${method}",route="${route}",status="${status}"}`,
      );
    expect(req('/v1/collect', 202)).toBe(22);
    expect(req('/v1/collect', 400)).toBe(1);
    // Stopped by the body limit before its handler: still counted under its route.
    expect(req('/v1/collect', 413)).toBe(1);
    expect(req('unmatched', 404, 'GET')).toBe(1);
    expect(req('/healthz', 200, 'GET')).toBe(1);
    expect(s.get('touchpoint_events_accepted_total{trusted="false"}')).toBe(23);
    expect(s.get('touchpoint_events_duplicate_total{trusted="false"}')).toBe(3);
    expect(s.get(`touchpoint_store_info{kind="${sc.name}"}`)).toBe(1);
    const committed = s.get('touchpoint_group_commit_transactions_total{outcome="committed"}')!;
    // 22 accepted requests, fewer transactions: concurrent requests shared them.
    expect(s.get('touchpoint_group_commit_batch_units_sum')).toBe(22);
    expect(s.get('touchpoint_group_commit_batch_units_count')).toBe(committed);
    expect(committed).toBeLessThan(22);
    expect(s.get('touchpoint_http_request_duration_ms_count{route="/v1/collect"}')).toBe(24);
    // Why requests were refused, by problem type: what an alert on rejected ingest reads.
    const problem = (route: string, status: number, type: string) =>
      s.get(`touchpoint_http_problems_total{route="${route}",status="${status}",type="${type}"}`);
    expect(problem('/v1/collect', 400, 'invalid')).toBe(1);
    expect(problem('/v1/collect', 413, 'too-large')).toBe(1);
    expect(problem('unmatched', 404, 'not-found')).toBe(1);
    // Present before any server-side event, cut or repaired value: rate() and alerts work from
    // the first scrape.
    expect(s.get('touchpoint_events_accepted_total{trusted="true"}')).toBe(0);
    expect(s.get('touchpoint_events_truncated_total')).toBe(0);
    expect(s.get('touchpoint_events_repaired_total{trusted="false"}')).toBe(0);
    expect(s.get('touchpoint_events_repaired_total{trusted="true"}')).toBe(0);
  });

  it('reports the event-loop delay of its window: a blocked loop, and nothing in an empty window', async () => {
    const scrape = async () => {
      const s = parse(await (await h.app.request('/metrics')).text());
      return {
        p99: s.get('touchpoint_event_loop_delay_ms{quantile="0.99"}')!,
        max: s.get('touchpoint_event_loop_delay_ms{quantile="1"}')!,
      };
    };
    await scrape();
    const until = Date.now() + 300;
    while (Date.now() < until) {}
    await new Promise((r) => setTimeout(r, 60));
    expect((await scrape()).max).toBeGreaterThanOrEqual(250);
    // Scraped again at once: no sample yet. Was a p99 of 0.0005 ms above a maximum of 0.
    const empty = await scrape();
    expect(empty.p99).toBeLessThanOrEqual(empty.max);
  });

  it('shows queue depths and the process at each scrape', async () => {
    const s = parse(await (await h.app.request('/metrics')).text());
    expect(s.get('touchpoint_group_commit_queue{state="queued"}')).toBe(0);
    expect(s.get('touchpoint_group_commit_queue{state="in_flight"}')).toBe(0);
    expect(s.get('touchpoint_webhook_queue{stage="fanout"}')).toBeGreaterThanOrEqual(0);
    expect(s.get('touchpoint_webhook_queue{stage="pending"}')).toBe(0);
    expect(s.get('touchpoint_rescore_jobs_running{unit="jobs"}')).toBe(0);
    expect(s.get('touchpoint_rescore_jobs_running{unit="leads"}')).toBe(0);
    expect(s.get('touchpoint_process_resident_memory_bytes')).toBeGreaterThan(10_000_000);
    const started = s.get('touchpoint_process_start_time_seconds')!;
    expect(Math.abs(started - (Date.now() / 1000 - process.uptime()))).toBeLessThan(5);
    expect(s.get('touchpoint_event_loop_delay_ms{quantile="1"}')).toBeGreaterThanOrEqual(0);

    // A rescoring job waiting: its leads show until a worker has done them.
    const lead = event({ type: 'identify', traits: { email: 'depth@example.com' } });
    expect((await h.collect([lead])).status).toBe(202);
    const put = await h.app.request('/v1/scoring', {
      method: 'PUT',
      headers: {
        authorization: `Bearer ${h.site.secretKey}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({ mqlThreshold: 40, fit: [], engagement: [] }),
    });
    expect(put.status, await put.clone().text()).toBe(202);
    const { job } = (await put.json()) as { job: { status: string } };
    expect(job.status).toBe('running'); // one lead to rescore
    const after = parse(await (await h.app.request('/metrics')).text());
    expect(after.get('touchpoint_rescore_jobs_running{unit="jobs"}')).toBe(1);
    expect(after.get('touchpoint_rescore_jobs_running{unit="leads"}')).toBe(1);
  });

  it('answers CORS-free and uncached', async () => {
    const res = await h.app.request('/metrics', { headers: { origin: ORIGIN } });
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('GET /metrics with the store gone', () => {
  it('still answers, without the gauges read from the database', async () => {
    const store = await openPGlite();
    await migrate(store);
    const h = await harness(store);
    expect(
      parse(await (await h.app.request('/metrics')).text()).has(
        'touchpoint_webhook_queue{stage="pending"}',
      ),
    ).toBe(true);
    await store.close();
    const res = await h.app.request('/metrics');
    expect(res.status).toBe(200);
    const s = parse(await res.text());
    expect(s.has('touchpoint_webhook_queue{stage="pending"}')).toBe(false);
    expect(s.get('touchpoint_group_commit_queue{state="queued"}')).toBe(0);
    expect((await h.app.request('/readyz')).status).toBe(503);
  });
});
