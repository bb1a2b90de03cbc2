/**
 * Durability: committed events survive a restart, SIGTERM during a burst loses no acknowledged
 * event, and two collectors on one PostgreSQL store each event exactly once.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate, openPostgres, openStore, type Store } from '../../collector/store/index.ts';
import { migrationFiles } from '../../collector/store/migrate.ts';
import { event, harness } from '../helpers/app.ts';
import { freshPgDatabase, hasPostgres } from '../helpers/stores.ts';
import { adminCreateSite, postBatch, type Spawned, spawnCollector, wireEvent } from './spawned.ts';

/** Starting node, tsx and a database in a child process takes seconds; on a loaded CI box, more. */
const SLOW = 120_000;

interface Place {
  name: string;
  dataDir: string;
  databaseUrl?: string;
  cleanup(): Promise<void>;
}

/** Where data lives: a PGlite folder, or a fresh PostgreSQL database (plus a folder for keys). */
const places: { name: string; make(): Promise<Place> }[] = [
  {
    name: 'pglite',
    async make() {
      const dataDir = mkdtempSync(join(tmpdir(), 'tp-durable-'));
      return {
        name: 'pglite',
        dataDir,
        cleanup: async () => rmSync(dataDir, { recursive: true, force: true }),
      };
    },
  },
  ...(hasPostgres
    ? [
        {
          name: 'postgres',
          async make(): Promise<Place> {
            const dataDir = mkdtempSync(join(tmpdir(), 'tp-durable-'));
            const db = await freshPgDatabase();
            return {
              name: 'postgres',
              dataDir,
              databaseUrl: db.url,
              cleanup: async () => {
                await db.drop();
                rmSync(dataDir, { recursive: true, force: true });
              },
            };
          },
        },
      ]
    : []),
];

const stored = async (store: Store, ids: string[]) => {
  const { rows } = await store.query<{ n: number; distinct_n: number }>(
    `select count(*)::int as n, count(distinct event_id)::int as distinct_n
       from events where event_id = any($1::text[])`,
    [ids],
  );
  return rows[0]!;
};

describe.each(places)('durability on $name', (p) => {
  let place: Place;
  beforeAll(async () => {
    place = await p.make();
  });
  afterAll(() => place.cleanup());

  it(
    'keeps committed events across a restart of the store',
    async () => {
      const open = () => openStore({ dataDir: place.dataDir, databaseUrl: place.databaseUrl });
      const first = await open();
      const h = await harness(first);
      const events = Array.from({ length: 25 }, () => event({ anonymousId: 'restart' }));
      const res = await h.collect(events);
      expect(res.status).toBe(202);
      await first.close();

      const second = await open();
      try {
        expect(
          await stored(
            second,
            events.map((e) => e.id),
          ),
        ).toEqual({ n: 25, distinct_n: 25 });
        // The same data, the same keys: a replay to the reopened collector is all duplicates.
        const again = await harness(second);
        const replay = await again.app.request('/v1/collect', {
          method: 'POST',
          headers: { 'content-type': 'application/json', origin: 'https://www.example.com' },
          body: JSON.stringify({ site: h.site.publicKey, sentAt: Date.now(), events }),
        });
        expect(await replay.json()).toEqual({ accepted: 0, duplicates: 25 });
      } finally {
        await second.close();
      }
    },
    SLOW,
  );

  it(
    'loses no acknowledged event when SIGTERM arrives during a burst',
    async () => {
      const server = await spawnCollector(place);
      const site = await adminCreateSite(server.url);
      const acked: string[][] = [];
      const statuses = new Map<number, number>();
      let ackedAfterSignal = 0;
      let signalled = false;
      let gone = false;
      void server.exited.then(() => {
        gone = true;
      });

      const client = async (c: number) => {
        for (let i = 0; !gone; i++) {
          const ids = Array.from({ length: 5 }, (_, k) => `c${c}-${i}-${k}`);
          try {
            const res = await postBatch(
              server.url,
              site,
              ids.map((id) => wireEvent(id)),
            );
            statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
            if (res.status === 202) {
              const body = (await res.json()) as { accepted: number };
              expect(body.accepted).toBe(5);
              acked.push(ids);
              if (signalled) ackedAfterSignal++;
            } else await res.body?.cancel();
          } catch {
            // Refused or reset once the server stops listening: not acknowledged, nothing to check.
            await new Promise((r) => setTimeout(r, 5));
          }
          if (!signalled && acked.length >= 60) {
            signalled = true;
            server.proc.kill('SIGTERM');
          }
        }
      };
      await Promise.all(Array.from({ length: 8 }, (_, c) => client(c)));
      expect(await server.exited).toBe(0);
      expect(server.output()).toContain('"msg":"stopped"');
      // Nothing but acknowledgements and "come back later": never a 500.
      for (const status of statuses.keys()) expect([202, 503]).toContain(status);
      expect(acked.length).toBeGreaterThanOrEqual(60);

      // Restart the real server on the same data: every acknowledged batch is a known duplicate.
      const again: Spawned = await spawnCollector(place);
      try {
        for (let i = 0; i < acked.length; i += 20) {
          const results = await Promise.all(
            acked.slice(i, i + 20).map(async (ids) => {
              const res = await postBatch(
                again.url,
                site,
                ids.map((id) => wireEvent(id)),
              );
              return (await res.json()) as { accepted: number; duplicates: number };
            }),
          );
          for (const r of results) expect(r).toEqual({ accepted: 0, duplicates: 5 });
        }
      } finally {
        again.proc.kill('SIGTERM');
        expect(await again.exited).toBe(0);
      }
      const store = await openStore(place);
      try {
        const ids = acked.flat();
        expect(await stored(store, ids)).toEqual({ n: ids.length, distinct_n: ids.length });
      } finally {
        await store.close();
      }
      // How much of the burst was answered during shutdown (informational: depends on timing).
      console.info(
        `[${p.name}] acknowledged ${acked.length} batches, ${ackedAfterSignal} after SIGTERM`,
      );
    },
    SLOW,
  );
});

describe.runIf(hasPostgres)('two collectors on one PostgreSQL', () => {
  it(
    'migrates safely when several processes start at once',
    async () => {
      const db = await freshPgDatabase();
      const stores = [openPostgres(db.url), openPostgres(db.url), openPostgres(db.url)];
      try {
        const applied = await Promise.all(stores.map((s) => migrate(s)));
        const all = migrationFiles().map((m) => m.version);
        // Each migration ran exactly once, in one of the processes.
        expect(applied.flat().sort()).toEqual(all);
        const { rows } = await stores[0]!.query<{ version: string }>(
          'select version from schema_migrations order by version',
        );
        expect(rows.map((r) => r.version)).toEqual(all);
      } finally {
        await Promise.all(stores.map((s) => s.close()));
        await db.drop();
      }
    },
    SLOW,
  );

  it(
    'stores each event exactly once when both ingest the same events concurrently',
    async () => {
      const db = await freshPgDatabase();
      const dirs = [0, 1].map(() => mkdtempSync(join(tmpdir(), 'tp-twin-')));
      // Both start on the empty database at the same moment: both migrate.
      const [a, b] = await Promise.all(
        dirs.map((dataDir) => spawnCollector({ dataDir, databaseUrl: db.url })),
      );
      try {
        const site = await adminCreateSite(a!.url);
        const batches = Array.from({ length: 40 }, (_, i) =>
          Array.from({ length: 10 }, (_, k) => wireEvent(`t${i % 7}-${i}-${k}`)),
        );
        let accepted = 0;
        let duplicates = 0;
        for (let i = 0; i < batches.length; i += 8) {
          const wave = batches.slice(i, i + 8);
          const results = await Promise.all(
            wave.flatMap((events) =>
              // The second copy goes out reversed: the two processes lock rows in opposite orders.
              [postBatch(a!.url, site, events), postBatch(b!.url, site, [...events].reverse())].map(
                async (r) => {
                  const res = await r;
                  expect(res.status).toBe(202);
                  return (await res.json()) as { accepted: number; duplicates: number };
                },
              ),
            ),
          );
          for (const r of results) {
            accepted += r.accepted;
            duplicates += r.duplicates;
          }
        }
        expect({ accepted, duplicates }).toEqual({ accepted: 400, duplicates: 400 });
        const store = openPostgres(db.url);
        try {
          const { rows } = await store.query<{ n: number; distinct_n: number }>(
            'select count(*)::int as n, count(distinct event_id)::int as distinct_n from events',
          );
          expect(rows[0]).toEqual({ n: 400, distinct_n: 400 });
          const visitors = await store.query('select 1 from visitors');
          expect(visitors.rowCount).toBe(7);
        } finally {
          await store.close();
        }
      } finally {
        for (const s of [a, b]) s?.proc.kill('SIGTERM');
        await Promise.all([a?.exited, b?.exited]);
        await db.drop();
        for (const d of dirs) rmSync(d, { recursive: true, force: true });
      }
    },
    SLOW,
  );
});
