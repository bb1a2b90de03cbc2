/**
 * What `copyStore` learns from a database's catalog: the application's tables, their primary
 * keys, the columns to write, identity columns, user triggers, and an order that satisfies the
 * foreign keys. Read from pg_catalog, not listed by hand, so a new migration's table is copied too.
 */
import type { Queryable } from './types.ts';

/** One table of the application schema, names already quoted for SQL. */
export interface TableInfo {
  /** Bare name, for messages: `events`. */
  name: string;
  /** Schema-qualified and quoted: `public.events`. */
  sql: string;
  /** Primary key columns in key order, quoted, with their types (`timestamp with time zone`). */
  key: { col: string; type: string }[];
  /** Columns an insert may write, quoted: stored generated columns (leads.search_text) left out. */
  columns: string[];
  /** Identity columns (bare names: stage_history.seq), given values with `overriding system value`. */
  identity: string[];
  /** Tables this one references by foreign key (bare names), copied before it. */
  parents: string[];
  /** Enabled user triggers (bare names) with their `tgenabled` (`O`, `A` or `R`), to restore. */
  triggers: { name: string; enabled: string }[];
}

/** The table of applied migrations: compared, never copied (each side's `migrate` wrote its own). */
export const MIGRATIONS_TABLE = 'schema_migrations';

/** Plain and partitioned tables of the current schema; partitions come through their parent. */
const TABLES_SQL = `
select c.relname as name, format('%I.%I', n.nspname, c.relname) as sql,
  (select coalesce(json_agg(json_build_object('col', quote_ident(a.attname),
                                              'type', format_type(a.atttypid, a.atttypmod))
                            order by k.ord), '[]')
     from pg_index i, unnest(i.indkey) with ordinality k(attnum, ord), pg_attribute a
    where i.indrelid = c.oid and i.indisprimary
      and a.attrelid = c.oid and a.attnum = k.attnum) as key,
  (select coalesce(json_agg(quote_ident(a.attname) order by a.attnum), '[]') from pg_attribute a
    where a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped and a.attgenerated = '')
    as columns,
  (select coalesce(json_agg(a.attname order by a.attnum), '[]') from pg_attribute a
    where a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped and a.attidentity <> '')
    as identity,
  (select coalesce(json_agg(distinct p.relname), '[]') from pg_constraint f
     join pg_class p on p.oid = f.confrelid
    where f.conrelid = c.oid and f.contype = 'f' and f.confrelid <> c.oid) as parents,
  (select coalesce(json_agg(json_build_object('name', t.tgname, 'enabled', t.tgenabled)
                            order by t.tgname), '[]')
     from pg_trigger t where t.tgrelid = c.oid and not t.tgisinternal and t.tgenabled <> 'D')
    as triggers
from pg_class c join pg_namespace n on n.oid = c.relnamespace
where n.nspname = current_schema() and c.relkind in ('r', 'p') and not c.relispartition
  and c.relname <> '${MIGRATIONS_TABLE}'
order by c.relname`;

/** The application's tables, parents before the tables that reference them. */
export async function readTables(db: Queryable): Promise<TableInfo[]> {
  const { rows } = await db.query<TableInfo>(TABLES_SQL);
  return parentsFirst(rows);
}

/** The applied migrations, in order; empty when the database was never migrated. */
export async function readVersions(db: Queryable): Promise<string[]> {
  const { rows } = await db.query<{ versions: string[] | null }>(
    `select case when to_regclass('${MIGRATIONS_TABLE}') is not null then
       (select coalesce(json_agg(version order by version), '[]') from ${MIGRATIONS_TABLE})
     end as versions`,
  );
  return rows[0]?.versions ?? [];
}

/**
 * Tables in an order where each comes after those it references (the foreign keys stay checked
 * during the copy: `disable trigger user` leaves their internal triggers on). Alphabetical
 * otherwise, so runs are repeatable. A cycle cannot be ordered and is refused.
 */
function parentsFirst(tables: TableInfo[]): TableInfo[] {
  const out: TableInfo[] = [];
  const placed = new Set<string>();
  // A reference out of the application schema (none today) has nothing to wait for.
  const known = new Set(tables.map((t) => t.name));
  let rest = tables;
  while (rest.length > 0) {
    const ready = rest.filter((t) => t.parents.every((p) => placed.has(p) || !known.has(p)));
    if (ready.length === 0)
      throw new Error(
        `cannot order tables by their foreign keys (a cycle among ${rest.map((t) => t.name).join(', ')})`,
      );
    for (const t of ready) placed.add(t.name);
    out.push(...ready);
    rest = rest.filter((t) => !placed.has(t.name));
  }
  return out;
}

/** `name` quoted as an SQL identifier (trigger and column names read bare from the catalog). */
export const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;
