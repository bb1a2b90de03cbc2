/**
 * What an operator meets running `collector/server.ts`: bad settings stop it with one line and a
 * non-zero exit, a PGlite folder serves one process and is private, a signal during start-up
 * is a clean stop, and replicas starting together on one PostgreSQL all come up.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, KNOWN_VARIABLES, readEnv, redact } from '../../collector/config.ts';
import { DataDirLocked, openPGlite } from '../../collector/store/index.ts';
import { freshPgDatabase, hasPostgres } from '../helpers/stores.ts';
import { ADMIN, adminCreateSite, postBatch, wireEvent } from './spawned.ts';

const SLOW = 120_000;

interface Run {
  proc: ChildProcess;
  /** Resolves with the exit code (null when killed by a signal) once the process is gone. */
  exited: Promise<number | null>;
  output(): string;
  /** Resolves with the collector's URL once it logs "collector listening". */
  listening: Promise<string>;
}

/** `node --import tsx collector/server.ts` with `env` over a quiet default environment. */
function run(env: Record<string, string | undefined>): Run {
  const base: NodeJS.ProcessEnv = { ...process.env, PORT: '0', TOUCHPOINT_DEMO: '0' };
  for (const k of Object.keys(base))
    if (k.startsWith('TOUCHPOINT_') || k === 'DATABASE_URL') delete base[k];
  const proc = spawn(process.execPath, ['--import', 'tsx', join('collector', 'server.ts')], {
    cwd: process.cwd(),
    env: { ...base, PORT: '0', TOUCHPOINT_DEMO: '0', TOUCHPOINT_ADMIN_TOKEN: ADMIN, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const exited = new Promise<number | null>((r) => proc.on('exit', (code) => r(code)));
  const listening = new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no start within 60 s:\n${out}`)), 60_000);
    proc.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /"msg":"collector listening","url":"([^"]+)"/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!.replace('localhost', '127.0.0.1'));
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`exited (${code}) before listening:\n${out}`));
    });
  });
  listening.catch(() => {});
  proc.stderr!.on('data', (d: Buffer) => {
    out += d.toString();
  });
  return { proc, exited, output: () => out, listening };
}

const stop = async (r: Run) => {
  if (r.proc.exitCode === null && r.proc.signalCode === null) r.proc.kill('SIGTERM');
  return r.exited;
};

describe('settings from the environment', () => {
  it('reads the defaults and well-formed values', () => {
    const env = readEnv({}, '/srv/tp');
    expect(env.port).toBe(8787);
    expect(env.dataDir).toBe('/srv/tp/.touchpoint');
    expect(env.config.demo).toBe(true);
    expect(env.warnings).toEqual([]);
    const set = readEnv({
      PORT: '0',
      DATABASE_URL: 'postgresql://app:pw@db.internal:5432/tp',
      TOUCHPOINT_DEMO: '0',
      TOUCHPOINT_TRUST_PROXY: '2',
      TOUCHPOINT_RATE_IP: '5:10',
      TOUCHPOINT_RATE_SITE: '0',
    });
    expect(set.port).toBe(0);
    expect(set.databaseUrl).toBe('postgresql://app:pw@db.internal:5432/tp');
    expect(set.config.demo).toBe(false);
    expect(set.config.trustedProxies).toBe(2);
    expect(set.config.rateLimits?.ip).toEqual({ perSecond: 5, burst: 10 });
    expect(set.config.rateLimits?.site.perSecond).toBe(0);
  });

  it('refuses every value it cannot use, all named in one line', () => {
    const bad = {
      PORT: 'abc',
      DATABASE_URL: 'mysql://root:hunter2@db/tp',
      TOUCHPOINT_DEMO: 'off',
      TOUCHPOINT_TRUST_PROXY: 'yes',
      TOUCHPOINT_RATE_IP: 'fast',
      TOUCHPOINT_WEBHOOKS_ALLOW_PRIVATE: 'maybe',
    };
    let err: unknown;
    try {
      readEnv(bad);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    const message = (err as Error).message;
    expect(message).not.toContain('\n');
    for (const name of Object.keys(bad)) expect(message).toContain(name);
    expect(message).not.toContain('hunter2');
    for (const port of ['99999', '-1', '80.5', ' '])
      expect(() => readEnv({ PORT: port }), port).toThrow(/PORT/);
  });

  it('warns about TOUCHPOINT_* names it does not know (a typo is not silently ignored)', () => {
    const env = readEnv({ TOUCHPOINT_ADMIN_TOKN: 'x', TOUCHPOINT_BENCH_RATE: '5' });
    expect(env.warnings).toHaveLength(1);
    expect(env.warnings[0]).toMatch(/^TOUCHPOINT_ADMIN_TOKN is not a Touchpoint setting/);
  });

  it('hides passwords of connection strings in messages', () => {
    expect(redact('postgres://app:s3cret@db:5432/tp')).toBe('postgres://app:***@db:5432/tp');
    expect(redact('host=db password=s3cret')).not.toContain('s3cret');
    // Parsed as URLs without an authority (`u:` or `postgres:` is the scheme): was printed whole.
    for (const url of ['u:s3cret@db/tp', 'postgres:app:s3cret@db/tp'])
      expect(redact(url), url).not.toContain('s3cret');
    expect(() => readEnv({ DATABASE_URL: 'app:s3cret@db/tp' })).toThrow(/DATABASE_URL/);
    expect(() => readEnv({ DATABASE_URL: 'app:s3cret@db/tp' })).not.toThrow(/s3cret/);
  });

  it('refuses a dist folder without the tag (every site would get a 404 for /tp.js)', () => {
    expect(() => readEnv({ TOUCHPOINT_DIST_DIR: '/nonexistent/dist' })).toThrow(
      /TOUCHPOINT_DIST_DIR="\/nonexistent\/dist": no tp.js/,
    );
    const dir = mkdtempSync(join(tmpdir(), 'tp-dist-'));
    writeFileSync(join(dir, 'tp.js'), '(()=>{})();');
    expect(readEnv({ TOUCHPOINT_DIST_DIR: dir }).config.distDir).toBe(dir);
  });
});

describe('start-up failures', () => {
  it.each([
    [{ PORT: 'abc' }, 2, /invalid configuration.*PORT=\\"abc\\"/],
    [{ TOUCHPOINT_DEMO: 'no' }, 2, /invalid configuration.*TOUCHPOINT_DEMO/],
    [{ DATABASE_URL: 'localhost:5432' }, 2, /invalid configuration.*DATABASE_URL/],
    [
      { DATABASE_URL: 'postgres://app:s3cret@127.0.0.1:1/tp' },
      1,
      /cannot open the store \(postgres:\/\/app:\*\*\*@127\.0\.0\.1:1\/tp\).*ECONNREFUSED/,
    ],
  ])(
    '%j: one line naming the problem, exit %i, no stack trace',
    async (env, code, line) => {
      const r = run({ TOUCHPOINT_DATA_DIR: join(tmpdir(), 'tp-never-used'), ...env });
      expect(await r.exited).toBe(code);
      const lines = r.output().trim().split('\n');
      expect(lines, r.output()).toHaveLength(1);
      expect(lines[0]).toMatch(line);
      expect(JSON.parse(lines[0]!).level).toBe('error');
      expect(r.output()).not.toMatch(/\n\s+at |s3cret/);
    },
    SLOW,
  );

  it(
    'a port in use: one line and exit 1',
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'tp-op-'));
      const first = run({ TOUCHPOINT_DATA_DIR: join(dir, 'a') });
      try {
        const port = new URL(await first.listening).port;
        const second = run({ PORT: port, TOUCHPOINT_DATA_DIR: join(dir, 'b') });
        expect(await second.exited).toBe(1);
        expect(second.output()).toMatch(/cannot listen on port \d+: .*EADDRINUSE/);
        expect(second.output()).not.toMatch(/\n\s+at /);
      } finally {
        expect(await stop(first)).toBe(0);
        rmSync(dir, { recursive: true, force: true });
      }
    },
    SLOW,
  );
});

describe('the PGlite data folder', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'tp-op-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it(
    'serves one collector: a second one refuses to start and the first keeps its data',
    async () => {
      const dataDir = join(dir, 'shared');
      const first = run({ TOUCHPOINT_DATA_DIR: dataDir });
      const url = await first.listening;
      const site = await adminCreateSite(url);
      const before = Array.from({ length: 5 }, (_, i) => wireEvent(`one-${i}`));
      expect((await postBatch(url, site, before)).status).toBe(202);

      const second = run({ TOUCHPOINT_DATA_DIR: dataDir });
      expect(await second.exited).toBe(1);
      expect(second.output()).toMatch(
        new RegExp(`in use by process ${first.proc.pid} .*one collector per PGlite folder`),
      );
      expect(second.output().trim().split('\n')).toHaveLength(1);

      // The first one never noticed: it still ingests, and its data reads back after a restart.
      expect((await postBatch(url, site, [wireEvent('one-5')])).status).toBe(202);
      expect(await stop(first)).toBe(0);
      const again = run({ TOUCHPOINT_DATA_DIR: dataDir });
      try {
        const replay = await postBatch(await again.listening, site, [
          ...before,
          wireEvent('one-5'),
        ]);
        expect(await replay.json()).toEqual({ accepted: 0, duplicates: 6 });
      } finally {
        expect(await stop(again)).toBe(0);
      }
    },
    SLOW,
  );

  it(
    'is taken over after its collector was killed (the lock of a dead process is stale)',
    async () => {
      const dataDir = join(dir, 'killed');
      const first = run({ TOUCHPOINT_DATA_DIR: dataDir });
      await first.listening;
      first.proc.kill('SIGKILL');
      await first.exited;
      expect(existsSync(join(dataDir, 'touchpoint.lock'))).toBe(true);
      const next = run({ TOUCHPOINT_DATA_DIR: dataDir });
      await next.listening;
      expect(await stop(next)).toBe(0);
      expect(existsSync(join(dataDir, 'touchpoint.lock'))).toBe(false);
    },
    SLOW,
  );

  it('is refused to a second store in the same process too', async () => {
    const dataDir = join(dir, 'in-process', 'data');
    const store = await openPGlite(dataDir);
    try {
      await expect(openPGlite(dataDir)).rejects.toBeInstanceOf(DataDirLocked);
      expect((await store.query('select 1 as one')).rows).toEqual([{ one: 1 }]);
    } finally {
      await store.close();
    }
    const reopened = await openPGlite(dataDir);
    await reopened.close();
    // Created private to the user running the collector: it holds personal data.
    expect((statSync(dataDir).mode & 0o777).toString(8)).toBe('700');
  });

  it('an existing folder readable by others is made private (it holds personal data)', async () => {
    const loose = join(dir, 'loose');
    mkdirSync(loose, { mode: 0o755 });
    const store = await openPGlite(loose);
    await store.close();
    expect((statSync(loose).mode & 0o777).toString(8)).toBe('700');
  });
});

describe('signals', () => {
  it(
    'SIGTERM while the demo site is being seeded: a clean stop (exit 0), then a normal start',
    async () => {
      const dataDir = mkdtempSync(join(tmpdir(), 'tp-op-'));
      try {
        const first = run({ TOUCHPOINT_DATA_DIR: dataDir, TOUCHPOINT_DEMO: '1' });
        await first.listening;
        first.proc.kill('SIGTERM'); // the demo seeding (hundreds of visitors) has just begun
        expect(await first.exited, first.output()).toBe(0);
        expect(first.output()).toContain('"msg":"stopped"');

        const second = run({ TOUCHPOINT_DATA_DIR: dataDir, TOUCHPOINT_DEMO: '1' });
        const url = await second.listening;
        await waitFor(() => /Secret key: +sk_/.test(second.output()), second.output);
        expect((await fetch(`${url}/readyz`)).status).toBe(200);
        expect(await stop(second)).toBe(0);
      } finally {
        rmSync(dataDir, { recursive: true, force: true });
      }
    },
    SLOW,
  );
});

describe.runIf(hasPostgres)('replicas starting together on one PostgreSQL', () => {
  it(
    'all come up with the demo on, and the demo site is seeded once',
    async () => {
      const db = await freshPgDatabase();
      const dirs = [0, 1, 2].map(() => mkdtempSync(join(tmpdir(), 'tp-op-')));
      const replicas = dirs.map((dataDir) =>
        run({ TOUCHPOINT_DATA_DIR: dataDir, DATABASE_URL: db.url, TOUCHPOINT_DEMO: '1' }),
      );
      try {
        for (const r of replicas) {
          await r.listening;
          await waitFor(() => /Public key: +pk_/.test(r.output()), r.output);
        }
        const keys = replicas.map((r) => /Public key: +(pk_\w+)/.exec(r.output())![1]);
        expect(new Set(keys).size).toBe(1);
        expect(replicas.filter((r) => r.output().includes('"demo data seeded"'))).toHaveLength(1);
        const c = new pg.Client({ connectionString: db.url });
        await c.connect();
        try {
          const { rows } = await c.query(
            `select count(*)::int as n from sites where site_id = 'site_demo'`,
          );
          expect(rows[0].n).toBe(1);
        } finally {
          await c.end();
        }
      } finally {
        const codes = await Promise.all(replicas.map(stop));
        await db.drop();
        for (const d of dirs) rmSync(d, { recursive: true, force: true });
        expect(codes).toEqual([0, 0, 0]);
      }
    },
    SLOW,
  );
});

async function waitFor(ok: () => boolean, output: () => string, ms = 60_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`timed out:\n${output()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

// The README's configuration table names exactly the variables the collector reads.
describe('README configuration table', () => {
  it('lists every variable of collector/config.ts, and no other, with their defaults', () => {
    const readme = readFileSync('README.md', 'utf8');
    const section = readme.slice(
      readme.indexOf('\n## Configuration'),
      readme.indexOf('\n## ', readme.indexOf('\n## Configuration') + 1),
    );
    const rows = new Map(
      [...section.matchAll(/^\| `([A-Z_]+)` +\| ([^|]+)\|/gm)].map((m) => [m[1]!, m[2]!.trim()]),
    );
    expect([...rows.keys()].sort()).toEqual([...KNOWN_VARIABLES].sort());
    // The defaults it states are the ones the code uses.
    const env = readEnv({}, '/srv/tp');
    expect(rows.get('PORT')).toBe(`\`${env.port}\``);
    for (const [name, limit] of [
      ['TOUCHPOINT_RATE_IP', env.config.rateLimits!.ip],
      ['TOUCHPOINT_RATE_SITE', env.config.rateLimits!.site],
    ] as const)
      expect(rows.get(name)).toBe(`\`${limit.perSecond}:${limit.burst}\``);
    expect(env.dataDir).toBe(
      `/srv/tp/${rows.get('TOUCHPOINT_DATA_DIR')!.replace(/`/g, '').replace(/\/$/, '')}`,
    );
    expect(env.config.distDir).toBe(
      `/srv/tp/${rows.get('TOUCHPOINT_DIST_DIR')!.replace(/`/g, '').replace(/\/$/, '')}`,
    );
    expect(rows.get('TOUCHPOINT_DEMO')).toBe(env.config.demo ? '`1`' : '`0`');
    expect(rows.get('TOUCHPOINT_TRUST_PROXY')).toBe(`\`${env.config.trustedProxies}\``);
  });
});
