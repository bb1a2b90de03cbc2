/**
 * SIGKILL the real collector in the middle of a burst from several clients, restart it, resend
 * what was not acknowledged (and some of what was): every acknowledged event is there, every
 * event is stored exactly once. On PGlite (data folder) and PostgreSQL.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openPGlite, openPostgres, type Store } from '../../collector/store/index.ts';
import { freshPgDatabase, hasPostgres } from '../helpers/stores.ts';
import { batchBody, type Child, createSiteVia, post, startChild } from './child.ts';

const CLIENTS = 6;
const EVENTS_PER_BATCH = 5;
const NO_LIMITS = { TOUCHPOINT_RATE_SITE: '0', TOUCHPOINT_RATE_IP: '0' };

interface Backend {
  name: string;
  setup(): Promise<{
    env: Record<string, string>;
    open: () => Promise<Store>;
    cleanup: () => Promise<void>;
  }>;
}

const backends: Backend[] = [
  {
    name: 'pglite',
    async setup() {
      const dir = mkdtempSync(join(tmpdir(), 'tp-crash-'));
      return {
        env: { TOUCHPOINT_DATA_DIR: dir },
        open: () => openPGlite(dir),
        cleanup: async () => rmSync(dir, { recursive: true, force: true }),
      };
    },
  },
  ...(hasPostgres
    ? [
        {
          name: 'postgres',
          async setup() {
            const db = await freshPgDatabase();
            return {
              env: {
                DATABASE_URL: db.url,
                TOUCHPOINT_DATA_DIR: mkdtempSync(join(tmpdir(), 'tp-crash-')),
              },
              open: async () => openPostgres(db.url),
              cleanup: db.drop,
            };
          },
        },
      ]
    : []),
];

type Batch = { ids: string[]; body: string };

describe.each(backends)('SIGKILL during a burst on $name', (backend) => {
  it('keeps every acknowledged event and stores every event exactly once', async () => {
    const { env, open, cleanup } = await backend.setup();
    let child: Child | undefined;
    try {
      child = await startChild({ ...env, ...NO_LIMITS });
      const site = await createSiteVia(child.url);
      const headers = { origin: 'https://crash.example' };
      const acked: Batch[] = [];
      const unacked: Batch[] = [];
      let stop = false;
      const target = child.url;
      const client = async (k: number) => {
        for (let seq = 0; !stop; seq++) {
          const b = batchBody(site.publicKey, `c${k}-${seq}`, EVENTS_PER_BATCH);
          const res = await post(`${target}/v1/collect`, b.body, headers, 5_000);
          if (res.status === 202) acked.push(b);
          else unacked.push(b);
        }
      };
      const clients = Array.from({ length: CLIENTS }, (_, k) => client(k));
      // Kill once the burst is well under way: requests are in flight at that moment.
      while (acked.length < 60) await new Promise((r) => setTimeout(r, 5));
      await child.kill('SIGKILL');
      stop = true;
      await Promise.all(clients);
      expect(unacked.length).toBeGreaterThan(0); // some requests were cut off by the kill

      child = await startChild({ ...env, ...NO_LIMITS });
      const resend = [...unacked, ...acked.filter((_, i) => i % 3 === 0)];
      const url = child.url;
      const resendOne = async (b: Batch) => {
        let res = await post(`${url}/v1/collect`, b.body, headers);
        for (let i = 0; i < 5 && res.status !== 202; i++) {
          await new Promise((r) => setTimeout(r, 200));
          res = await post(`${url}/v1/collect`, b.body, headers);
        }
        expect(res.status, res.body).toBe(202);
      };
      // Several clients resend at once, as real tags would after an outage.
      for (let i = 0; i < resend.length; i += CLIENTS)
        await Promise.all(resend.slice(i, i + CLIENTS).map(resendOne));
      await child.kill('SIGTERM');
      child = undefined;

      const store = await open();
      try {
        const { rows } = await store.query<{ event_id: string }>(
          'select event_id from events where site_id = $1',
          [site.site.id],
        );
        const stored = rows.map((r) => r.event_id);
        const sent = [...acked, ...unacked].flatMap((b) => b.ids);
        expect(new Set(stored).size).toBe(stored.length); // exactly once
        expect(stored.length).toBe(sent.length); // everything, after the resend
        const have = new Set(stored);
        expect(acked.flatMap((b) => b.ids).filter((id) => !have.has(id))).toEqual([]);
      } finally {
        await store.close();
      }
    } finally {
      await child?.kill('SIGKILL');
      await cleanup();
    }
  }, 90_000);
});
