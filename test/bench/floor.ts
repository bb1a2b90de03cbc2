/**
 * The durable floor: the least any collector must do before it may answer "202 accepted" under
 * the contract's promise (DESIGN §4: only after the events are durably committed, with duplicates
 * counted). It is the bare handler plus one group-committed insert of the raw events, deduplicated
 * by id, into the same kind of store as the collector — no validation, no sessions, no identity,
 * no scoring. Its rate is the ceiling of every design that keeps that promise on this machine, so
 * the bench shows how much of the gap to the bare handler is the commit itself and how much is
 * the collector's own work.
 *
 * `FLOOR_STORE=postgres` (with `DATABASE_URL`) or `pglite` (with `FLOOR_DATA_DIR`, in process).
 */
import type { AddressInfo } from 'node:net';
import { PGlite } from '@electric-sql/pglite';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import pg from 'pg';

interface Query {
  query<R>(sql: string, params?: unknown[]): Promise<{ rows: R[] }>;
}

const store = process.env.FLOOR_STORE;
let db: Query;
if (store === 'postgres') {
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  db = client as unknown as Query;
} else {
  db = (await PGlite.create(process.env.FLOOR_DATA_DIR)) as unknown as Query;
}
await db.query(
  'create table if not exists floor_events (site text, id text, body jsonb, primary key (site, id))',
);

interface Waiting {
  site: string;
  events: { id: string }[];
  resolve: (fresh: number) => void;
  reject: (e: unknown) => void;
}

let pending: Waiting[] = [];
let running = false;

/** Commits what is pending in one transaction, again and again while more arrives meanwhile. */
async function drain(): Promise<void> {
  if (running) return;
  running = true;
  while (pending.length) {
    const group = pending;
    pending = [];
    const sites: string[] = [];
    const ids: string[] = [];
    const bodies: string[] = [];
    for (const w of group)
      for (const e of w.events) {
        sites.push(w.site);
        ids.push(e.id);
        bodies.push(JSON.stringify(e));
      }
    try {
      await db.query('begin');
      const { rows } = await db.query<{ id: string }>(
        `insert into floor_events select * from unnest($1::text[], $2::text[], $3::jsonb[])
         on conflict do nothing returning id`,
        [sites, ids, bodies],
      );
      await db.query('commit');
      const fresh = new Set(rows.map((r) => r.id));
      for (const w of group) w.resolve(w.events.filter((e) => fresh.has(e.id)).length);
    } catch (e) {
      await db.query('rollback').catch(() => {});
      for (const w of group) w.reject(e);
    }
  }
  running = false;
}

const app = new Hono();
app.post('/v1/collect', async (c) => {
  const body = (await c.req.json()) as { site: string; events: { id: string }[] };
  const accepted = await new Promise<number>((resolve, reject) => {
    pending.push({ site: body.site, events: body.events, resolve, reject });
    setImmediate(drain);
  });
  return c.json({ accepted, duplicates: body.events.length - accepted }, 202);
});

serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info: AddressInfo) => {
  console.log(JSON.stringify({ msg: 'collector listening', url: `http://127.0.0.1:${info.port}` }));
});
process.on('SIGTERM', () => process.exit(0));
