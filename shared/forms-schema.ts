/** zod schemas of form definitions and submissions (DESIGN §5). Collector side only. */
import { z } from 'zod';
import { FIELD_TYPES, FORM_KINDS, type FormDefinition, LOCALES } from './forms.ts';
import { browserAnonymousId, cutText, propsSchema, text } from './schemas.ts';
import { slug } from './slug.ts';
import { LIMITS } from './wire.ts';

const localized = z.union([
  text(2000),
  z.object({ en: text(2000).optional(), vi: text(2000).optional() }).strict(),
]);

const fieldName = z
  .string()
  .regex(/^[A-Za-z][A-Za-z0-9_]{0,63}$/, 'letters, digits and _, starting with a letter');

const fieldSchema = z
  .object({
    name: fieldName,
    type: z.enum(FIELD_TYPES),
    label: localized.optional(),
    required: z.boolean().optional(),
    // A bare string is an option whose label is its value: `["1-10", "11-50"]`.
    options: z
      .array(
        z.preprocess(
          (o) => (typeof o === 'string' ? { value: o } : o),
          z
            .object({ value: text(200).pipe(z.string().min(1)), label: localized.optional() })
            .strict(),
        ),
      )
      .max(100)
      .optional(),
    maxLength: z.number().int().min(1).max(8000).optional(),
    progressive: z.boolean().optional(),
    value: text(500).optional(),
    placeholder: localized.optional(),
  })
  .strict()
  .refine((f) => f.type !== 'select' || (f.options?.length ?? 0) > 0, {
    message: 'a select needs options',
    path: ['options'],
  });

const glob = text(500).pipe(z.string().min(1));

/** A trigger; one without settings may be named alone: `"exit_intent"` is `{ type: "exit_intent" }`. */
const triggerSchema = z.preprocess(
  (t) => (t === 'load' || t === 'exit_intent' ? { type: t } : t),
  z.discriminatedUnion('type', [
    z.object({ type: z.literal('load') }).strict(),
    z.object({ type: z.literal('delay'), seconds: z.number().min(0).max(3600) }).strict(),
    z.object({ type: z.literal('scroll'), percent: z.number().min(0).max(100) }).strict(),
    z.object({ type: z.literal('exit_intent') }).strict(),
    z.object({ type: z.literal('pageviews'), count: z.number().int().min(1).max(1000) }).strict(),
    z.object({ type: z.literal('click'), selector: text(300).pipe(z.string().min(1)) }).strict(),
  ]),
);

// Theme values end up in CSSOM `setProperty`, which cannot escape its declaration; still, keep
// them to plain values so a definition reads as what it does.
const themeSchema = z
  .record(
    z.string().regex(/^--tp-[a-z0-9-]{1,40}$/, 'a --tp-* custom property'),
    text(200).pipe(z.string().regex(/^[^;{}<>\\]*$/, 'a plain CSS value')),
  )
  .refine((t) => Object.keys(t).length <= 50, 'at most 50 properties');

const formId = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'a slug: lowercase letters, digits, - and _');

/** Every part of a definition but its id. */
const definitionShape = {
  name: z.string().trim().min(1).max(200).pipe(text(200)),
  kind: z.enum(FORM_KINDS),
  fields: z.array(fieldSchema).min(1).max(30),
  trigger: triggerSchema.optional(),
  targeting: z
    .object({
      include: z.array(glob).max(50).optional(),
      exclude: z.array(glob).max(50).optional(),
      device: z.enum(['all', 'desktop', 'mobile']).optional(),
    })
    .strict()
    .optional(),
  frequency: z
    .object({
      // `session` when left out, as when `frequency` itself is (README: the default).
      show: z.enum(['once', 'session', 'always']).default('session'),
      dismissDays: z.number().min(0).max(3650).optional(),
      hideKnown: z.boolean().optional(),
    })
    .strict()
    .optional(),
  salesReady: z.boolean().optional(),
  locale: z.enum(LOCALES).optional(),
  progressiveLimit: z.number().int().min(0).max(30).optional(),
  texts: z
    .object({
      title: localized.optional(),
      description: localized.optional(),
      submit: localized.optional(),
      success: localized.optional(),
    })
    .strict()
    .optional(),
  theme: themeSchema.optional(),
};

/** Field names are unique within a form. */
const uniqueFieldNames = (d: { fields: { name: string }[] }, ctx: z.RefinementCtx) => {
  const seen = new Set<string>();
  d.fields.forEach((f, i) => {
    if (seen.has(f.name))
      ctx.addIssue({
        code: 'custom',
        message: 'duplicate field name',
        path: ['fields', i, 'name'],
      });
    seen.add(f.name);
  });
};

/** A form definition as the marketer API accepts it. */
export const formDefinitionSchema = z
  .strictObject({ id: formId, ...definitionShape })
  .superRefine(uniqueFieldNames) satisfies z.ZodType<FormDefinition>;

/** `POST /v1/forms`: a definition whose id, when left out, is made from its name. */
export const formCreateSchema = z
  .strictObject({ id: formId.optional(), ...definitionShape })
  .superRefine(uniqueFieldNames);

/**
 * The id a form gets from its name: its slug, or `form` when nothing is left. The caller adds a
 * suffix when the id is taken.
 *
 * @example formIdFrom('Đặt lịch demo') // 'dat-lich-demo'
 */
export const formIdFrom = (name: string): string => slug(name) || 'form';

/** `PUT /v1/forms/{id}`: the id comes from the path; a body id, if any, must match it. */
export const formUpdateSchema = formDefinitionSchema;

const id = text(LIMITS.idChars).pipe(z.string().min(1));

/** `POST /v1/forms/{formId}/submissions` (the tag's durable queue sends it). */
export const submissionBodySchema = z.object({
  site: text(64).pipe(z.string().min(1)),
  id,
  anonymousId: browserAnonymousId,
  sessionId: id.optional(),
  values: propsSchema,
  // A landing page's long ad-click URL must not cost the lead: cut, not refused.
  url: cutText(LIMITS.urlChars).optional(),
  /** Fill time; the tag always sends it (under 1.5 s is quarantined), other clients may not. */
  elapsedMs: z.number().nonnegative().max(1e10).optional(),
  /** The honeypot field's value: empty (or left out) from a person. */
  hp: z.string().max(1000).default(''),
  locale: z.enum(LOCALES).optional(),
});

export type SubmissionInput = z.infer<typeof submissionBodySchema>;

/**
 * `GET /v1/sites/{publicKey}/config` query. `anonymousId` is a browser's, as on `/v1/collect`
 * and submissions: the collector's own `uid:`/`lead:` ids name server-side users, and their
 * knowledge would tell anyone which users exist and what the site holds on them.
 */
export const siteConfigQuery = z.object({
  anonymousId: browserAnonymousId.optional(),
  /** The page; only inline forms and the overlays targeting it come back. */
  url: z.string().min(1).max(4096).optional(),
  /** With `url`: the device the forms must target (absent: any). */
  device: z.enum(['mobile', 'desktop']).optional(),
});

/** `GET /v1/forms/{formId}/submissions` query. */
export const submissionListQuery = z.object({
  status: z.enum(['accepted', 'quarantined']).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(200).optional(),
});
