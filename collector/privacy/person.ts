/** One person's data across every table: export (right of access) and erase (right to erasure). */
import { inLinkRange } from '../identity/links.ts';
import type { Queryable } from '../store/index.ts';
import { ident, type PersonTable, personTables } from './tables.ts';

/** A lead, the leads merged into it and the anonymous ids linked to any of them. */
export interface Person {
  leadId: string;
  leadIds: string[];
  anonymousIds: string[];
  /** Anonymous ids also linked to someone else (one device, two people): only part is theirs. */
  sharedAnonymousIds: string[];
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
  const { rows: anon } = await db.query<{ anonymous_id: string; shared: boolean }>(
    `select anonymous_id, bool_or(lead_id <> all($2::text[])) as shared from anonymous_links
      where site_id = $1 and anonymous_id in
            (select anonymous_id from anonymous_links where site_id = $1 and lead_id = any($2::text[]))
      group by anonymous_id`,
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
    anonymousIds: anon.filter((r) => !r.shared).map((r) => r.anonymous_id),
    sharedAnonymousIds: anon.filter((r) => r.shared).map((r) => r.anonymous_id),
    emails: [...emails],
  };
}

/**
 * Every row of `person` in every table — the rows `DELETE /v1/leads/{id}` erases: by lead-id or
 * `anonymous_id` column where a table has one (for a device shared with another person, only
 * the events and sessions of this person's link ranges), otherwise by the lead ids or emails
 * appearing as a whole word anywhere in the row (webhook payloads…). Tables come from the
 * catalog, so a new table is exported without code changes.
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
      // Every list parameter appears in every statement, so their types are always known.
      `select * from ${ident(t.name)} t
        where t.site_id = $1 and $2::text[] is not null and $3::text[] is not null
          and $4::text[] is not null and $5::text[] is not null and (${sql})`,
      [siteId, ...params],
    );
    if (rows.length > 0) out[t.name] = rows;
  }
  return out;
}

function personFilter(t: PersonTable, p: Person): { sql: string; params: unknown[] } {
  const parts: string[] = [];
  const params: unknown[] = [p.leadIds, p.anonymousIds, p.sharedAnonymousIds];
  for (const col of t.leadColumns) parts.push(`t.${ident(col)}::text = any($2::text[])`);
  if (t.hasAnonymousId) parts.push('t.anonymous_id = any($3::text[])');
  if (t.hasAnonymousId && t.timeColumn) {
    // A device shared with another person: only the rows from while it was this person's.
    parts.push(`exists (select 1 from anonymous_links al
                 where al.lead_id = any($2::text[]) and al.anonymous_id = any($4::text[])
                   and ${inLinkRange('t', t.timeColumn)})`);
  }
  if (parts.length === 0) {
    // No id column: lead ids are random and emails specific, so a whole-word match in the row's
    // text is this person (`p@x.com` must not match `keep@x.com`, nor `lead-1` match `lead-10`).
    // Anonymous ids are not searched this way: they may be short and common.
    params.push([...p.leadIds, ...p.emails].map(wholeWord));
    parts.push('t::text ~ any($5::text[])');
  } else {
    params.push([]); // keeps the parameter numbering the same for every table
  }
  return { sql: parts.join(' or '), params };
}

/** A POSIX regex matching `s` not preceded or followed by an id or email character. */
function wholeWord(s: string): string {
  const quoted = s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return `(^|[^A-Za-z0-9._%+@-])${quoted}($|[^A-Za-z0-9._%+@-])`;
}
