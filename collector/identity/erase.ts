/** Erasure of a person: every row about the lead and its anonymous ids, in every table. */
import { anonymousIdOf } from '../ingest/segment-map.ts';
import type { Queryable } from '../store/index.ts';
import { leadAnonymousId } from './browsers.ts';
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
 * person's part: only the events and sessions inside this lead's link ranges go. The ids the
 * collector makes up for the person's server-side events go by name too, linked or not.
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
  const named = await serverAnonymousIds(tx, siteId, leads);
  const { rows: anons } = await tx.query<{ anonymous_id: string; shared: boolean }>(
    `select anonymous_id, bool_or(lead_id <> all($2::text[])) as shared
       from anonymous_links
      where site_id = $1 and (anonymous_id = any($3::text[]) or anonymous_id in
            (select anonymous_id from anonymous_links where site_id = $1 and lead_id = any($2::text[])))
      group by anonymous_id`,
    [siteId, leads, named],
  );
  const linked = new Set(anons.map((a) => a.anonymous_id));
  const own = [
    ...anons.filter((a) => !a.shared).map((a) => a.anonymous_id),
    ...named.filter((a) => !linked.has(a)),
  ];
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
  // The person's identifiers can sit in rows of other people too: an identify on someone else's
  // browser that named this email (refused and audited under that lead, kept in that event).
  const { rows: ids } = await tx.query<{ value: string }>(
    'select value from identities where site_id = $1 and lead_id = any($2::text[])',
    [siteId, leads],
  );
  const values = ids.map((r) => r.value);
  await sweep(tx, siteId, leads, own);
  if (values.length > 0) {
    await tx.query(
      `delete from identity_audit where site_id = $1
          and (value = any($2::text[]) or detail->>'otherLeadId' = any($3::text[])
               or detail->>'previousLeadId' = any($3::text[]))`,
      [siteId, values, leads],
    );
    await tx.query(
      `update events
          set traits = traits
                - (case when lower(trim(traits->>'email')) = any($2::text[]) then 'email' else '' end)
                - (case when traits->>'userId' = any($2::text[]) then 'userId' else '' end)
        where site_id = $1 and traits is not null
          and (lower(trim(traits->>'email')) = any($2::text[]) or traits->>'userId' = any($2::text[]))`,
      [siteId, values],
    );
  }
  return true;
}

/**
 * The ids the collector makes up for the family's server-side events — `lead:<id>` of each lead,
 * `uid:<userId>` of each userId — erased by name, linked or not: rows written under one are the
 * person's even where no link (or no longer one) says so.
 */
async function serverAnonymousIds(tx: Queryable, siteId: string, leads: string[]) {
  const { rows } = await tx.query<{ value: string }>(
    `select value from identities where site_id = $1 and kind = 'userId' and lead_id = any($2::text[])`,
    [siteId, leads],
  );
  return [
    ...leads.map(leadAnonymousId),
    ...rows.map((r) => anonymousIdOf(null, r.value)).filter((a): a is string => a !== null),
  ];
}

/** Deletes by lead and anonymous-id columns in every table that has them. */
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
    byTable.set(r.table_name, [
      ...(byTable.get(r.table_name) ?? []),
      `${ident(r.column_name)}::text = any(${p}::text[])`,
    ]);
  }
  // Both list parameters appear in every statement so their types are always known.
  const scope = 'site_id = $1 and $2::text[] is not null and $3::text[] is not null';
  for (const [t, conds] of byTable) {
    await deleteFollowingKeys(tx, ident(t), `${scope} and (${conds.join(' or ')})`, [
      siteId,
      leads,
      anons,
    ]);
  }
  // The outbox keeps payloads, not columns: announcements about this person go too. That
  // includes `form.submitted` of a form sent before they were identified (no `leadId` yet, the
  // values — a phone number, a message — under `submission`, keyed by their browser).
  await deleteFollowingKeys(
    tx,
    'webhook_events',
    `${scope} and (data->>'leadId' = any($2::text[]) or data->>'mergedLeadId' = any($2::text[])
                   or data->>'anonymousId' = any($3::text[])
                   or data->'submission'->>'anonymousId' = any($3::text[]))`,
    [siteId, leads, anons],
  );
}

/**
 * Deletes the rows of `table` matching `where`, first deleting rows of other tables that
 * reference them through a foreign key (say, webhook deliveries of an erased outbox event), so
 * an erase never fails on a key another feature declared.
 */
async function deleteFollowingKeys(
  tx: Queryable,
  table: string,
  where: string,
  params: unknown[],
  depth = 0,
): Promise<void> {
  if (depth < 4) {
    const { rows: fks } = await tx.query<{
      child: string;
      child_cols: string[];
      parent_cols: string[];
    }>(
      `select c.conrelid::regclass::text as child,
              array(select a.attname::text from unnest(c.conkey) with ordinality k(n, i)
                      join pg_attribute a on a.attrelid = c.conrelid and a.attnum = k.n order by k.i)
                as child_cols,
              array(select a.attname::text from unnest(c.confkey) with ordinality k(n, i)
                      join pg_attribute a on a.attrelid = c.confrelid and a.attnum = k.n order by k.i)
                as parent_cols
         from pg_constraint c
        where c.contype = 'f' and c.confrelid = $1::regclass and c.conrelid <> c.confrelid`,
      [table],
    );
    for (const fk of fks) {
      const cols = (cs: string[]) => cs.map(ident).join(', ');
      await deleteFollowingKeys(
        tx,
        fk.child,
        `(${cols(fk.child_cols)}) in (select ${cols(fk.parent_cols)} from ${table} where ${where})`,
        params,
        depth + 1,
      );
    }
  }
  await tx.query(`delete from ${table} where ${where}`, params);
}
