/** The marketer's view of a form's submissions, quarantined ones included, newest first. */
import { storableString } from '../../shared/json-limits.ts';
import { inInstantRange } from '../../shared/lead-schemas.ts';
import { HttpProblem } from '../http/problem.ts';
import type { Queryable } from '../store/index.ts';

export interface SubmissionView {
  id: string;
  formId: string;
  status: 'accepted' | 'quarantined';
  /** Why it was quarantined: `honeypot` or `too_fast`. */
  reason: string | null;
  anonymousId: string;
  values: Record<string, unknown>;
  consent: unknown;
  url: string | null;
  elapsedMs: number | null;
  createdAt: string;
}

interface Row {
  submission_id: string;
  form_id: string;
  status: 'accepted' | 'quarantined';
  reason: string | null;
  anonymous_id: string;
  field_values: Record<string, unknown>;
  consent: unknown;
  url: string | null;
  elapsed_ms: number | string | null;
  created_at: Date;
}

const encode = (r: Row) =>
  Buffer.from(`${r.created_at.toISOString()}|${r.submission_id}`).toString('base64url');

/** The time of a cursor exactly as {@link encode} writes it: `toISOString()`, years 0001–9999. */
const CURSOR_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/**
 * The `[createdAt, id]` of a cursor from {@link encode}; a 400 problem at `cursor` for anything
 * else, checked here so nothing PostgreSQL refuses (`2020`, `March 7`, year 0 or 275760, a NUL
 * in the id) reaches it as a 500. The time must read back as itself: no rolled-over `02-31`.
 */
function decode(cursor: string): [string, string] {
  const text = Buffer.from(cursor, 'base64url').toString();
  const cut = text.indexOf('|');
  const at = text.slice(0, cut);
  const id = text.slice(cut + 1);
  const ms = Date.parse(at);
  if (
    cut < 0 ||
    !CURSOR_TIME.test(at) ||
    !inInstantRange(ms) ||
    new Date(ms).toISOString() !== at ||
    !storableString(id)
  )
    throw new HttpProblem(400, 'invalid-cursor', 'The cursor is not from this list', [
      { path: 'cursor', message: 'not a cursor of this list' },
    ]);
  return [at, id];
}

/**
 * Whether any submission of this form id is stored on the site, so a deleted form's record
 * stays readable while an id that never existed answers 404.
 *
 * @example if (!(await getForm(db, siteId, id)) && !(await hasSubmissions(db, siteId, id))) throw notFound();
 */
export async function hasSubmissions(db: Queryable, siteId: string, formId: string) {
  const { rows } = await db.query(
    'select 1 from form_submissions where site_id = $1 and form_id = $2 limit 1',
    [siteId, formId],
  );
  return rows.length > 0;
}

/**
 * A page of submissions of one form; `nextCursor` continues the list.
 *
 * @example await listSubmissions(db, siteId, 'demo', { status: 'quarantined', limit: 50 })
 */
export async function listSubmissions(
  db: Queryable,
  siteId: string,
  formId: string,
  q: { status?: 'accepted' | 'quarantined'; limit: number; cursor?: string },
): Promise<{ data: SubmissionView[]; nextCursor: string | null }> {
  const [at, id] = q.cursor ? decode(q.cursor) : [null, null];
  const { rows } = await db.query<Row>(
    `select submission_id, form_id, status, reason, anonymous_id, field_values, consent, url,
            elapsed_ms, created_at
       from form_submissions
      where site_id = $1 and form_id = $2 and ($3::text is null or status = $3)
        and ($4::timestamptz is null or (created_at, submission_id) < ($4::timestamptz, $5::text))
      order by created_at desc, submission_id desc
      limit $6`,
    [siteId, formId, q.status ?? null, at, id, q.limit + 1],
  );
  const page = rows.slice(0, q.limit);
  return {
    data: page.map((r) => ({
      id: r.submission_id,
      formId: r.form_id,
      status: r.status,
      reason: r.reason,
      anonymousId: r.anonymous_id,
      values: r.field_values,
      consent: r.consent,
      url: r.url,
      elapsedMs: r.elapsed_ms === null ? null : Number(r.elapsed_ms),
      createdAt: r.created_at.toISOString(),
    })),
    nextCursor: rows.length > q.limit ? encode(page[page.length - 1]!) : null,
  };
}
