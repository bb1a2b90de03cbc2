/**
 * Moving a collector's data from one store to another (PGlite → PostgreSQL when a site outgrows
 * the embedded database): every table, row for row, into an empty database at the same
 * migration version, in one transaction on the target.
 */
import {
  ident,
  MIGRATIONS_TABLE,
  readTables,
  readVersions,
  type TableInfo,
} from './copy-catalog.ts';
import type { Queryable, Store } from './types.ts';

/**
 * Rows per page: a few MB of JSON for events, at most two pages in memory at a time. 1M events
 * from PGlite into PostgreSQL: 41k rows/s, JS heap 22–84 MB throughout (500 rows: 31k/s; 2,000
 * rows: 51k/s and 5,000 rows: 58k/s on 200k).
 */
export const DEFAULT_BATCH_ROWS = 5_000;

/** A progress line every this many rows of one table. */
const PROGRESS_ROWS = 100_000;

export interface CopyOptions {
  /** Progress: a line per table copied, and every {@link PROGRESS_ROWS} rows of a large one. */
  log?: { info(msg: string, fields?: Record<string, unknown>): void };
  /** Rows per page read and written (default {@link DEFAULT_BATCH_ROWS}). */
  batchRows?: number;
}

/** What was copied: each table's rows and time, parents first, and the whole run's. */
export interface CopyResult {
  tables: { table: string; rows: number; ms: number }[];
  rows: number;
  ms: number;
}

/** The copy cannot start: the target holds data or its schema differs. Nothing was written. */
export class CopyRefused extends Error {
  override name = 'CopyRefused';
}

/**
 * Copies every table of `from` into `to`, both migrated to the same version, `to` empty (only
 * `schema_migrations` rows); throws {@link CopyRefused} otherwise. The tables and their keys come
 * from the catalog. Each is read in keyset pages over its primary key, from one snapshot of
 * `from`, and written in one transaction on `to`, so a failure leaves `to` empty. Rows are
 * written as they are: the target's triggers (funnel_stays, first channels, origin_lead_id) are
 * off while it runs, since what they derive is among the rows copied; identity columns then
 * continue after the source's counters.
 *
 * @example const { rows } = await copyStore(await openPGlite('.touchpoint'), openPostgres(url));
 */
export async function copyStore(
  from: Store,
  to: Store,
  opts: CopyOptions = {},
): Promise<CopyResult> {
  const started = performance.now();
  const batch = opts.batchRows ?? DEFAULT_BATCH_ROWS;
  if (!Number.isInteger(batch) || batch < 1) throw new RangeError('batchRows: a positive integer');
  const tables = await sameSchema(from, to);
  const copied = await from.transaction(
    (src) =>
      to.transaction(
        async (dst) => {
          await lockEmpty(dst, tables);
          await setTriggers(dst, tables, false);
          const out: CopyResult['tables'] = [];
          for (const t of tables) out.push(await copyTable(src, dst, t, batch, opts.log));
          await continueIdentities(src, dst, tables);
          await setTriggers(dst, tables, true);
          return out;
        },
        // One attempt: a conflict means something else writes the target, which is worth an error.
        { retry: false },
      ),
    { snapshot: true, retry: false },
  );
  return {
    tables: copied,
    rows: copied.reduce((n, t) => n + t.rows, 0),
    ms: Math.round(performance.now() - started),
  };
}

/** The target's tables, once both sides have applied the same migrations and have the same tables. */
async function sameSchema(from: Store, to: Store): Promise<TableInfo[]> {
  const [a, b] = await Promise.all([readVersions(from), readVersions(to)]);
  const last = (v: string[]) => v.at(-1) ?? 'none';
  if (a.length === 0) throw new CopyRefused('the source is not migrated (no schema_migrations)');
  if (a.join() !== b.join()) {
    const only = (x: string[], y: string[]) => x.filter((v) => !y.includes(v)).join(', ') || '-';
    throw new CopyRefused(
      `the source and the target are at different migration versions (source ${last(a)}, ` +
        `target ${last(b)}; only in source: ${only(a, b)}; only in target: ${only(b, a)}): ` +
        'migrate both with the same collector version first',
    );
  }
  const [src, dst] = await Promise.all([readTables(from), readTables(to)]);
  const shape = (ts: TableInfo[]) =>
    new Map(ts.map((t) => [t.name, JSON.stringify([t.key, t.columns])]));
  const want = shape(src);
  const have = shape(dst);
  const differ = [...new Set([...want.keys(), ...have.keys()])].filter(
    (n) => want.get(n) !== have.get(n),
  );
  if (differ.length > 0)
    throw new CopyRefused(
      `the source and the target differ in table(s) ${differ.join(', ')} although their ` +
        'migrations agree (changed by hand?)',
    );
  const keyless = dst.filter((t) => t.key.length === 0).map((t) => t.name);
  if (keyless.length > 0)
    throw new CopyRefused(`no primary key to page over in table(s) ${keyless.join(', ')}`);
  return dst;
}

/**
 * Locks every target table against writes (readers still read) until the copy commits, then
 * checks they are empty: a collector started on the target meanwhile waits instead of mixing
 * its rows in.
 */
async function lockEmpty(dst: Queryable, tables: TableInfo[]): Promise<void> {
  await dst.query(`lock table ${tables.map((t) => t.sql).join(', ')} in exclusive mode`);
  const { rows } = await dst.query<{ name: string }>(
    tables
      .map((t, i) => `select $${i + 1}::text as name where exists (select 1 from ${t.sql})`)
      .join(' union all '),
    tables.map((t) => t.name),
  );
  if (rows.length > 0)
    throw new CopyRefused(
      `the target is not empty (rows in ${rows.map((r) => r.name).join(', ')}); ` +
        `copy into a database that only has the schema (${MIGRATIONS_TABLE})`,
    );
}

/**
 * Turns the target's user triggers off, or back on as each was (`enable always`/`replica` kept).
 * Left on, they would recompute derived columns that the copy brings as the source has them
 * (an older collector may have derived them otherwise), and rebuild stays on every page.
 * `alter table … disable trigger` needs only ownership of the table, where
 * `session_replication_role` needs a superuser. Inside the transaction: a failed copy rolls the
 * change back with the rows. Foreign keys stay checked (their triggers are internal).
 */
async function setTriggers(dst: Queryable, tables: TableInfo[], on: boolean): Promise<void> {
  const enable: Record<string, string> = { A: 'enable always', R: 'enable replica' };
  for (const t of tables)
    for (const tr of t.triggers)
      await dst.query(
        `alter table ${t.sql} ${on ? (enable[tr.enabled] ?? 'enable') : 'disable'} trigger ${ident(tr.name)}`,
      );
}

/** One page read from the source: its rows as JSON text (never parsed here) and its last key. */
interface Page {
  n: number;
  rows: string;
  /** The last row's key as text, one value per key column. */
  last: string[];
}

/** Copies one table page by page, reading the next page while the current one is written. */
async function copyTable(
  src: Queryable,
  dst: Queryable,
  t: TableInfo,
  batch: number,
  log: CopyOptions['log'],
): Promise<CopyResult['tables'][number]> {
  const started = performance.now();
  const cols = t.columns.join(', ');
  // Identity values are copied as they are; the sequences are moved past them afterwards.
  const insert =
    `insert into ${t.sql} (${cols}) ${t.identity.length > 0 ? 'overriding system value ' : ''}` +
    `select ${cols} from json_populate_recordset(null::${t.sql}, $1::json)`;
  let rows = 0;
  let next = readPage(src, t, batch, null);
  for (;;) {
    const page = await next;
    if (page.n === 0) break;
    next =
      page.n < batch
        ? Promise.resolve({ n: 0, rows: '[]', last: [] })
        : readPage(src, t, batch, page.last);
    // Awaited on the next turn; a write failing first must not leave it rejected unheard.
    next.catch(() => {});
    await dst.query(insert, [page.rows]);
    const before = rows;
    rows += page.n;
    if (Math.floor(rows / PROGRESS_ROWS) > Math.floor(before / PROGRESS_ROWS))
      log?.info('copying', { table: t.name, rows });
  }
  const ms = Math.round(performance.now() - started);
  log?.info('copied', { table: t.name, rows, ms });
  return { table: t.name, rows, ms };
}

/**
 * The page after key `after` (null: the first), in primary key order: keyset pagination, so
 * every page is an index range scan however deep into the table (OFFSET would rescan all before
 * it). Rows leave as `json_agg` text: timestamps with microseconds and ±infinity, jsonb, arrays,
 * bytea, int8 and float8 all round-trip through json_populate_recordset without a JS value.
 */
async function readPage(
  src: Queryable,
  t: TableInfo,
  batch: number,
  after: string[] | null,
): Promise<Page> {
  const keys = t.key.map((k) => k.col).join(', ');
  const where = after
    ? `where (${keys}) > (${t.key.map((k, i) => `$${i + 1}::${k.type}`).join(', ')})`
    : '';
  const { rows } = await src.query<{ n: number; rows: string; last: string | null }>(
    `with page_rows as materialized (
       select * from ${t.sql} ${where} order by ${keys} limit ${batch})
     select count(*)::int as n, coalesce(json_agg(page_rows), '[]')::text as rows,
            (select json_build_array(${t.key.map((k) => `${k.col}::text`).join(', ')})::text
               from page_rows order by ${t.key.map((k) => `${k.col} desc`).join(', ')} limit 1)
              as last
       from page_rows`,
    after ?? [],
  );
  const r = rows[0]!;
  return { n: r.n, rows: r.rows, last: r.last ? (JSON.parse(r.last) as string[]) : [] };
}

/**
 * Moves each identity column's sequence on the target past the copied rows and to at least the
 * source's next value (rows deleted at the source keep their numbers retired), so the next
 * stage move or audit entry does not collide with a copied one.
 */
async function continueIdentities(
  src: Queryable,
  dst: Queryable,
  tables: TableInfo[],
): Promise<void> {
  for (const t of tables)
    for (const col of t.identity) {
      const seq = await src.query<{ next: string }>(
        `select (case when is_called then last_value + 1 else last_value end)::text as next
           from ${await sequenceOf(src, t, col)}`,
      );
      const { rows } = await dst.query<{ next: string }>(
        `select greatest(coalesce(max(${ident(col)}), 0) + 1, $1::bigint)::text as next from ${t.sql}`,
        [seq.rows[0]!.next],
      );
      const next = rows[0]!.next;
      // ALTER takes no parameter; the value is an integer PostgreSQL just printed.
      if (!/^-?\d+$/.test(next)) throw new Error(`unexpected sequence value ${next}`);
      await dst.query(`alter table ${t.sql} alter column ${ident(col)} restart with ${next}`);
    }
}

async function sequenceOf(db: Queryable, t: TableInfo, col: string): Promise<string> {
  const { rows } = await db.query<{ seq: string }>('select pg_get_serial_sequence($1, $2) as seq', [
    t.sql,
    col,
  ]);
  return rows[0]!.seq;
}
