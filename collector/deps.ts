/** What the collector is made of; tests build it with in-memory parts, the server with real ones. */
import type { Metrics } from './http/metrics.ts';
import type { IngestLimits } from './http/rate-limit.ts';
import type { EventProcessor } from './ingest/pipeline.ts';
import type { Site } from './sites/index.ts';
import type { GroupCommitter, Store } from './store/index.ts';

/** Settings read once from the environment (see `config.ts`). */
export interface Config {
  /** Enables `/v1/admin/*` when set. */
  adminToken?: string;
  /** Folder with the built widget and dashboard (`dist/`). */
  distDir: string;
  /** Serve the demo website and dashboard. */
  demo: boolean;
  /** Bytes of one request body. */
  bodyLimit: number;
  /** Rate limits of `/v1/collect` (defaults: `DEFAULT_INGEST_LIMITS`). */
  rateLimits?: IngestLimits;
  /**
   * Proxies in front of the collector that append to `X-Forwarded-For` (load balancer, the
   * site's first-party path): the client is that many hops from the right. 0: the socket's peer.
   */
  trustedProxies?: number;
  /**
   * How long `/readyz` waits for the store before answering 503 (default 1,000 ms): less than
   * a load balancer's health-check timeout, so a silent database reads as "not ready", not as
   * a check that timed out.
   */
  readyTimeoutMs?: number;
}

/** Structured log lines; `console`-compatible. */
export interface Log {
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

/** Everything `createApp` needs. */
export interface Deps {
  store: Store;
  /** The collector's clock: injected so tests can move time. */
  clock: () => Date;
  config: Config;
  log: Log;
  committer: GroupCommitter;
  /** Counters and histograms served at `/metrics`: `deps.metrics.counter(name, help).inc(labels)`. */
  metrics: Metrics;
  /** Ingest pipeline steps, run on newly stored events in the same transaction. */
  processors: readonly EventProcessor[];
}

/** Hono environment: what middleware puts on the context. */
export interface Env {
  Variables: {
    /** The site authenticated by a secret key (marketer API) or named by a public key. */
    site: Site;
  };
}

/** A JSON-lines logger on stdout/stderr. */
export const jsonLog: Log = {
  info: (msg, fields) => console.log(JSON.stringify({ level: 'info', msg, ...fields })),
  warn: (msg, fields) => console.warn(JSON.stringify({ level: 'warn', msg, ...fields })),
  error: (msg, fields) => console.error(JSON.stringify({ level: 'error', msg, ...fields })),
};

/** A logger that drops everything (tests). */
export const silentLog: Log = { info() {}, warn() {}, error() {} };
