/**
 * The form editor: a marketer creates or changes a lead-capture form without code (DESIGN §5):
 * its fields and their labels in English and Vietnamese, its texts, and for a popup, slide-in
 * or bar when, where and how often it shows. Saved with `POST /v1/forms` or `PUT /v1/forms/{id}`;
 * what the collector refuses is shown at the field it names. Settings the editor has no control
 * for (theme, placeholders, lengths) are kept as they are.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import {
  FIELD_TYPES,
  type FieldType,
  FORM_KINDS,
  type FormDefinition,
  type FormField,
  type FormKind,
  type FormTrigger,
  type Locale,
  type Localized,
} from '../../../shared/forms.ts';
import { api } from '../api.ts';
import {
  Check,
  ErrorSummary,
  type FieldErrors,
  Group,
  moveAt,
  NumberInput,
  replaceAt,
  Select,
  saveErrors,
  slug,
  TextArea,
  TextInput,
} from '../edit.tsx';
import { href } from '../router.ts';
import { Loading, leaveNotice, PageHeading, Problem, takeNotice } from '../ui.tsx';
import { useApi } from '../use-api.ts';
import { FormSubmissions } from './form-submissions.tsx';

const KIND_LABELS: Record<FormKind, string> = {
  inline: 'Inline (placed in a page)',
  popup: 'Popup',
  slide_in: 'Slide-in',
  bar: 'Bar',
};

const TYPE_LABELS: Record<FieldType, string> = {
  email: 'Email',
  text: 'Text',
  tel: 'Phone',
  textarea: 'Long text',
  select: 'Choice list',
  checkbox: 'Checkbox',
  consent: 'Consent',
  hidden: 'Hidden value',
};

type TriggerType = FormTrigger['type'];
const TRIGGERS: readonly (readonly [TriggerType, string])[] = [
  ['load', 'When the page loads'],
  ['delay', 'After some seconds'],
  ['scroll', 'After scrolling part of the page'],
  ['exit_intent', 'When the visitor is about to leave'],
  ['pageviews', 'After some pages in the visit'],
  ['click', 'When an element is clicked'],
];

/** Each trigger with its setting's default (what switching to it starts from). */
const TRIGGER_DEFAULTS: Record<TriggerType, FormTrigger> = {
  load: { type: 'load' },
  delay: { type: 'delay', seconds: 5 },
  scroll: { type: 'scroll', percent: 50 },
  exit_intent: { type: 'exit_intent' },
  pageviews: { type: 'pageviews', count: 2 },
  click: { type: 'click', selector: '' },
};

const LANGS: readonly (readonly [Locale, string, string])[] = [
  ['en', 'English', 'en'],
  ['vi', 'Vietnamese', 'vi'],
];

const TEXTS = [
  ['title', 'Title'],
  ['description', 'Description'],
  ['submit', 'Button'],
  ['success', 'Thank-you message'],
] as const;

/** The theme colours the editor sets, with the chunk's defaults (README, Theming). */
const COLOURS = [
  ['--tp-accent', 'Button and focus colour', '#0b57d0'],
  ['--tp-accent-fg', 'Button text colour', '#ffffff'],
  ['--tp-bg', 'Background', '#ffffff'],
  ['--tp-fg', 'Text colour', '#1f1f1f'],
] as const;

/** WCAG contrast ratio of two `#rrggbb` colours (1 to 21). */
function contrast(a: string, b: string): number {
  const lum = (hex: string) => {
    const [r = 0, g = 0, bl = 0] = [1, 3, 5].map((i) => {
      const c = Number.parseInt(hex.slice(i, i + 2), 16) / 255;
      return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
  };
  const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

/** A theme colour as the colour input needs it (`#rrggbb`), else its default. */
const colourOf = (theme: FormDefinition['theme'], key: string, fallback: string) => {
  const v = theme?.[key];
  if (v && /^#[0-9a-f]{6}$/i.test(v)) return v.toLowerCase();
  if (v && /^#[0-9a-f]{3}$/i.test(v)) return `#${[...v.slice(1)].map((c) => c + c).join('')}`;
  return fallback;
};

/** A new form starts with the one field every lead form needs. */
const NEW_FORM: FormDefinition = {
  id: '',
  name: '',
  kind: 'inline',
  fields: [{ name: 'email', type: 'email', required: true, label: { en: 'Email', vi: 'Email' } }],
};

/** The text of a localized value in one language (a plain string reads as the English one). */
const textIn = (v: Localized | undefined, lang: Locale): string =>
  v === undefined ? '' : typeof v === 'string' ? (lang === 'en' ? v : '') : (v[lang] ?? '');

/**
 * `v` with `lang` set to `text` (a plain string becomes its English text, which Vietnamese falls
 * back to, as before); `undefined` when no language has a text (the default text shows).
 */
function withText(v: Localized | undefined, lang: Locale, text: string): Localized | undefined {
  const o: Partial<Record<Locale, string>> = typeof v === 'string' ? { en: v } : { ...(v ?? {}) };
  if (text) o[lang] = text;
  else delete o[lang];
  return o.en || o.vi ? o : undefined;
}

/** A select's options as lines: `value`, `value | label`, or `value | English | Vietnamese`. */
const optionsText = (options: FormField['options']): string =>
  (options ?? [])
    .map((o) =>
      o.label === undefined
        ? o.value
        : typeof o.label === 'string'
          ? `${o.value} | ${o.label}`
          : `${o.value} | ${o.label.en ?? ''} | ${o.label.vi ?? ''}`,
    )
    .join('\n');

function parseOptions(text: string): FormField['options'] {
  return text
    .split('\n')
    .map((line) => line.split('|').map((s) => s.trim()))
    .filter(([value]) => value)
    .map(([value = '', en, vi]) =>
      vi !== undefined
        ? { value, label: withText(withText(undefined, 'en', en ?? ''), 'vi', vi) }
        : en
          ? { value, label: en }
          : { value },
    );
}

/** A glob list as lines, and back. */
const lines = (l: string[] | undefined) => (l ?? []).join('\n');
const toLines = (s: string) =>
  s
    .split('\n')
    .map((x) => x.trim())
    .filter(Boolean);

/** `fields.2.label.en` → `Field 3 (company) › label › en`, for the error summary. */
function describePath(path: string, def: FormDefinition): string {
  const [head, i, ...rest] = path.split('.');
  if (head === 'fields' && i !== undefined && /^\d+$/.test(i)) {
    const f = def.fields[Number(i)];
    const name = f?.name ? ` (${f.name})` : '';
    return [`Field ${Number(i) + 1}${name}`, ...rest].join(' › ');
  }
  return path ? path.split('.').join(' › ') : 'Form';
}

/** What a visitor would find hard to read with these colours (WCAG AA: 4.5:1 for text). */
function lowContrast(theme: FormDefinition['theme']): string[] {
  const c = (k: string) => colourOf(theme, k, COLOURS.find(([key]) => key === k)![2]);
  const out: string[] = [];
  const button = contrast(c('--tp-accent'), c('--tp-accent-fg'));
  if (button < 4.5)
    out.push(
      `The button text is hard to read on the button colour (${button.toFixed(1)}:1, needs 4.5:1).`,
    );
  const text = contrast(c('--tp-bg'), c('--tp-fg'));
  if (text < 4.5)
    out.push(`The text is hard to read on the background (${text.toFixed(1)}:1, needs 4.5:1).`);
  return out;
}

/**
 * The editor of form `id`, or of a new form when `id` is undefined.
 *
 * @example <FormEditorPage id="newsletter" />
 */
export function FormEditorPage({ id }: { id?: string }) {
  const loaded = useApi<FormDefinition>(id ? `/v1/forms/${encodeURIComponent(id)}` : null);
  if (id && loaded.error) {
    return (
      <>
        <PageHeading title="Form" />
        <Problem error={loaded.error} />
        <p>
          <a href={href(['setup'])}>Back to forms & scoring</a>
        </p>
      </>
    );
  }
  // Only this form's own data (not what an earlier route loaded) starts the editor.
  if (id && loaded.data?.id !== id) {
    return (
      <>
        <PageHeading title="Form" />
        <Loading />
      </>
    );
  }
  return <Editor key={id ?? 'new'} initial={(id && loaded.data) || NEW_FORM} isNew={!id} />;
}

function Editor({ initial, isNew }: { initial: FormDefinition; isNew: boolean }) {
  const [def, setDef] = useState<FormDefinition>(initial);
  const [errors, setErrors] = useState<FieldErrors>([]);
  const [problem, setProblem] = useState('');
  // A new form's creation navigates here and leaves its line.
  const [status, setStatus] = useState(takeNotice);
  const [busy, setBusy] = useState(false);
  // The id follows the name until the marketer types one.
  const [idTouched, setIdTouched] = useState(!isNew);
  const summary = useRef<HTMLDivElement>(null);
  const [focusField, setFocusField] = useState<number | null>(null);

  useEffect(() => {
    if (focusField === null) return;
    document.querySelector<HTMLElement>(`[data-path="fields.${focusField}.type"]`)?.focus();
    setFocusField(null);
  }, [focusField]);

  const set = (patch: Partial<FormDefinition>) => {
    setDef((d) => ({ ...d, ...patch }));
    setStatus('');
  };
  const setField = (i: number, patch: Partial<FormField>) =>
    set({ fields: replaceAt(def.fields, i, (f) => ({ ...f, ...patch })) });
  const overlay = def.kind !== 'inline';

  const save = async (e: Event) => {
    e.preventDefault();
    if (busy) return;
    setBusy(true);
    setStatus('');
    try {
      const saved = await api<FormDefinition>(
        isNew ? '/v1/forms' : `/v1/forms/${encodeURIComponent(def.id)}`,
        { method: isNew ? 'POST' : 'PUT', body: JSON.stringify(def) },
      );
      setErrors([]);
      setProblem('');
      if (isNew) {
        leaveNotice(`Created “${saved.name}”.`);
        location.hash = href(['setup', 'forms', saved.id]);
        return;
      }
      setDef(saved);
      setStatus(`Saved “${saved.name}”. Pages pick it up on their next load.`);
    } catch (err) {
      const { fields, text } = saveErrors(err);
      setErrors(fields);
      setProblem(text);
      // After the summary renders: a screen reader reads it, Tab goes on to its links.
      setTimeout(() => summary.current?.focus());
    } finally {
      setBusy(false);
    }
  };

  const remove = async () => {
    if (!confirm(`Delete the form “${def.name}”? Its submissions stay readable through the API.`))
      return;
    try {
      await api(`/v1/forms/${encodeURIComponent(def.id)}`, { method: 'DELETE' });
      location.hash = href(['setup']);
    } catch (err) {
      setProblem(saveErrors(err).text);
      setTimeout(() => summary.current?.focus());
    }
  };

  const trigger = def.trigger ?? TRIGGER_DEFAULTS.load;
  const frequency = def.frequency ?? { show: 'session' as const };
  const targeting = def.targeting ?? {};

  return (
    <>
      <p class="crumbs">
        <a href={href(['setup'])}>Forms & scoring</a>
      </p>
      <PageHeading title={isNew ? 'New form' : `Form: ${initial.name}`} />
      <form class="editor" onSubmit={save} aria-label={isNew ? 'New form' : 'Edit form'}>
        <ErrorSummary
          errors={errors}
          text={problem}
          describe={(p) => describePath(p, def)}
          summaryRef={summary}
        />
        <Group title="Form">
          <div class="row">
            <TextInput
              label="Name"
              path="name"
              errors={errors}
              required
              maxLength={200}
              value={def.name}
              onValue={(name) => set(idTouched ? { name } : { name, id: slug(name) })}
            />
            <TextInput
              label="Id"
              path="id"
              errors={errors}
              hint={
                isNew
                  ? 'Lowercase letters, digits, - and _. Used in the embed code; it cannot change later.'
                  : 'Used in the embed code; it cannot change.'
              }
              required
              readOnly={!isNew}
              maxLength={64}
              pattern="[a-z0-9][a-z0-9_\-]*"
              value={def.id}
              onValue={(v) => {
                setIdTouched(true);
                set({ id: v });
              }}
            />
          </div>
          <div class="row">
            <Select
              label="Kind"
              path="kind"
              errors={errors}
              value={def.kind}
              options={FORM_KINDS.map((k) => [k, KIND_LABELS[k]] as const)}
              onValue={(kind) => set({ kind })}
            />
            <Select
              label="Language"
              path="locale"
              errors={errors}
              value={def.locale ?? ''}
              options={[
                ['', 'The page’s, else the visitor’s browser'],
                ['en', 'Always English'],
                ['vi', 'Always Vietnamese'],
              ]}
              onValue={(v) => set({ locale: v || undefined })}
            />
          </div>
          <Check
            label="Sales-ready: a submission makes the lead sales-qualified (SQL) and notifies sales"
            path="salesReady"
            errors={errors}
            checked={def.salesReady}
            onValue={(v) => set({ salesReady: v || undefined })}
          />
          {!isNew && def.kind === 'inline' && (
            <p class="small">
              Place it in a page with <code>{`<div data-tp-form="${def.id}"></div>`}</code>
            </p>
          )}
        </Group>

        <Group title="Look">
          <div class="row">
            {COLOURS.map(([key, label, fallback]) => (
              <div class="control" key={key}>
                <label for={`theme-${key}`}>{label}</label>
                <input
                  id={`theme-${key}`}
                  data-path={`theme.${key}`}
                  type="color"
                  class="colour"
                  value={colourOf(def.theme, key, fallback)}
                  onInput={(e) => set({ theme: { ...def.theme, [key]: e.currentTarget.value } })}
                />
              </div>
            ))}
            <NumberInput
              label="Corner radius (px)"
              path="theme.--tp-radius"
              errors={errors}
              min={0}
              max={40}
              step={1}
              value={
                def.theme?.['--tp-radius'] ? Number.parseFloat(def.theme['--tp-radius']) : undefined
              }
              onValue={(v) => {
                const { '--tp-radius': _, ...rest } = def.theme ?? {};
                set({ theme: v === undefined ? rest : { ...rest, '--tp-radius': `${v}px` } });
              }}
            />
          </div>
          {lowContrast(def.theme).map((m) => (
            <p key={m} class="field-error" role="status">
              {m}
            </p>
          ))}
          {def.theme && Object.keys(def.theme).length > 0 && (
            <button type="button" class="link" onClick={() => set({ theme: undefined })}>
              Back to the default look
            </button>
          )}
        </Group>

        <Group title={`Fields (${def.fields.length})`}>
          <ol class="field-list">
            {def.fields.map((f, i) => (
              <li key={i}>
                <fieldset class="field-row">
                  <legend>
                    Field {i + 1}
                    {f.name ? `: ${f.name}` : ''}
                  </legend>
                  <div class="row">
                    <Select
                      label="Type"
                      path={`fields.${i}.type`}
                      errors={errors}
                      value={f.type}
                      options={FIELD_TYPES.map((t) => [t, TYPE_LABELS[t]] as const)}
                      onValue={(type) => setField(i, { type })}
                    />
                    <TextInput
                      label="Name (the lead trait it fills)"
                      path={`fields.${i}.name`}
                      errors={errors}
                      required
                      maxLength={64}
                      pattern="[A-Za-z][A-Za-z0-9_]*"
                      value={f.name}
                      onValue={(name) => setField(i, { name })}
                    />
                  </div>
                  <div class="row">
                    {LANGS.map(([lang, langName, tag]) => (
                      <TextInput
                        key={lang}
                        label={`${f.type === 'consent' ? 'Consent text' : 'Label'} (${langName})`}
                        path={`fields.${i}.label.${lang}`}
                        errors={errors}
                        lang={tag}
                        maxLength={2000}
                        value={textIn(f.label, lang)}
                        onValue={(t) => setField(i, { label: withText(f.label, lang, t) })}
                      />
                    ))}
                  </div>
                  {f.type === 'select' && (
                    <TextArea
                      label="Choices, one per line"
                      hint="value, or value | label, or value | English label | Vietnamese label"
                      path={`fields.${i}.options`}
                      errors={errors}
                      value={optionsText(f.options)}
                      onValue={(t) => setField(i, { options: parseOptions(t) })}
                    />
                  )}
                  {f.type === 'hidden' && (
                    <TextInput
                      label="Value"
                      hint="A URL query parameter with the field’s name replaces it."
                      path={`fields.${i}.value`}
                      errors={errors}
                      maxLength={500}
                      value={f.value}
                      onValue={(value) => setField(i, { value: value || undefined })}
                    />
                  )}
                  {f.type !== 'hidden' && (
                    <div class="row checks">
                      <Check
                        label="Required"
                        path={`fields.${i}.required`}
                        errors={errors}
                        checked={f.required}
                        onValue={(v) => setField(i, { required: v || undefined })}
                      />
                      <Check
                        label="Ask only when not known yet (progressive)"
                        path={`fields.${i}.progressive`}
                        errors={errors}
                        checked={f.progressive}
                        onValue={(v) => setField(i, { progressive: v || undefined })}
                      />
                    </div>
                  )}
                  <div class="actions">
                    <button
                      type="button"
                      disabled={i === 0}
                      aria-label={`Move field ${i + 1} up`}
                      onClick={() => set({ fields: moveAt(def.fields, i, -1) })}
                    >
                      ↑ Up
                    </button>
                    <button
                      type="button"
                      disabled={i === def.fields.length - 1}
                      aria-label={`Move field ${i + 1} down`}
                      onClick={() => set({ fields: moveAt(def.fields, i, 1) })}
                    >
                      ↓ Down
                    </button>
                    <button
                      type="button"
                      disabled={def.fields.length === 1}
                      aria-label={`Remove field ${i + 1}${f.name ? ` (${f.name})` : ''}`}
                      onClick={() => {
                        set({ fields: def.fields.filter((_, j) => j !== i) });
                        setFocusField(Math.min(i, def.fields.length - 2));
                      }}
                    >
                      Remove
                    </button>
                  </div>
                </fieldset>
              </li>
            ))}
          </ol>
          <button
            type="button"
            disabled={def.fields.length >= 30}
            onClick={() => {
              set({ fields: [...def.fields, { name: '', type: 'text' }] });
              setFocusField(def.fields.length);
            }}
          >
            Add a field
          </button>
        </Group>

        <Group title="Texts">
          <p class="muted small">Empty texts show the built-in ones, in the visitor’s language.</p>
          {TEXTS.map(([key, label]) => (
            <div class="row" key={key}>
              {LANGS.map(([lang, langName, tag]) => (
                <TextInput
                  key={lang}
                  label={`${label} (${langName})`}
                  path={`texts.${key}.${lang}`}
                  errors={errors}
                  lang={tag}
                  maxLength={2000}
                  value={textIn(def.texts?.[key], lang)}
                  onValue={(t) =>
                    set({ texts: { ...def.texts, [key]: withText(def.texts?.[key], lang, t) } })
                  }
                />
              ))}
            </div>
          ))}
        </Group>

        {overlay && (
          <Group title="When and where it shows">
            <div class="row">
              <Select
                label="Show"
                path="trigger.type"
                errors={errors}
                value={trigger.type}
                options={TRIGGERS}
                onValue={(t) => set({ trigger: TRIGGER_DEFAULTS[t] })}
              />
              {trigger.type === 'delay' && (
                <NumberInput
                  label="Seconds after the page loads"
                  path="trigger.seconds"
                  errors={errors}
                  min={0}
                  max={3600}
                  required
                  value={trigger.seconds}
                  onValue={(seconds) =>
                    set({ trigger: { ...trigger, seconds: seconds as number } })
                  }
                />
              )}
              {trigger.type === 'scroll' && (
                <NumberInput
                  label="Percent of the page scrolled"
                  path="trigger.percent"
                  errors={errors}
                  min={0}
                  max={100}
                  required
                  value={trigger.percent}
                  onValue={(percent) =>
                    set({ trigger: { ...trigger, percent: percent as number } })
                  }
                />
              )}
              {trigger.type === 'pageviews' && (
                <NumberInput
                  label="Pages viewed in the visit"
                  path="trigger.count"
                  errors={errors}
                  min={1}
                  max={1000}
                  step={1}
                  required
                  value={trigger.count}
                  onValue={(count) => set({ trigger: { ...trigger, count: count as number } })}
                />
              )}
              {trigger.type === 'click' && (
                <TextInput
                  label="CSS selector of the element"
                  path="trigger.selector"
                  errors={errors}
                  required
                  maxLength={300}
                  placeholder=".get-quote"
                  value={trigger.selector}
                  onValue={(selector) => set({ trigger: { ...trigger, selector } })}
                />
              )}
            </div>
            <div class="row">
              <Select
                label="How often"
                path="frequency.show"
                errors={errors}
                value={frequency.show}
                options={[
                  ['once', 'Once per visitor'],
                  ['session', 'Once per visit'],
                  ['always', 'Every time it triggers'],
                ]}
                onValue={(show) => set({ frequency: { ...frequency, show } })}
              />
              <NumberInput
                label="Days to wait after it is closed"
                path="frequency.dismissDays"
                errors={errors}
                min={0}
                max={3650}
                value={frequency.dismissDays}
                onValue={(dismissDays) => set({ frequency: { ...frequency, dismissDays } })}
              />
              <Select
                label="Devices"
                path="targeting.device"
                errors={errors}
                value={targeting.device ?? 'all'}
                options={[
                  ['all', 'All devices'],
                  ['desktop', 'Desktop only'],
                  ['mobile', 'Phones only'],
                ]}
                onValue={(device) => set({ targeting: { ...targeting, device } })}
              />
            </div>
            <Check
              label="Never show it to a visitor who is already a lead"
              path="frequency.hideKnown"
              errors={errors}
              checked={frequency.hideKnown}
              onValue={(v) => set({ frequency: { ...frequency, hideKnown: v || undefined } })}
            />
            <div class="row">
              <TextArea
                label="Only on these pages"
                hint="One per line; * matches anything; a line starting with / is a path. Empty: every page."
                path="targeting.include"
                errors={errors}
                value={lines(targeting.include)}
                onValue={(t) => set({ targeting: { ...targeting, include: toLines(t) } })}
              />
              <TextArea
                label="Never on these pages"
                hint="One per line, as above."
                path="targeting.exclude"
                errors={errors}
                value={lines(targeting.exclude)}
                onValue={(t) => set({ targeting: { ...targeting, exclude: toLines(t) } })}
              />
            </div>
          </Group>
        )}

        <div class="actions">
          {/* Not `disabled` while busy: a disabled button would drop keyboard focus to <body>. */}
          <button type="submit" class="primary" aria-disabled={busy ? 'true' : undefined}>
            {isNew ? 'Create form' : 'Save form'}
          </button>
          {!isNew && (
            <button type="button" class="danger" onClick={remove}>
              Delete form
            </button>
          )}
          <p class="muted small" role="status">
            {status}
          </p>
        </div>
      </form>
      {!isNew && <FormSubmissions formId={initial.id} />}
    </>
  );
}
