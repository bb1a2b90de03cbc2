/**
 * PostgreSQL stopped under load (a private server, never the shared one): the collector answers
 * 503 problem+json while it is down and acknowledges nothing it did not commit; `/readyz` says
 * 503; when the server is back the collector recovers by itself (the pool reconnects).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../collector/app.ts';
import type { Log } from '../../collector/deps.ts';
import { buildDeps } from '../../collector/index.ts';
import { createSite } from '../../collector/sites/index.ts';
import { openStore, type Store } from '../../collector/store/index.ts';
import { ORIGIN, testConfig } from '../helpers/app.ts';
import { batchBody } from './child.ts';
import { canRunPrivatePostgres, type PrivatePostgres, startPrivatePostgres } from './private-pg.ts';

const OFF = { perSecond: 0, burst: 0 };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.skipIf(!canRunPrivatePostgres)('PostgreSQL restarted under load', () => {
  let pg: PrivatePostgres;
  let store: Store;
  let app: ReturnType<typeof createApp>;
  let publicKey: string;
  let siteId: string;
  const logged: { level: string; msg: string; error?: unknown }[] = [];
  const log: Log = {
    info: () => {},
    warn: (msg, f) => logged.push({ level: 'warn', msg, error: f?.error }),
    error: (msg, f) => logged.push({ level: 'error', msg, error: f?.error }),
  };

  beforeAll(async () => {
    pg = await startPrivatePostgres();
    store = await openStore({ databaseUrl: pg.url });
    app = createApp(
      buildDeps(store, { config: testConfig({ rateLimits: { site: OFF, ip: OFF } }), log }),
    );
    const site = await createSite(store, { name: 'Restart', allowedOrigins: [ORIGIN] });
    publicKey = site.publicKey;
    siteId = site.site.id;
  });
  afterAll(async () => {
    await store?.close();
    pg?.dispose();
  });

  const send = async (body: string) => {
    const res = await app.request('/v1/collect', {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: ORIGIN },
      body,
    });
    return {
      status: res.status,
      type: res.headers.get('content-type'),
      retry: res.headers.get('retry-after'),
      text: await res.text(),
    };
  };
  const ready = async () => (await app.request('/readyz')).status;

  it.each(['fast', 'immediate'] as const)(
    'stop -m %s: 503 while down, recovery without a restart, nothing acknowledged is lost',
    async (mode) => {
      const acked: string[][] = [];
      const refused: { ids: string[]; body: string }[] = [];
      const statuses = new Map<number, number>();
      let phase: 'up' | 'down' | 'back' = 'up';
      const downStatuses: number[] = [];
      let stop = false;
      const client = async (k: number) => {
        for (let seq = 0; !stop; seq++) {
          const b = batchBody(publicKey, `${mode}${k}-${seq}`, 5);
          const started = phase;
          const res = await send(b.body);
          statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
          if (res.status === 202) acked.push(b.ids);
          else {
            refused.push(b);
            expect(res.status, res.text).toBe(503);
            expect(res.type).toBe('application/problem+json');
            expect(Number(res.retry)).toBeGreaterThan(0);
          }
          if (started === 'down' && phase === 'down') downStatuses.push(res.status);
          if (phase === 'down') await sleep(20);
        }
      };
      const clients = Array.from({ length: 4 }, (_, k) => client(k));
      while (acked.length < 30) await sleep(5);

      pg.stop(mode); // under load: transactions are in flight right now
      phase = 'down';
      await sleep(800);
      expect(await ready()).toBe(503);
      const readyBody = await (await app.request('/readyz')).json();
      expect(readyBody.status).toBe('store unreachable');
      pg.start();
      phase = 'back';
      const deadline = Date.now() + 30_000;
      while ((await ready()) !== 200) {
        if (Date.now() > deadline) throw new Error('collector did not recover');
        await sleep(100);
      }
      const ackedBefore = acked.length;
      while (acked.length < ackedBefore + 20) await sleep(5); // accepting again, by itself
      stop = true;
      await Promise.all(clients);

      expect(downStatuses.length).toBeGreaterThan(0);
      expect(downStatuses.every((s) => s === 503)).toBe(true);
      expect(statuses.get(500)).toBeUndefined();
      // Every failure the store raised was recognised as "unavailable", none as a crash.
      expect(logged.filter((l) => l.level === 'error')).toEqual([]);

      for (const b of refused) expect((await send(b.body)).status).toBe(202);
      const { rows } = await store.query<{ event_id: string }>(
        'select event_id from events where site_id = $1 and event_id like $2',
        [siteId, `${mode}%`],
      );
      const stored = new Set(rows.map((r) => r.event_id));
      expect(stored.size).toBe(rows.length);
      expect(acked.flat().filter((id) => !stored.has(id))).toEqual([]);
      expect(rows.length).toBe(acked.flat().length + refused.flatMap((b) => b.ids).length);
    },
    60_000,
  );
});
