/** The real collector entry (`collector/server.ts`) as a child process, for restart and signal tests. */
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import type { WireEvent } from '../../shared/wire.ts';

export const ADMIN = 'spawned-admin-token';
export const SITE_ORIGIN = 'https://shop.example.com';

export interface Spawned {
  url: string;
  proc: ChildProcess;
  /** Resolves with the exit code once the process is gone. */
  exited: Promise<number | null>;
  /** Everything the process printed (for failure messages). */
  output(): string;
}

/**
 * Starts `collector/server.ts` on a free port (PORT=0; the port is read from its
 * "collector listening" log line) with PGlite in `dataDir`, or PostgreSQL at `databaseUrl`.
 * Runs node with the tsx loader directly, so signals reach the collector, not a wrapper.
 *
 * @example const c = await spawnCollector({ dataDir }); c.proc.kill('SIGTERM'); await c.exited;
 */
export function spawnCollector(opts: { dataDir: string; databaseUrl?: string }): Promise<Spawned> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: '0',
    TOUCHPOINT_DATA_DIR: opts.dataDir,
    TOUCHPOINT_DEMO: '0',
    TOUCHPOINT_ADMIN_TOKEN: ADMIN,
  };
  delete env.DATABASE_URL;
  if (opts.databaseUrl) env.DATABASE_URL = opts.databaseUrl;
  const proc = spawn(process.execPath, ['--import', 'tsx', join('collector', 'server.ts')], {
    cwd: process.cwd(),
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const exited = new Promise<number | null>((r) => proc.on('exit', (code) => r(code)));
  return new Promise<Spawned>((resolve, reject) => {
    const timer = setTimeout(() => {
      proc.kill('SIGKILL');
      reject(new Error(`collector did not start within 60 s:\n${out}`));
    }, 60_000);
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      const m = /"msg":"collector listening","url":"([^"]+)"/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ url: m[1]!.replace('localhost', '127.0.0.1'), proc, exited, output: () => out });
      }
    };
    proc.stdout!.on('data', onData);
    proc.stderr!.on('data', (c: Buffer) => {
      out += c.toString();
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`collector exited (${code}) before listening:\n${out}`));
    });
  });
}

/** Creates a site through the admin API, writable from {@link SITE_ORIGIN}. */
export async function adminCreateSite(url: string): Promise<string> {
  const res = await fetch(`${url}/v1/admin/sites`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'Durable', allowedOrigins: [SITE_ORIGIN] }),
  });
  if (res.status !== 201) throw new Error(`site creation: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { publicKey: string }).publicKey;
}

/** POSTs a batch from {@link SITE_ORIGIN}. */
export function postBatch(url: string, site: string, events: WireEvent[]): Promise<Response> {
  return fetch(`${url}/v1/collect`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: SITE_ORIGIN },
    body: JSON.stringify({ site, sentAt: Date.now(), events }),
  });
}

/** A valid event with a given id. */
export const wireEvent = (id: string, anonymousId = `anon-${id.split('-')[0]}`): WireEvent => ({
  id,
  type: 'pageview',
  anonymousId,
  sessionId: `s-${anonymousId}`,
  timestamp: Date.now(),
  url: `${SITE_ORIGIN}/p/${id}`,
});
