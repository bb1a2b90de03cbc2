import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSite } from '../../collector/sites/index.ts';
import { migrate, openPostgres, type Store } from '../../collector/store/index.ts';
import { event } from '../helpers/app.ts';
import { freshPgDatabase, hasPostgres } from '../helpers/stores.ts';

const ORIGIN = 'https://www.example.com';

/** Spawns `tsx collector/server.ts` on a free port; resolves with its URL once it listens. */
function spawnCollector(
  databaseUrl: string,
  dataDir: string,
): Promise<{ url: string; proc: ChildProcess }> {
  const proc = spawn(join(process.cwd(), 'node_modules/.bin/tsx'), ['collector/server.ts'], {
    env: {
      ...process.env,
      PORT: '0',
      DATABASE_URL: databaseUrl,
      TOUCHPOINT_DEMO: '0',
      TOUCHPOINT_DATA_DIR: dataDir,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`collector did not start: ${out}`)), 60_000);
    proc.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /"url":"http:\/\/localhost:(\d+)"/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ url: `http://127.0.0.1:${m[1]}`, proc });
      }
    });
    proc.stderr!.on('data', (d: Buffer) => {
      out += d.toString();
    });
    proc.on('exit', (code) => reject(new Error(`collector exited ${code}: ${out}`)));
  });
}

describe.runIf(hasPostgres)(
  'identity under concurrency: two collector processes on one PostgreSQL',
  () => {
    let store: Store;
    let drop: () => Promise<void>;
    let servers: { url: string; proc: ChildProcess }[] = [];
    let publicKey: string;
    const dataDir = mkdtempSync(join(tmpdir(), 'tp-conc-'));

    beforeAll(async () => {
      const db = await freshPgDatabase();
      drop = db.drop;
      store = openPostgres(db.url);
      await migrate(store);
      publicKey = (await createSite(store, { name: 'Concurrency', allowedOrigins: [ORIGIN] }))
        .publicKey;
      servers = await Promise.all([
        spawnCollector(db.url, dataDir),
        spawnCollector(db.url, dataDir),
      ]);
    }, 120_000);

    afterAll(async () => {
      for (const s of servers) s.proc.kill('SIGTERM');
      await Promise.all(
        servers.map(
          (s) => new Promise((r) => (s.proc.exitCode !== null ? r(null) : s.proc.on('exit', r))),
        ),
      );
      await store?.close();
      await drop?.();
      rmSync(dataDir, { recursive: true, force: true });
    }, 60_000);

    const collect = (i: number, events: ReturnType<typeof event>[]) =>
      fetch(`${servers[i % 2]!.url}/v1/collect`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: ORIGIN },
        body: JSON.stringify({ site: publicKey, sentAt: Date.now(), events }),
      });

    it('100 browsers identifying one new email at once make exactly one lead with 100 anonymous ids', async () => {
      const responses = await Promise.all(
        Array.from({ length: 100 }, (_, i) =>
          collect(i, [
            event({
              type: 'identify',
              anonymousId: `same-${i}`,
              traits: { email: i % 2 ? 'Same@Example.com' : 'same@example.com' },
            }),
          ]),
        ),
      );
      expect(responses.map((r) => r.status)).toEqual(Array(100).fill(202));
      const { rows: leads } = await store.query<{ lead_id: string }>(
        `select distinct lead_id from identities where kind = 'email' and value = 'same@example.com'`,
      );
      expect(leads).toHaveLength(1);
      const { rows } = await store.query<{ n: number; leads: number }>(
        `select count(distinct anonymous_id)::int as n, count(distinct lead_id)::int as leads
         from anonymous_links where anonymous_id like 'same-%'`,
      );
      expect(rows[0]).toEqual({ n: 100, leads: 1 });
      const { rows: all } = await store.query<{ n: number }>(
        'select count(*)::int as n from leads',
      );
      expect(all[0]!.n).toBe(1);
    }, 120_000);

    it('two emails identified at once on one browser never merge the two people', async () => {
      const pairs = 25;
      await Promise.all(
        Array.from({ length: pairs }, (_, p) => [
          collect(p, [
            event({
              type: 'identify',
              anonymousId: `dev-${p}`,
              traits: { email: `a${p}@pair.io` },
            }),
          ]),
          collect(p + 1, [
            event({
              type: 'identify',
              anonymousId: `dev-${p}`,
              traits: { email: `b${p}@pair.io` },
            }),
          ]),
        ]).flat(),
      );
      const { rows } = await store.query<{ lead_id: string; n: number }>(
        `select lead_id, count(*)::int as n from identities where value like '%@pair.io' group by lead_id`,
      );
      expect(rows).toHaveLength(pairs * 2);
      expect(rows.every((r) => r.n === 1)).toBe(true);
      const { rows: merged } = await store.query<{ n: number }>(
        'select count(*)::int as n from leads where merged_into is not null',
      );
      expect(merged[0]!.n).toBe(0);
      // Serialized on the browser's id: the second identify sees the first person's lead and
      // switches the browser to a new lead from its time on — neither link is lost.
      const { rows: links } = await store.query<{ anonymous_id: string; n: number }>(
        `select anonymous_id, count(distinct lead_id)::int as n from anonymous_links
        where anonymous_id like 'dev-%' group by anonymous_id`,
      );
      expect(links).toHaveLength(pairs);
      expect(links.every((l) => l.n === 2)).toBe(true);
    }, 120_000);
  },
);
