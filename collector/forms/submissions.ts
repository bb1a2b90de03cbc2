/**
 * A form submission: validated with the shared validators, spam-checked, stored, and — when it
 * is not suspect — turned into an `identify` and a `form_submit` event through `ingest()`, all
 * in one transaction with the submission row and the `form.submitted` webhook.
 */
import type { FormDefinition, FormField } from '../../shared/forms.ts';
import { localize } from '../../shared/forms.ts';
import type { SubmissionInput } from '../../shared/forms-schema.ts';
import { ERROR_TEXTS } from '../../shared/forms-texts.ts';
import type { FittedEvent } from '../../shared/schemas.ts';
import { validateValues } from '../../shared/validators.ts';
import type { WireEvent } from '../../shared/wire.ts';
import type { Deps } from '../deps.ts';
import { HttpProblem } from '../http/problem.ts';
import { ingest, toNewEvents } from '../ingest/accept.ts';
import type { Site } from '../sites/index.ts';
import type { Queryable } from '../store/index.ts';
import { enqueueWebhook } from '../webhooks/outbox.ts';

/** Humans do not fill a form in under this; faster submissions are kept in quarantine. */
export const MIN_FILL_MS = 1_500;

/**
 * Why a submission is suspect, or null: a filled honeypot, or filled faster than a human can.
 * A client that sends no fill time (a site's own backend posting its form) is not judged on it.
 */
export function quarantineReason(body: Pick<SubmissionInput, 'hp' | 'elapsedMs'>): string | null {
  if (body.hp.trim() !== '') return 'honeypot';
  if (body.elapsedMs !== undefined && body.elapsedMs < MIN_FILL_MS) return 'too_fast';
  return null;
}

/** Field types whose values become lead traits (messages and consents stay on the submission). */
const TRAIT_TYPES = new Set<FormField['type']>([
  'email',
  'text',
  'tel',
  'select',
  'checkbox',
  'hidden',
]);

/** Validated values of a submission, or a 400 whose `errors` are keyed by field name. */
export function cleanValues(def: FormDefinition, values: Record<string, unknown>) {
  // Progressive fields the widget left out (already known) may be absent even when required.
  const skippable = new Set(def.fields.filter((f) => f.progressive).map((f) => f.name));
  const res = validateValues(def.fields, values, skippable);
  if (res.errors.length > 0) {
    throw new HttpProblem(
      400,
      'invalid-fields',
      'Some fields are not valid',
      res.errors.map((e) => ({ path: e.path, message: ERROR_TEXTS.en[e.code] })),
    );
  }
  return res.values;
}

/**
 * The email a submission identifies its visitor by: the value of the form's first `email`-type
 * field, else of a field named `email`, as `cleanValues` left it (trimmed; lowercased for an
 * `email` field; identity normalizes it once more). Whatever the marketer named the field
 * (`work_email`), the visitor becomes a lead: reading only `values.email` stored such a
 * submission but made no lead.
 *
 * @example submittedEmail(def, { work_email: 'ana@example.com' }) // 'ana@example.com'
 */
export function submittedEmail(
  def: FormDefinition,
  values: Record<string, string | boolean>,
): string | null {
  const typed = def.fields.find((f) => f.type === 'email');
  for (const name of [typed?.name, 'email']) {
    const v = name === undefined ? undefined : values[name];
    if (typeof v === 'string' && v !== '') return v;
  }
  return null;
}

/**
 * A refused submission body with the paths under `values` keyed by field name (DESIGN §5), as
 * `cleanValues` keys its errors: the body schema's JSON limits (a value over 8,192 characters)
 * answered `values.email` where a value just over the field's `maxLength` answered `email`.
 * Anything else is returned as it was.
 *
 * @example await admit(c, submissionBodySchema).catch((e) => { throw keyedByField(e); });
 */
export function keyedByField(err: unknown): unknown {
  if (!(err instanceof HttpProblem) || !err.errors) return err;
  const errors = err.errors.map((e) =>
    e.path.startsWith('values.') ? { ...e, path: e.path.slice('values.'.length) } : e,
  );
  return new HttpProblem(err.status, err.code, err.detail, errors, err.headers);
}

export interface SubmissionContext {
  site: Site;
  def: FormDefinition;
  body: SubmissionInput;
  values: Record<string, string | boolean>;
  receivedAt: Date;
  userAgent?: string;
  ipHash?: string;
  /** Paths of the body whose strings were made storable (`values.company`): on both events. */
  repaired?: string[];
}

/** Consents given, with the exact text the visitor was shown and when. */
function consents(s: SubmissionContext) {
  const locale = s.body.locale ?? s.def.locale ?? 'en';
  const given = s.def.fields
    .filter((f) => f.type === 'consent' && s.values[f.name] === true)
    .map((f) => ({
      field: f.name,
      text: localize(f.label, locale),
      locale,
      at: s.receivedAt.toISOString(),
    }));
  return given.length > 0 ? given : null;
}

/** Inserts the submission row; true when it is new (false on a replay of the same id). */
async function insertSubmission(
  tx: Queryable,
  s: SubmissionContext,
  status: 'accepted' | 'quarantined',
  reason: string | null,
): Promise<boolean> {
  const { rows } = await tx.query(
    `insert into form_submissions (site_id, submission_id, form_id, anonymous_id, session_id,
       status, reason, field_values, consent, url, elapsed_ms, ip_hash, created_at)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
     on conflict (site_id, submission_id) do nothing returning submission_id`,
    [
      s.site.id,
      s.body.id,
      s.def.id,
      s.body.anonymousId,
      s.body.sessionId ?? null,
      status,
      reason,
      JSON.stringify(s.values),
      JSON.stringify(consents(s)),
      s.body.url ?? null,
      s.body.elapsedMs === undefined ? null : Math.round(s.body.elapsedMs),
      s.ipHash ?? null,
      s.receivedAt.toISOString(),
    ],
  );
  return rows.length === 1;
}

/** The two events a good submission makes; their ids derive from the submission's, so a replay adds none. */
function submissionEvents(s: SubmissionContext): FittedEvent<WireEvent>[] {
  const base = {
    anonymousId: s.body.anonymousId,
    sessionId: s.body.sessionId,
    timestamp: s.receivedAt.getTime(),
    url: s.body.url,
    ...(s.repaired?.length ? { repaired: s.repaired.slice(0, 20) } : {}),
  };
  const traits: Record<string, unknown> = {};
  for (const f of s.def.fields)
    if (TRAIT_TYPES.has(f.type) && s.values[f.name] !== undefined)
      traits[f.name] = s.values[f.name];
  const email = submittedEmail(s.def, s.values);
  const events: FittedEvent<WireEvent>[] = [];
  if (email !== null)
    events.push({
      ...base,
      id: `${s.body.id}:identify`,
      type: 'identify',
      traits: { ...traits, email },
    });
  events.push({
    ...base,
    id: `${s.body.id}:submit`,
    type: 'form_submit',
    name: s.def.id,
    properties: { submissionId: s.body.id },
  });
  return events;
}

/**
 * Stores a submission and, unless it is suspect, its events; resolves after the commit.
 * Replays of the same id change nothing. The caller answers the same way in every case.
 */
export async function recordSubmission(deps: Deps, s: SubmissionContext): Promise<void> {
  const reason = quarantineReason(s.body);
  if (reason) {
    await deps.committer.run((tx) => insertSubmission(tx, s, 'quarantined', reason));
    return;
  }
  const origin = {
    userAgent: s.userAgent,
    ipHash: s.ipHash,
    receivedAt: s.receivedAt,
    trusted: false,
  };
  // `context` is set here, never by the browser: lifecycle trusts `source: 'form'` and `salesReady`.
  const events = toNewEvents(s.site, submissionEvents(s), origin).map((e) => ({
    ...e,
    context: {
      ...e.context,
      source: 'form',
      formId: s.def.id,
      ...(e.type === 'form_submit' ? { salesReady: s.def.salesReady === true } : {}),
    },
  }));
  await ingest(deps, s.site, events, 0, async (tx) => {
    if (!(await insertSubmission(tx, s, 'accepted', null))) return;
    // Identity ran earlier in this transaction: the lead (if any) is already linked.
    const lead = await tx.query<{ lead_id: string }>(
      `select lead_id from anonymous_links where site_id = $1 and anonymous_id = $2
        order by valid_from desc limit 1`,
      [s.site.id, s.body.anonymousId],
    );
    await enqueueWebhook(
      tx,
      s.site.id,
      'form.submitted',
      {
        form: { id: s.def.id, name: s.def.name, salesReady: s.def.salesReady === true },
        submission: {
          id: s.body.id,
          anonymousId: s.body.anonymousId,
          values: s.values,
          url: s.body.url ?? null,
          consent: consents(s),
          createdAt: s.receivedAt.toISOString(),
        },
        leadId: lead.rows[0]?.lead_id ?? null,
      },
      s.receivedAt,
    );
  });
}
