/**
 * Ingest benchmark: autocannon against a bare Hono handler and the real collector (PGlite and a
 * fresh PostgreSQL database), each in its own process, same machine, same run.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { freshPgDatabase, hasPostgres } from '../helpers/stores.ts';

export const ORIGIN = 'https://bench.example.com';
const ADMIN = 'bench-admin-token';

/** `floor-*`: the durable floor (floor.ts) on that store, the ceiling of any collector that commits before answering. */
export type TargetName = 'bare' | 'pglite' | 'postgres' | 'floor-pglite' | 'floor-postgres';

export interface Measurement {
  target: TargetName;
  /** Events per request. */
  batch: number;
  reqPerSec: number;
  eventsPerSec: number;
  p50Ms: number;
  p99Ms: number;
  non2xx: number;
  errors: number;
  /** req/s of this target divided by the bare handler's at the same batch size. */
  ratio?: number;
  /** Requests per group-commit transaction (collector only, from its /metrics). */
  unitsPerTx?: number;
}

/** Mean requests per committed group transaction, from the collector's /metrics. */
async function unitsPerTransaction(url: string): Promise<number | undefined> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const value = (name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1]);
  const per =
    value('touchpoint_group_commit_batch_units_sum') /
    value('touchpoint_group_commit_batch_units_count');
  return Number.isFinite(per) ? Math.round(per * 10) / 10 : undefined;
}

export interface Target {
  name: TargetName;
  url: string;
  site: string;
  /** The collector's process (absent for in-process targets). */
  pid?: number;
  stop(): Promise<void>;
}

/** Node flags for the server processes (`TOUCHPOINT_BENCH_PROF=dir` writes CPU profiles there). */
function nodeArgs(): string[] {
  const dir = process.env.TOUCHPOINT_BENCH_PROF;
  return dir ? ['--cpu-prof', `--cpu-prof-dir=${dir}`] : [];
}

/** Spawns a server entry and waits for its "collector listening" line. */
function spawnServer(
  entry: string,
  env: NodeJS.ProcessEnv,
): Promise<{ url: string; proc: ChildProcess }> {
  const proc = spawn(process.execPath, [...nodeArgs(), '--import', 'tsx', entry], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    proc.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /"msg":"collector listening","url":"([^"]+)"/.exec(out);
      if (m) resolve({ url: m[1]!.replace('localhost', '127.0.0.1'), proc });
    });
    proc.on('exit', (code) => reject(new Error(`${entry} exited (${code}): ${out}`)));
  });
}

const stopProc = (proc: ChildProcess) =>
  new Promise<void>((r) => {
    if (proc.exitCode !== null) return r();
    proc.on('exit', () => r());
    proc.kill('SIGTERM');
  });

/**
 * Starts a target in its own process. `databaseUrl` runs the PostgreSQL collector on an existing
 * database (which the caller owns and drops) instead of a fresh one.
 *
 * @example const t = await startTarget('postgres'); try { … } finally { await t.stop(); }
 */
export async function startTarget(
  name: TargetName,
  opts: { databaseUrl?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<Target & { secretKey?: string; siteId?: string }> {
  if (name === 'bare') {
    const { url, proc } = await spawnServer(join('test', 'bench', 'bare.ts'), {});
    return { name, url, site: 'pk_bare', stop: () => stopProc(proc) };
  }
  if (name === 'floor-pglite' || name === 'floor-postgres') {
    const dataDir = mkdtempSync(join(tmpdir(), 'tp-floor-'));
    const db = name === 'floor-postgres' ? await freshPgDatabase() : undefined;
    const { url, proc } = await spawnServer(join('test', 'bench', 'floor.ts'), {
      FLOOR_STORE: db ? 'postgres' : 'pglite',
      FLOOR_DATA_DIR: dataDir,
      DATABASE_URL: db?.url ?? '',
    });
    return {
      name,
      url,
      site: 'pk_floor',
      async stop() {
        await stopProc(proc);
        await db?.drop();
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'tp-bench-'));
  const db = name === 'postgres' && !opts.databaseUrl ? await freshPgDatabase() : undefined;
  const { url, proc } = await spawnServer(join('collector', 'server.ts'), {
    PORT: '0',
    TOUCHPOINT_DATA_DIR: dataDir,
    TOUCHPOINT_DEMO: '0',
    TOUCHPOINT_ADMIN_TOKEN: ADMIN,
    DATABASE_URL: opts.databaseUrl ?? db?.url ?? '',
    // Capacity, not policy: one client IP sends everything, far past the per-IP limit (20/s), and
    // the open-loop rate is past the per-site default (1,000/s).
    TOUCHPOINT_RATE_SITE: '0',
    TOUCHPOINT_RATE_IP: '0',
    ...opts.env,
  });
  const res = await fetch(`${url}/v1/admin/sites`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'Bench', allowedOrigins: [ORIGIN] }),
  });
  const created = (await res.json()) as {
    publicKey: string;
    secretKey: string;
    site: { id: string };
  };
  return {
    name,
    url,
    site: created.publicKey,
    secretKey: created.secretKey,
    siteId: created.site.id,
    pid: proc.pid,
    async stop() {
      await stopProc(proc);
      await db?.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A tag-like batch of `size` pageviews whose ids are unique per request. */
function batchBody(site: string, size: number, seq: string): string {
  const now = Date.now();
  const anon = `anon-${seq.slice(-3)}`;
  const events = Array.from({ length: size }, (_, i) => ({
    id: `${seq}-${i}`,
    type: 'pageview',
    anonymousId: anon,
    sessionId: `sess-${anon}`,
    timestamp: now - (size - i) * 1000,
    url: `${ORIGIN}/pricing?utm_source=newsletter&i=${i}`,
    referrer: 'https://www.google.com/',
    title: 'Pricing — Acme Analytics',
    properties: { path: '/pricing', width: 1440 },
  }));
  return JSON.stringify({ site, sentAt: now, events });
}

/**
 * One autocannon run of `seconds` against `t` with `batch`-event requests. `rate` makes it open
 * loop: that many requests per second in total, whatever the latency (as real traffic arrives).
 */
export async function measure(
  t: Pick<Target, 'name' | 'url' | 'site'>,
  batch: number,
  seconds: number,
  rate?: number,
): Promise<Measurement> {
  const run = `${t.name[0]}${batch}${Date.now().toString(36)}`;
  let n = 0;
  const result = await autocannon({
    url: t.url,
    connections: 50,
    duration: seconds,
    timeout: 30,
    ...(rate ? { overallRate: rate } : {}),
    requests: [
      {
        method: 'POST',
        path: '/v1/collect',
        headers: { 'content-type': 'application/json', origin: ORIGIN },
        // Called for every request: each carries fresh event ids, so nothing is a duplicate.
        setupRequest: (req) => ({ ...req, body: batchBody(t.site, batch, `${run}-${n++}`) }),
      },
    ],
  });
  const reqPerSec = result['2xx'] / result.duration;
  return {
    target: t.name,
    batch,
    reqPerSec: Math.round(reqPerSec),
    eventsPerSec: Math.round(reqPerSec * batch),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
  };
}

/**
 * Runs every target at every batch size, alternating targets so drift on a shared machine hits
 * them alike. A short warm-up (JIT, site cache, first pages of the tables) precedes each run.
 */
export async function benchIngest(opts: {
  seconds: number;
  warmupSeconds: number;
  batches: number[];
  /** A subset of targets (default: all available). */
  targets?: TargetName[];
  log?: (line: string) => void;
}): Promise<Measurement[]> {
  const all: TargetName[] = [
    'bare',
    'floor-pglite',
    'pglite',
    ...(hasPostgres ? (['floor-postgres', 'postgres'] as const) : []),
  ];
  const names = opts.targets ? all.filter((n) => opts.targets!.includes(n)) : all;
  const out: Measurement[] = [];
  for (const batch of opts.batches) {
    for (const name of names) {
      opts.log?.(`  ${name}, ${batch}-event batches…`);
      const t = await startTarget(name);
      try {
        if (opts.warmupSeconds > 0) await measure(t, batch, opts.warmupSeconds);
        const m = await measure(t, batch, opts.seconds);
        if (name === 'pglite' || name === 'postgres')
          m.unitsPerTx = await unitsPerTransaction(t.url);
        out.push(m);
      } finally {
        await t.stop();
      }
    }
  }
  for (const m of out) {
    const bare = out.find((b) => b.target === 'bare' && b.batch === m.batch);
    if (bare && bare.reqPerSec > 0)
      m.ratio = Math.round((m.reqPerSec / bare.reqPerSec) * 100) / 100;
  }
  return out;
}
