/** The real collector as a child process (`collector/server.ts`), to kill it like production dies. */
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { request } from 'node:http';

export const ADMIN = 'security-admin-token';

export interface Child {
  proc: ChildProcess;
  pid: number;
  url: string;
  port: number;
  /** SIGKILL: no graceful shutdown, no flush. Resolves once the process is gone. */
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** Resident memory of the server process in bytes (from /proc). */
  rss(): number;
  /** Everything the process printed (for failure messages). */
  output(): string;
}

/**
 * Starts `node --import tsx collector/server.ts` on a free port (the node process itself, so a
 * signal reaches the server, not a wrapper), demo off, admin API on.
 *
 * @example const c = await startChild({ TOUCHPOINT_DATA_DIR: dir }); … await c.kill();
 */
export async function startChild(env: Record<string, string>): Promise<Child> {
  const proc = spawn(process.execPath, ['--import', 'tsx', 'collector/server.ts'], {
    cwd: process.cwd(),
    env: {
      ...process.env,
      PORT: '0',
      TOUCHPOINT_DEMO: '0',
      TOUCHPOINT_ADMIN_TOKEN: ADMIN,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const exited = new Promise<void>((r) => proc.once('exit', () => r()));
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`collector did not start:\n${out}`)), 30_000);
    const onData = (d: Buffer) => {
      out += d.toString();
      const m = /"collector listening","url":"http:\/\/localhost:(\d+)"/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    };
    proc.stdout!.on('data', onData);
    proc.stderr!.on('data', (d: Buffer) => {
      out += d.toString();
    });
    proc.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`collector exited with ${code}:\n${out}`));
    });
  });
  return {
    proc,
    pid: proc.pid!,
    port,
    url: `http://127.0.0.1:${port}`,
    async kill(signal = 'SIGKILL') {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill(signal);
      await exited;
    },
    rss() {
      const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${proc.pid}/status`, 'utf8'));
      return m ? Number(m[1]) * 1024 : 0;
    },
    output: () => out,
  };
}

/** One HTTP request with a body and a hard timeout; network failures resolve as status 0. */
export function post(
  url: string,
  body: string,
  headers: Record<string, string>,
  timeoutMs = 10_000,
): Promise<{
  status: number;
  body: string;
  headers: Record<string, string | string[] | undefined>;
}> {
  return new Promise((resolve) => {
    const req = request(
      url,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        timeout: timeoutMs,
        agent: false,
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d) => {
          text += d;
        });
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: text, headers: res.headers }),
        );
        res.on('error', () => resolve({ status: 0, body: text, headers: {} }));
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', () => resolve({ status: 0, body: '', headers: {} }));
    req.end(body);
  });
}

/** Creates a site through the admin API of a running collector. */
export async function createSiteVia(
  url: string,
): Promise<{ site: { id: string }; publicKey: string; secretKey: string }> {
  const res = await post(
    `${url}/v1/admin/sites`,
    JSON.stringify({ name: 'Crash', allowedOrigins: ['https://crash.example'] }),
    { authorization: `Bearer ${ADMIN}` },
  );
  if (res.status !== 201) throw new Error(`site creation failed: ${res.status} ${res.body}`);
  return JSON.parse(res.body);
}

/** A batch of `n` new events for `/v1/collect` with ids `${prefix}-${i}`. */
export function batchBody(
  publicKey: string,
  prefix: string,
  n: number,
): { ids: string[]; body: string } {
  const now = Date.now();
  const ids = Array.from({ length: n }, (_, i) => `${prefix}-${i}`);
  const events = ids.map((id) => ({
    id,
    type: 'pageview',
    anonymousId: `anon-${prefix.split('-')[0]}`,
    sessionId: `s-${prefix.split('-')[0]}`,
    timestamp: now,
    url: 'https://crash.example/page',
  }));
  return { ids, body: JSON.stringify({ site: publicKey, sentAt: now, events }) };
}
