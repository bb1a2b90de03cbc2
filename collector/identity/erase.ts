/** Erasure of a person: every row about the lead and its anonymous ids, in every table. */
import type { Queryable } from '../store/index.ts';
import { lockLive } from './leads.ts';
import { inLinkRange } from './links.ts';

/** `"name"` — a quoted SQL identifier from the catalog. */
const ident = (n: string) => `"${n.replace(/"/g, '""')}"`;

/**
 * Erases the lead (and the leads merged into it): its identities, audit rows, stage history,
 * links, outbox events, and its anonymous ids' events, sessions and visitor rows — and rows of
 * any other table with a `lead_id`/`*_lead_id` or `anonymous_id` column, found through
 * `information_schema`, so tables added by later features are covered too.
 *
 * An anonymous id also linked to another person (two people on one device) keeps the other
 * person's part: only the events and sessions inside this lead's link ranges go.
 *
 * @example const erased = await eraseLead(tx, siteId, 'lead_abc'); // false when unknown
 */
export async function eraseLead(tx: Queryable, siteId: string, leadId: string): Promise<boolean> {
  const live = (await lockLive(tx, siteId, [leadId])).get(leadId);
  if (!live) return false;
  const { rows: family } = await tx.query<{ lead_id: string }>(
    `with recursive m(lead_id) as (
       select $2::text
       union select l.lead_id from leads l join m on l.merged_into = m.lead_id where l.site_id = $1)
     select lead_id from m`,
    [siteId, live],
  );
  const leads = family.map((r) => r.lead_id);
  const { rows: anons } = await tx.query<{ anonymous_id: string; shared: boolean }>(
    `select anonymous_id, bool_or(lead_id <> all($2::text[])) as shared
       from anonymous_links
      where site_id = $1 and anonymous_id in
            (select anonymous_id from anonymous_links where site_id = $1 and lead_id = any($2::text[]))
      group by anonymous_id`,
    [siteId, leads],
  );
  const own = anons.filter((a) => !a.shared).map((a) => a.anonymous_id);
  const shared = anons.filter((a) => a.shared).map((a) => a.anonymous_id);

  if (shared.length > 0) {
    for (const [table, col] of [
      ['events', 'ts'],
      ['sessions', 'started_at'],
    ] as const) {
      await tx.query(
        `delete from ${table} x using anonymous_links al
          where al.site_id = $1 and al.lead_id = any($2::text[]) and al.anonymous_id = any($3::text[])
            and ${inLinkRange('x', col)}`,
        [siteId, leads, shared],
      );
    }
  }
  await sweep(tx, siteId, leads, own);
  return true;
}

/** Deletes by lead and anonymous-id columns in every table that has them (FK order found by retry). */
async function sweep(tx: Queryable, siteId: string, leads: string[], anons: string[]) {
  const { rows } = await tx.query<{ table_name: string; column_name: string }>(
    `select c.table_name, c.column_name from information_schema.columns c
       join information_schema.tables t using (table_schema, table_name)
      where c.table_schema = current_schema() and t.table_type = 'BASE TABLE'
        and (c.column_name in ('lead_id', 'anonymous_id', 'merged_into') or c.column_name like '%\\_lead\\_id')
        and exists (select 1 from information_schema.columns s
                     where s.table_schema = c.table_schema and s.table_name = c.table_name
                       and s.column_name = 'site_id')
      order by c.table_name`,
  );
  const byTable = new Map<string, string[]>();
  for (const r of rows) {
    const p = r.column_name === 'anonymous_id' ? '$3' : '$2';
    const cond = `${ident(r.column_name)}::text = any(${p}::text[])`;
    byTable.set(r.table_name, [...(byTable.get(r.table_name) ?? []), cond]);
  }
  const statements = [...byTable].map(
    // Both list parameters appear in every statement so their types are always known.
    ([t, conds]) =>
      `delete from ${ident(t)} where site_id = $1 and $2::text[] is not null
         and $3::text[] is not null and (${conds.join(' or ')})`,
  );
  // The outbox keeps payloads, not columns: announcements about this person go too.
  statements.push(
    `delete from webhook_events where site_id = $1
        and (data->>'leadId' = any($2::text[]) or data->>'mergedLeadId' = any($2::text[])
             or data->>'anonymousId' = any($3::text[]))`,
  );
  let pending = statements;
  // Tables other features add may reference each other; a failed delete is retried after the rest.
  for (let round = 0; pending.length > 0; round++) {
    const failed: string[] = [];
    let lastError: unknown;
    for (const sql of pending) {
      await tx.query('savepoint erase_step');
      try {
        await tx.query(sql, [siteId, leads, anons]);
        await tx.query('release savepoint erase_step');
      } catch (err) {
        await tx.query('rollback to savepoint erase_step');
        failed.push(sql);
        lastError = err;
      }
    }
    if (failed.length === pending.length || round > 5) throw lastError;
    pending = failed;
  }
}
