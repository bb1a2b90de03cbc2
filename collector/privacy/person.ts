/** One person's data across every table: export (right of access) and erase (right to erasure). */
import type { Queryable } from '../store/index.ts';
import { ident, personTables } from './tables.ts';

/** A lead, the leads merged into it and the anonymous ids linked to any of them. */
export interface Person {
  leadId: string;
  leadIds: string[];
  anonymousIds: string[];
  emails: string[];
}

/**
 * Resolves a lead id (a merged lead's old id resolves to its survivor) to everything that
 * identifies the person, or null when the site has no such lead.
 */
export async function findPerson(
  db: Queryable,
  siteId: string,
  leadId: string,
): Promise<Person | null> {
  let root = leadId;
  for (let hop = 0; hop < 20; hop++) {
    const { rows } = await db.query<{ merged_into: string | null }>(
      'select merged_into from leads where site_id = $1 and lead_id = $2',
      [siteId, root],
    );
    if (!rows[0]) return null;
    if (!rows[0].merged_into) break;
    root = rows[0].merged_into;
  }
  const { rows: leads } = await db.query<{ lead_id: string; email: string | null }>(
    `with recursive merged(lead_id) as (
       select $2::text
       union
       select l.lead_id from leads l join merged m on l.merged_into = m.lead_id where l.site_id = $1
     )
     select l.lead_id, l.email from leads l join merged using (lead_id) where l.site_id = $1`,
    [siteId, root],
  );
  const leadIds = leads.map((l) => l.lead_id);
  const { rows: anon } = await db.query<{ anonymous_id: string }>(
    `select distinct anonymous_id from anonymous_links
      where site_id = $1 and lead_id = any($2::text[])`,
    [siteId, leadIds],
  );
  const { rows: ids } = await db.query<{ value: string }>(
    `select value from identities where site_id = $1 and kind = 'email' and lead_id = any($2::text[])`,
    [siteId, leadIds],
  );
  const emails = new Set([...ids.map((r) => r.value), ...leads.flatMap((l) => l.email ?? [])]);
  return {
    leadId: root,
    leadIds,
    anonymousIds: anon.map((r) => r.anonymous_id),
    emails: [...emails],
  };
}

/**
 * Every row of `person` in every table: by `lead_id` or `anonymous_id` column where a table has
 * one, otherwise by the lead ids or emails appearing anywhere in the row (webhook payloads,
 * submissions…). Tables come from the catalog, so a new table is exported without code changes.
 *
 * @example const tables = await personRows(store, site.id, person); // { events: [...], leads: [...] }
 */
export async function personRows(
  db: Queryable,
  siteId: string,
  person: Person,
): Promise<Record<string, Record<string, unknown>[]>> {
  const out: Record<string, Record<string, unknown>[]> = {};
  for (const t of await personTables(db)) {
    const { sql, params } = personFilter(t, person);
    const { rows } = await db.query<Record<string, unknown>>(
      `select * from ${ident(t.name)} t where t.site_id = $1 and (${sql})`,
      [siteId, ...params],
    );
    if (rows.length > 0) out[t.name] = rows;
  }
  return out;
}

/**
 * Deletes every row of `person` from every table (the same rows {@link personRows} exports).
 * Returns the rows deleted per table.
 */
export async function erasePerson(
  db: Queryable,
  siteId: string,
  person: Person,
): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const t of await personTables(db)) {
    const { sql, params } = personFilter(t, person);
    const res = await db.query(`delete from ${ident(t.name)} t where t.site_id = $1 and (${sql})`, [
      siteId,
      ...params,
    ]);
    if (res.rowCount > 0) out[t.name] = res.rowCount;
  }
  return out;
}

function personFilter(
  t: { hasLeadId: boolean; hasAnonymousId: boolean },
  p: Person,
): { sql: string; params: unknown[] } {
  const parts: string[] = [];
  const params: unknown[] = [];
  if (t.hasLeadId) {
    params.push(p.leadIds);
    parts.push(`t.lead_id = any($${params.length + 1}::text[])`);
  }
  if (t.hasAnonymousId) {
    params.push(p.anonymousIds);
    parts.push(`t.anonymous_id = any($${params.length + 1}::text[])`);
  }
  if (parts.length === 0) {
    // No id column: lead ids are random and emails specific, so a whole-word match in the row's
    // text is this person (`p@x.com` must not match `keep@x.com`, nor `lead-1` match `lead-10`).
    // Anonymous ids are not searched this way: they may be short and common.
    params.push([...p.leadIds, ...p.emails].map(wholeWord));
    parts.push(`t::text ~ any($${params.length + 1}::text[])`);
  }
  return { sql: parts.join(' or '), params };
}

/** A POSIX regex matching `s` not preceded or followed by an id or email character. */
function wholeWord(s: string): string {
  const quoted = s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return `(^|[^A-Za-z0-9._%+@-])${quoted}($|[^A-Za-z0-9._%+@-])`;
}
