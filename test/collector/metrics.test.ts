/** `/metrics`: Prometheus text a scraper can read, counting what the collector did. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Metrics } from '../../collector/http/metrics.ts';
import { event, harness, ORIGIN } from '../helpers/app.ts';
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
  let h: Awaited<ReturnType<typeof harness>>;
  let close: () => Promise<void>;
  beforeAll(async () => {
    const opened = await sc.open();
    close = opened.close;
    h = await harness(opened.store);
  });
  afterAll(() => close());

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
  });

  it('answers CORS-free and uncached', async () => {
    const res = await h.app.request('/metrics', { headers: { origin: ORIGIN } });
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  });
});
