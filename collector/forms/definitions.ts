/** Form definitions in the store: one JSON document per (site, form id). */
import type { FormDefinition } from '../../shared/forms.ts';
import type { Queryable } from '../store/index.ts';

/** Every form of a site, oldest first (the order the marketer created them). */
export async function listForms(db: Queryable, siteId: string): Promise<FormDefinition[]> {
  const { rows } = await db.query<{ definition: FormDefinition }>(
    'select definition from forms where site_id = $1 order by created_at, form_id',
    [siteId],
  );
  return rows.map((r) => r.definition);
}

/** One form, or null. */
export async function getForm(
  db: Queryable,
  siteId: string,
  formId: string,
): Promise<FormDefinition | null> {
  const { rows } = await db.query<{ definition: FormDefinition }>(
    'select definition from forms where site_id = $1 and form_id = $2',
    [siteId, formId],
  );
  return rows[0]?.definition ?? null;
}

/** Creates a form; false when the id is taken. */
export async function insertForm(
  db: Queryable,
  siteId: string,
  def: FormDefinition,
  now: Date,
): Promise<boolean> {
  const { rows } = await db.query(
    `insert into forms (site_id, form_id, definition, created_at, updated_at)
     values ($1, $2, $3, $4, $4) on conflict (site_id, form_id) do nothing returning form_id`,
    [siteId, def.id, JSON.stringify(def), now.toISOString()],
  );
  return rows.length === 1;
}

/** Creates or replaces a form; true when it was created. */
export async function putForm(
  db: Queryable,
  siteId: string,
  def: FormDefinition,
  now: Date,
): Promise<boolean> {
  const { rows } = await db.query<{ created: boolean }>(
    `insert into forms (site_id, form_id, definition, created_at, updated_at)
     values ($1, $2, $3, $4, $4)
     on conflict (site_id, form_id) do update set definition = excluded.definition,
       updated_at = excluded.updated_at
     returning (xmax = 0) as created`,
    [siteId, def.id, JSON.stringify(def), now.toISOString()],
  );
  return rows[0]!.created;
}

/** Deletes a form (its submissions stay: they are the record of what visitors sent). */
export async function deleteForm(db: Queryable, siteId: string, formId: string): Promise<boolean> {
  const { rowCount } = await db.query('delete from forms where site_id = $1 and form_id = $2', [
    siteId,
    formId,
  ]);
  return rowCount > 0;
}
