/** copyStore and `npm run copy-store`: a PGlite collector's data moved into PostgreSQL, row for row. */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../collector/app.ts';
import { DEMO_SITE_ID, ensureDemoSite } from '../../collector/demo.ts';
import { seedDemoData } from '../../collector/demo-data.ts';
import { silentLog } from '../../collector/deps.ts';
import { buildDeps } from '../../collector/index.ts';
import { CopyRefused, copyStore } from '../../collector/store/copy.ts';
import {
  migrate,
  openPGlite,
  openPostgres,
  type Queryable,
  type Store,
} from '../../collector/store/index.ts';
import { testClock, testConfig } from '../helpers/app.ts';
import { freshPgDatabase, hasPostgres } from '../helpers/stores.ts';

type Db = Awaited<ReturnType<typeof freshPgDatabase>>;

/** Rows the demo does not write, with values that break a careless copy. */
const EDGE_ROWS = [
  `insert into leads (site_id, lead_id, email, name, traits, score_total, score_fit, score_engagement,
                      created_at, updated_at)
   values ('site_demo', 'lead_edge', 'o''brien+"x"\\%_<script>@example.com', 'Nguyễn Thị Mai 🚀 ''; drop table leads; --',
           '{"tags": [["a", ["b", {"c": null}]], []], "n": 1.000, "big": 123456789012345678901234567890,
             "s": "quote\\" back\\\\slash\\n"}',
           0.1::float8 + 0.2::float8, 1e-310, -0.0, '2026-02-03 04:05:06.789012+00', now())`,
  `insert into anonymous_links (site_id, anonymous_id, valid_from, lead_id)
   values ('site_demo', 'anon_edge', '-infinity', 'lead_edge'),
          ('site_demo', 'anon_edge', '2026-02-03 04:05:06.000001+00', 'lead_edge')`,
  `insert into events (site_id, event_id, anonymous_id, type, name, ts, client_ts, received_at, skew_ms,
                       properties, traits, context)
   values ('site_demo', 'evt_edge', 'anon_edge', 'track', E'tab\\there\\u00e9', '2026-02-03 04:05:06.789012+00',
           '1970-01-01 00:00:00.000001+00', '2026-02-03 04:05:06.999999+00', 9007199254740993,
           '{"nested": [1, [2, [3, {"deep": ["x"]}]]], "e": 1e300}', null, '{"ủ": "ñ", "": ""}')`,
  // Derived columns are copied as they are, not recomputed by the target's triggers: one that
  // today's triggers would not derive (as an older collector's functions may have left it).
  `update leads set first_channel = 'email', first_session_at = '2026-02-03 04:05:06.789012+00'
    where lead_id = 'lead_edge'`,
  `insert into ip_salts (site_id, day, salt) values ('site_demo', '2026-02-03', '\\x00ff5c27')`,
  `insert into webhook_endpoints (site_id, endpoint_id, url, events, secret, created_at)
   values ('site_demo', 'ep_1', 'https://hooks.example.com/x?a=1&b=2', '{lead.created,"weird, \\"quoted\\"",NULL}',
           'whsec_x', now())`,
  `insert into webhook_events (site_id, event_id, type, data, created_at)
   values ('site_demo', 'we_1', 'lead.created', '{"lead": {"id": "lead_edge"}}', now())`,
  `insert into webhook_deliveries (site_id, delivery_id, endpoint_id, event_id, type, body, status,
                                   next_attempt_at, created_at)
   values ('site_demo', 'dl_1', 'ep_1', 'we_1', 'lead.created', '{"a":1}', 'pending', 'infinity', now())`,
  `insert into identity_audit (site_id, lead_id, action, detail, at)
   select 'site_demo', 'lead_edge', 'create', jsonb_build_object('i', g), now()
     from generate_series(1, 5) g`,
];

/** Every table's row count and a digest of its rows in key order, read the same way on any store. */
async function fingerprint(store: Store): Promise<Record<string, string>> {
  return store.transaction(async (tx: Queryable) => {
    // Text output of timestamps depends on the session: the same settings on both sides.
    await tx.query(`set local timezone = 'UTC'`);
    await tx.query(`set local datestyle = 'ISO, MDY'`);
    const { rows: tables } = await tx.query<{ name: string; key: string }>(
      `select c.table_name as name, string_agg(k.column_name, ', ' order by k.ordinal_position) as key
         from information_schema.table_constraints c
         join information_schema.key_column_usage k using (constraint_schema, constraint_name, table_name)
        where c.constraint_type = 'PRIMARY KEY' and c.table_schema = current_schema()
          and c.table_name <> 'schema_migrations'
        group by c.table_name order by 1`,
    );
    const out: Record<string, string> = {};
    for (const t of tables) {
      const { rows } = await tx.query<{ n: number; md5: string }>(
        `select count(*)::int as n, md5(coalesce(string_agg(t::text, '|' order by ${t.key}), '')) as md5
           from ${t.name} t`,
      );
      out[t.name] = `${rows[0]!.n} rows, ${rows[0]!.md5}`;
    }
    return out;
  });
}

/** The collector app on `store`, reading with the demo site's secret key. */
function api(store: Store, secretKey: string, clock: () => Date) {
  const app = createApp(buildDeps(store, { config: testConfig(), log: silentLog, clock }));
  return async (path: string, init: RequestInit = {}) => {
    const res = await app.request(path, {
      ...init,
      headers: { authorization: `Bearer ${secretKey}`, 'content-type': 'application/json' },
    });
    expect(res.status, path).toBe(200);
    return res.json();
  };
}

/** `collector/copy-store.ts` as a child process (the tsx loader, as `npm run copy-store` runs it). */
function runCli(args: string[], dataDir: string) {
  return new Promise<{ code: number; out: string }>((resolve) => {
    const env: NodeJS.ProcessEnv = { ...process.env, TOUCHPOINT_DATA_DIR: dataDir };
    delete env.DATABASE_URL;
    execFile(
      process.execPath,
      ['--import', 'tsx', join('collector', 'copy-store.ts'), ...args],
      { env, timeout: 120_000 },
      (err, stdout, stderr) => {
        const code = err ? ((err as { code?: number }).code ?? 1) : 0;
        resolve({ code: typeof code === 'number' ? code : 1, out: stdout + stderr });
      },
    );
  });
}

describe.skipIf(!hasPostgres)('copying a PGlite store into PostgreSQL', () => {
  const clock = testClock(Date.parse('2026-03-01T09:00:00Z'));
  const dir = mkdtempSync(join(tmpdir(), 'tp-copy-'));
  const dbs: Db[] = [];
  const stores: Store[] = [];
  let source: Store;
  let target: Store;
  let secretKey: string;
  let before: Record<string, string>;

  /** A migrated, empty PostgreSQL store, dropped after the suite. */
  async function freshTarget(): Promise<{ store: Store; db: Db }> {
    const db = await freshPgDatabase();
    dbs.push(db);
    const store = openPostgres(db.url);
    stores.push(store);
    await migrate(store);
    return { store, db };
  }

  beforeAll(async () => {
    source = await openPGlite(dir);
    await migrate(source);
    ({ secretKey } = await ensureDemoSite(source, dir, 8787));
    expect((await seedDemoData({ store: source, clock }, DEMO_SITE_ID)).seeded).toBe(true);
    for (const sql of EDGE_ROWS) await source.query(sql);
    before = await fingerprint(source);
    ({ store: target } = await freshTarget());
  });

  afterAll(async () => {
    await source?.close();
    await Promise.all(stores.map((s) => s.close()));
    for (const db of dbs) await db.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('copies every table row for row, in keyset pages', async () => {
    // Small pages: ~40 pages of events, keys across the '-infinity' link and composite keys.
    const copied = await copyStore(source, target, { batchRows: 97 });
    const after = await fingerprint(target);
    expect(after).toEqual(before);
    expect(copied.tables.map((t) => t.table).sort()).toEqual(Object.keys(before));
    for (const t of copied.tables) expect(before[t.table]).toMatch(new RegExp(`^${t.rows} rows`));
    for (const t of ['events', 'stage_history', 'funnel_stays', 'identity_audit', 'ip_salts'])
      expect(before[t], t).not.toMatch(/^0 rows/);
    // Parents before the tables that reference them.
    const order = copied.tables.map((t) => t.table);
    expect(order.indexOf('webhook_events')).toBeLessThan(order.indexOf('webhook_deliveries'));
    expect(order.indexOf('sites')).toBeLessThan(order.indexOf('site_keys'));
    // The triggers are back on.
    const { rows } = await target.query<{ n: number }>(
      `select count(*)::int as n from pg_trigger where not tgisinternal and tgenabled <> 'O'`,
    );
    expect(rows[0]!.n).toBe(0);
    const { rows: edge } = await target.query<{ valid_from: string; skew: string }>(
      `select valid_from::text, (select skew_ms::text from events where event_id = 'evt_edge') as skew
         from anonymous_links where anonymous_id = 'anon_edge' order by valid_from limit 1`,
    );
    expect(edge[0]).toEqual({ valid_from: '-infinity', skew: '9007199254740993' });
  });

  it('answers the API the same on the copy: leads, a lead and its timeline, search, the funnel', async () => {
    const a = api(source, secretKey, clock);
    const b = api(target, secretKey, clock);
    const { rows } = await source.query<{ lead_id: string }>(
      `select lead_id from leads l where site_id = $1 and merged_into is null
          and exists (select 1 from stage_history x where x.site_id = l.site_id and x.lead_id = l.lead_id)
        order by (select count(*) from stage_history x where x.site_id = l.site_id and x.lead_id = l.lead_id) desc,
                 lead_id limit 1`,
      [DEMO_SITE_ID],
    );
    const id = rows[0]!.lead_id;
    for (const path of [
      '/v1/leads?limit=100',
      '/v1/leads?sort=-score&limit=20',
      `/v1/leads/${id}`,
      `/v1/leads/${id}/timeline`,
      '/v1/leads?q=nguyen%20thi%20mai',
      '/v1/reports/funnel?from=2026-01-15&to=2026-02-28&by=channel',
    ])
      expect(await b(path), path).toEqual(await a(path));
    // Not two empty answers agreeing.
    expect(((await b('/v1/leads?limit=100')) as { data: unknown[] }).data).toHaveLength(100);
    const found = (await b('/v1/leads?q=nguyen%20thi%20mai')) as { data: { id: string }[] };
    expect(found.data.map((l) => l.id)).toContain('lead_edge');
  });

  it('continues identity columns after the copied rows', async () => {
    const max = async (sql: string) => Number((await target.query<{ m: string }>(sql)).rows[0]!.m);
    const seq = await max('select max(seq)::text as m from stage_history');
    const audit = await max('select max(audit_id)::text as m from identity_audit');
    const moved = (await api(
      target,
      secretKey,
      clock,
    )('/v1/leads/lead_edge/stage', {
      method: 'POST',
      body: JSON.stringify({ stage: 'mql' }),
    })) as { moved: boolean };
    expect(moved.moved).toBe(true);
    expect(
      await max(`select max(seq)::text as m from stage_history where lead_id = 'lead_edge'`),
    ).toBe(seq + 1);
    await target.query(
      `insert into identity_audit (site_id, lead_id, action, at) values ('site_demo', 'lead_edge', 'link', now())`,
    );
    expect(await max('select max(audit_id)::text as m from identity_audit')).toBe(audit + 1);
    // The triggers were on for that move: its stay is in funnel_stays.
    const { rows } = await target.query(
      `select 1 from funnel_stays where lead_id = 'lead_edge' and stage = 'mql'`,
    );
    expect(rows).toHaveLength(1);
  });

  it('refuses a target that holds data, and writes nothing', async () => {
    const now = await fingerprint(target);
    await expect(copyStore(source, target)).rejects.toThrow(CopyRefused);
    await expect(copyStore(source, target)).rejects.toThrow(/not empty \(rows in .*events/);
    expect(await fingerprint(target)).toEqual(now);
  });

  it('refuses a target at another migration version', async () => {
    const { store } = await freshTarget();
    await store.query(
      'delete from schema_migrations where version = (select max(version) from schema_migrations)',
    );
    await expect(copyStore(source, store)).rejects.toThrow(/different migration versions/);
  });

  it('leaves the target empty, triggers on, when the copy fails half way', async () => {
    const { store } = await freshTarget();
    const failing: Store = {
      ...store,
      transaction: (fn, opts) =>
        store.transaction(
          (tx) =>
            fn({
              query: (sql, params) =>
                /^insert into public\.visitors/.test(sql)
                  ? Promise.reject(new Error('disk full'))
                  : tx.query(sql, params),
            }),
          opts,
        ),
    };
    await expect(copyStore(source, failing, { batchRows: 500 })).rejects.toThrow('disk full');
    const empty = await fingerprint(store);
    for (const [table, fp] of Object.entries(empty)) expect(fp, table).toMatch(/^0 rows/);
    const { rows } = await store.query<{ n: number }>(
      `select count(*)::int as n from pg_trigger where not tgisinternal and tgenabled = 'D'`,
    );
    expect(rows[0]!.n).toBe(0);
  });

  it('runs as a command: refuses while the collector holds the folder, then copies', async () => {
    const { db } = await freshTarget();
    const url = new URL(db.url);
    url.password = 's3cret-pw'; // trust auth ignores it; the output must not show it
    const locked = await runCli(['--to', url.toString()], dir);
    expect(locked.code, locked.out).toBe(1);
    expect(locked.out).toMatch(/stop the collector first/);

    // Reads on the source since the first copy scored the hand-made lead: its state as it is now.
    const now = await fingerprint(source);
    await source.close();
    const run = await runCli(['--to', url.toString()], dir);
    expect(run.code, run.out).toBe(0);
    expect(run.out).not.toContain('s3cret-pw');
    expect(run.out).toContain(':***@');
    const rows = (table: string) => Number(now[table]!.split(' ')[0]);
    expect(run.out).toMatch(new RegExp(`events\\s+${rows('events')} rows`));
    const total = Object.keys(now).reduce((n, t) => n + rows(t), 0);
    expect(run.out).toMatch(
      new RegExp(`copied ${total} rows in ${Object.keys(now).length} tables`),
    );
    const copy = openPostgres(db.url);
    stores.push(copy);
    expect(await fingerprint(copy)).toEqual(now);

    const usage = await runCli([], dir);
    expect(usage.code, usage.out).toBe(2);
    expect(usage.out).toMatch(/--to is required/);
  });
});
