/**
 * In-process metrics rendered in the Prometheus text format (version 0.0.4) at `/metrics`.
 * Counters, gauges and histograms with labels; no dependency, nothing global: each app owns one.
 */
import type { Context, MiddlewareHandler } from 'hono';
import { matchedRoutes } from 'hono/route';

export type Labels = Record<string, string | number | boolean>;

/** Only goes up: requests, events, transactions. */
export interface Counter {
  inc(labels?: Labels, by?: number): void;
}

/** A value that goes up and down, or describes the process (`…_info` = 1). */
export interface Gauge {
  set(labels: Labels | undefined, value: number): void;
  /** Drops every series: an unknown value is left out rather than shown stale. */
  clear(): void;
}

/** Counts observations into cumulative buckets, with their sum and count. */
export interface Histogram {
  observe(value: number, labels?: Labels): void;
}

type Kind = 'counter' | 'gauge' | 'histogram';

interface Sampler {
  sample: () => void | Promise<void>;
  timeoutMs: number;
}

interface Family {
  kind: Kind;
  help: string;
  buckets?: readonly number[];
  /** Label set (rendered) → value, or bucket counts followed by sum and count. */
  series: Map<string, number[]>;
}

/** Latency-style buckets in milliseconds. */
export const MS_BUCKETS = [1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 2500] as const;

/**
 * A registry. Asking twice for the same name returns the same metric, so features can call
 * `metrics.counter(...)` where they count instead of threading handles around.
 *
 * @example
 * deps.metrics.counter('touchpoint_webhook_deliveries_total', 'Webhook deliveries').inc({ status: 'ok' });
 * deps.metrics.histogram('touchpoint_rescore_ms', 'Rescoring time', MS_BUCKETS).observe(12);
 */
export class Metrics {
  private readonly families = new Map<string, Family>();
  private readonly samplers: Sampler[] = [];

  /**
   * Runs `sample` before each scrape, to set gauges of things read rather than counted (queue
   * depths, memory). A sampler that throws or takes more than `timeoutMs` is skipped for that
   * scrape: `/metrics` answers even when the database does not.
   *
   * @example metrics.onScrape(() => depth.set(undefined, committer.depth().queued));
   */
  onScrape(sample: () => void | Promise<void>, timeoutMs = 1_000): void {
    this.samplers.push({ sample, timeoutMs });
  }

  /** Runs the samplers, then renders (what `GET /metrics` answers). */
  async scrape(): Promise<string> {
    await Promise.all(
      this.samplers.map(({ sample, timeoutMs }) => {
        let timer: ReturnType<typeof setTimeout> | undefined;
        return Promise.race([
          Promise.resolve()
            .then(sample)
            .catch(() => {}),
          new Promise<void>((r) => {
            timer = setTimeout(r, timeoutMs);
          }),
        ]).finally(() => clearTimeout(timer));
      }),
    );
    return this.render();
  }

  counter(name: string, help: string): Counter {
    const f = this.family(name, 'counter', help);
    return {
      inc: (labels, by = 1) => {
        const key = renderLabels(labels);
        const s = f.series.get(key);
        if (s) s[0]! += by;
        else f.series.set(key, [by]);
      },
    };
  }

  gauge(name: string, help: string): Gauge {
    const f = this.family(name, 'gauge', help);
    return {
      set: (labels, value) => void f.series.set(renderLabels(labels), [value]),
      clear: () => f.series.clear(),
    };
  }

  histogram(name: string, help: string, buckets: readonly number[] = MS_BUCKETS): Histogram {
    const f = this.family(
      name,
      'histogram',
      help,
      [...buckets].sort((a, b) => a - b),
    );
    const bounds = f.buckets!;
    return {
      observe: (value, labels) => {
        const key = renderLabels(labels);
        let s = f.series.get(key);
        if (!s) {
          s = new Array(bounds.length + 2).fill(0);
          f.series.set(key, s);
        }
        for (let i = 0; i < bounds.length; i++) if (value <= bounds[i]!) s[i]!++;
        s[bounds.length]! += value;
        s[bounds.length + 1]!++;
      },
    };
  }

  /** The whole registry as Prometheus text. */
  render(): string {
    const out: string[] = [];
    for (const [name, f] of this.families) {
      out.push(`# HELP ${name} ${f.help.replace(/\\/g, '\\\\').replace(/\n/g, '\\n')}`);
      out.push(`# TYPE ${name} ${f.kind}`);
      for (const [labels, s] of f.series) {
        if (f.kind !== 'histogram') {
          out.push(`${name}${braces(labels)} ${s[0]}`);
          continue;
        }
        const b = f.buckets!;
        for (const [i, le] of b.entries()) {
          out.push(`${name}_bucket${braces(join(labels, `le="${le}"`))} ${s[i]}`);
        }
        out.push(`${name}_bucket${braces(join(labels, 'le="+Inf"'))} ${s[b.length + 1]}`);
        out.push(`${name}_sum${braces(labels)} ${s[b.length]}`);
        out.push(`${name}_count${braces(labels)} ${s[b.length + 1]}`);
      }
    }
    return `${out.join('\n')}\n`;
  }

  private family(name: string, kind: Kind, help: string, buckets?: number[]): Family {
    if (!/^[a-zA-Z_:][a-zA-Z0-9_:]*$/.test(name)) throw new Error(`bad metric name ${name}`);
    const existing = this.families.get(name);
    if (existing) {
      if (existing.kind !== kind) throw new Error(`metric ${name} is a ${existing.kind}`);
      return existing;
    }
    const f: Family = { kind, help, buckets, series: new Map() };
    this.families.set(name, f);
    return f;
  }
}

const escapeValue = (v: string) =>
  v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');

/** Sorted so `{a,b}` and `{b,a}` are one series. */
function renderLabels(labels: Labels | undefined): string {
  if (!labels) return '';
  return Object.keys(labels)
    .sort()
    .map((k) => `${k}="${escapeValue(String(labels[k]))}"`)
    .join(',');
}

const join = (a: string, b: string) => (a ? `${a},${b}` : b);
const braces = (labels: string) => (labels ? `{${labels}}` : '');

/**
 * Counts every request by method, route pattern (never the raw path: bounded cardinality) and
 * status, and observes its duration.
 */
export function requestMetrics(metrics: Metrics): MiddlewareHandler {
  const requests = metrics.counter('touchpoint_http_requests_total', 'HTTP requests answered');
  const duration = metrics.histogram(
    'touchpoint_http_request_duration_ms',
    'Time to answer an HTTP request, by route',
  );
  return async (c, next) => {
    const start = performance.now();
    await next();
    const route = routeOf(c);
    requests.inc({ method: c.req.method, route, status: c.res.status });
    duration.observe(performance.now() - start, { route });
  };
}

/**
 * The route pattern of a request: the first route (not middleware, whose method is ALL) that
 * matched — the one that answered, or would have if a middleware had not stopped the request
 * first (413, 401) — or `unmatched`.
 */
export function routeOf(c: Context): string {
  return matchedRoutes(c).find((r) => r.method !== 'ALL')?.path ?? 'unmatched';
}
