/** Which tables hold a person's rows, found through information_schema so new tables count too. */
import type { Queryable } from '../store/index.ts';

/** A table of the schema with the columns that tie its rows to a person. */
export interface PersonTable {
  name: string;
  /** Columns holding a lead id: `lead_id`, `merged_into`, `*_lead_id`. */
  leadColumns: string[];
  hasAnonymousId: boolean;
  /** The event time column of tables whose rows split between people sharing a device. */
  timeColumn?: string;
}

/** Tables whose rows of a shared anonymous id belong to whoever it was linked to at that time. */
const TIMED: Record<string, string> = { events: 'ts', sessions: 'started_at' };

/** Tables that never hold personal data (keys, salts, bookkeeping). */
const NOT_PERSONAL = new Set(['schema_migrations', 'site_keys', 'ip_salts', 'sites']);

/**
 * Every table of the current schema with a `site_id` column, with its lead-id columns and
 * whether it has an `anonymous_id` column. Tables added by later migrations are included without code changes.
 */
export async function personTables(db: Queryable): Promise<PersonTable[]> {
  const { rows } = await db.query<{ table_name: string; columns: string[] }>(
    `select c.table_name, array_agg(c.column_name::text) as columns
       from information_schema.columns c
       join information_schema.tables t
         on t.table_schema = c.table_schema and t.table_name = c.table_name
      where c.table_schema = current_schema() and t.table_type = 'BASE TABLE'
      group by c.table_name
      order by c.table_name`,
  );
  return rows
    .filter((r) => r.columns.includes('site_id') && !NOT_PERSONAL.has(r.table_name))
    .map((r) => ({
      name: r.table_name,
      leadColumns: r.columns.filter(
        (c) => c === 'lead_id' || c === 'merged_into' || c.endsWith('_lead_id'),
      ),
      hasAnonymousId: r.columns.includes('anonymous_id'),
      timeColumn: TIMED[r.table_name],
    }));
}

/** A table name as a quoted SQL identifier (names come from the catalog, quoted anyway). */
export const ident = (name: string) => `"${name.replaceAll('"', '""')}"`;
