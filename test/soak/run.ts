/**
 * Soak: the real collector (child process) under a steady load for a long time — does its memory
 * stay flat, does anything fail? Run on demand: `npm run soak` (not part of `npm test`).
 *
 * Env: SOAK_SECONDS (600), SOAK_RATE (requests/s; default: half the capacity measured first for
 * SOAK_CAPACITY_SECONDS, 10), SOAK_BATCH (events per request, 10), SOAK_CONNECTIONS (8),
 * DATABASE_URL (PostgreSQL; default PGlite in a temporary folder).
 * Exit code 1 when RSS grew more than 10 % from the first to the last minute, or on any error.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { createSiteVia, startChild } from '../security/child.ts';

const SECONDS = Number(process.env.SOAK_SECONDS ?? 600);
const CAPACITY_SECONDS = Number(process.env.SOAK_CAPACITY_SECONDS ?? 10);
const BATCH = Number(process.env.SOAK_BATCH ?? 10);
const CONNECTIONS = Number(process.env.SOAK_CONNECTIONS ?? 8);
const SAMPLE_MS = 5_000;

const dataDir = mkdtempSync(join(tmpdir(), 'tp-soak-'));
const child = await startChild({
  TOUCHPOINT_DATA_DIR: dataDir,
  TOUCHPOINT_RATE_SITE: '0',
  TOUCHPOINT_RATE_IP: '0',
  ...(process.env.DATABASE_URL ? { DATABASE_URL: process.env.DATABASE_URL } : {}),
});
const site = await createSiteVia(child.url);

// Every event id is replaced by a fresh one per request: each request stores BATCH new events.
const events = Array.from({ length: BATCH }, (_, i) => ({
  id: '[<id>]',
  type: i === 0 ? 'pageview' : 'track',
  anonymousId: 'soak-visitor',
  sessionId: 'soak-session',
  timestamp: Date.now(),
  url: 'https://soak.example/pricing',
  name: i === 0 ? undefined : 'Clicked',
  properties: { plan: 'pro', i },
}));
const body = JSON.stringify({ site: site.publicKey, sentAt: Date.now(), events });

function load(opts: { duration: number; overallRate?: number }) {
  return autocannon({
    url: `${child.url}/v1/collect`,
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: 'https://crash.example' },
    body,
    idReplacement: true,
    connections: CONNECTIONS,
    duration: opts.duration,
    ...(opts.overallRate ? { overallRate: opts.overallRate } : {}),
  });
}

const report: Record<string, unknown> = { store: process.env.DATABASE_URL ? 'postgres' : 'pglite' };
try {
  let rate = Number(process.env.SOAK_RATE ?? 0);
  if (!rate) {
    const cap = await load({ duration: CAPACITY_SECONDS });
    report.capacity = {
      requestsPerSecond: Math.round(cap.requests.average),
      eventsPerSecond: Math.round(cap.requests.average * BATCH),
      p99Ms: cap.latency.p99,
      non2xx: cap.non2xx,
    };
    rate = Math.max(1, Math.floor(cap.requests.average / 2));
  }
  report.rate = { requestsPerSecond: rate, eventsPerSecond: rate * BATCH, seconds: SECONDS };

  const samples: { t: number; rss: number; heap?: number }[] = [];
  const started = Date.now();
  const sample = async () => {
    const s: { t: number; rss: number; heap?: number } = {
      t: Date.now() - started,
      rss: child.rss(),
    };
    try {
      // The reports engineer's /metrics may expose the heap; use it when it does.
      const text = await (await fetch(`${child.url}/metrics`)).text();
      const m =
        /^(?:nodejs_heap_size_used_bytes|process_heap_bytes|nodejs_heap_used_bytes)\s+(\d+(?:\.\d+)?(?:e\+\d+)?)/m.exec(
          text,
        );
      if (m) s.heap = Number(m[1]);
    } catch {}
    samples.push(s);
  };
  await sample();
  const timer = setInterval(() => void sample(), SAMPLE_MS);
  const soak = await load({ duration: SECONDS, overallRate: rate });
  clearInterval(timer);
  await sample();

  // First and last minute under load (a quarter of the run when it is shorter than 4 minutes);
  // the sample before the load started is left out.
  const window = Math.min(60_000, (SECONDS * 1000) / 4);
  const n = Math.max(1, Math.round(window / SAMPLE_MS));
  const avg = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
  const first = samples.slice(1, 1 + n);
  const last = samples.slice(-n);
  const rssFirst = avg(first.map((s) => s.rss));
  const rssLast = avg(last.map((s) => s.rss));
  const growth = (rssLast - rssFirst) / rssFirst;
  report.soak = {
    requests: soak.requests.total,
    events: soak.requests.total * BATCH,
    achievedRequestsPerSecond: Math.round(soak.requests.average),
    latencyMs: { p50: soak.latency.p50, p99: soak.latency.p99, max: soak.latency.max },
    errors: soak.errors,
    timeouts: soak.timeouts,
    non2xx: soak.non2xx,
  };
  report.memory = {
    windowSeconds: window / 1000,
    rssFirstMb: +(rssFirst / 1e6).toFixed(1),
    rssLastMb: +(rssLast / 1e6).toFixed(1),
    rssMaxMb: +(Math.max(...samples.map((s) => s.rss)) / 1e6).toFixed(1),
    growthPercent: +(growth * 100).toFixed(1),
    heapFirstMb: first[0]?.heap ? +(avg(first.map((s) => s.heap ?? 0)) / 1e6).toFixed(1) : null,
    heapLastMb: last[0]?.heap ? +(avg(last.map((s) => s.heap ?? 0)) / 1e6).toFixed(1) : null,
    samples: samples.map((s) => [Math.round(s.t / 1000), +(s.rss / 1e6).toFixed(1)]),
  };
  const failed = growth > 0.1 || soak.errors > 0 || soak.timeouts > 0 || soak.non2xx > 0;
  report.verdict = failed ? 'FAIL' : 'PASS';
  console.log(JSON.stringify(report, null, 2));
  process.exitCode = failed ? 1 : 0;
} finally {
  await child.kill('SIGTERM');
  rmSync(dataDir, { recursive: true, force: true });
}
