/** The public site config the tag reads: forms, settings and, per visitor, which fields are known. */
import { createHash } from 'node:crypto';
import type { FormDefinition, SiteConfig, VisitorKnowledge } from '../../shared/forms.ts';
import type { Site } from '../sites/index.ts';
import type { Queryable } from '../store/index.ts';
import { listForms } from './definitions.ts';

/**
 * Which of the site's form field names already have a value for this visitor, and whether the
 * visitor is an identified lead. Only names the site's forms use are reported, and never a
 * value: the page learns what to skip, not what is stored.
 */
export async function visitorKnowledge(
  db: Queryable,
  siteId: string,
  anonymousId: string,
  forms: FormDefinition[],
): Promise<VisitorKnowledge> {
  const names = new Set(forms.flatMap((f) => f.fields.map((x) => x.name)));
  const known: Record<string, boolean> = {};
  // What this browser already sent through accepted submissions…
  const subs = await db.query<{ field_values: Record<string, unknown> }>(
    `select field_values from form_submissions
      where site_id = $1 and anonymous_id = $2 and status = 'accepted'
      order by created_at desc limit 20`,
    [siteId, anonymousId],
  );
  let identified = false;
  for (const s of subs.rows) {
    for (const [k, v] of Object.entries(s.field_values))
      if (v !== '' && v !== null) known[k] = true;
    if (s.field_values.email) identified = true;
  }
  // …and what the lead this anonymous id belongs to holds (identity stitching fills these).
  const lead = await db.query<{
    email: string | null;
    name: string | null;
    traits: Record<string, unknown>;
  }>(
    `select l.email, l.name, l.traits from anonymous_links a
       join leads l on l.site_id = a.site_id and l.lead_id = a.lead_id
      where a.site_id = $1 and a.anonymous_id = $2
      order by a.valid_from desc limit 1`,
    [siteId, anonymousId],
  );
  const row = lead.rows[0];
  if (row) {
    identified = true;
    if (row.email) known.email = true;
    if (row.name) known.name = true;
    for (const [k, v] of Object.entries(row.traits ?? {}))
      if (v !== '' && v !== null && v !== undefined) known[k] = true;
  }
  for (const k of Object.keys(known)) if (!names.has(k)) delete known[k];
  return { known, identified };
}

/** The config body for a site, and its ETag (a hash of the body). */
export async function siteConfig(
  db: Queryable,
  site: Site,
  anonymousId?: string,
): Promise<{ body: SiteConfig; etag: string }> {
  const forms = await listForms(db, site.id);
  const body: SiteConfig = {
    forms,
    settings: { captureForms: site.settings.captureForms === true },
    ...(anonymousId ? { visitor: await visitorKnowledge(db, site.id, anonymousId, forms) } : {}),
  };
  const hash = createHash('sha256').update(JSON.stringify(body)).digest('base64url').slice(0, 22);
  return { body, etag: `"${hash}"` };
}
