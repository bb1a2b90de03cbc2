/**
 * What the form and scoring editors share: labelled inputs that show the collector's field errors
 * where they belong (the problem's `errors[].path`, `fields.2.name`), and the error summary at
 * the top of the form that takes focus after a refused save and leads to each field.
 */
import type { ComponentChildren, Ref } from 'preact';
import { ApiError } from './api.ts';
import { fieldMessage } from './field-errors.ts';
import { messages } from './i18n.ts';

const t = messages({
  'Not saved. Change what is marked:': 'Chưa lưu. Hãy sửa những chỗ được đánh dấu:',
  'The collector refused these settings.': 'Collector không chấp nhận các thiết lập này.',
});

export type FieldErrors = { path: string; message: string }[];

/** The element id of a path's control and of its error text. */
const controlId = (path: string) => `f-${path.replace(/[^\w-]/g, '-')}`;
const errorId = (path: string) => `${controlId(path)}-error`;

/** Errors at exactly `path`, in the dashboard's language. */
export const errorsAt = (errors: FieldErrors, path: string): string[] =>
  errors.filter((e) => e.path === path).map((e) => fieldMessage(e.message));

/** What a failed save says: the problem's field errors, or its message as a form-wide line. */
export function saveErrors(err: unknown): { fields: FieldErrors; text: string } {
  if (!(err instanceof ApiError)) return { fields: [], text: String(err) };
  // The problem's title ("does not match the schema") says less than the list under it.
  if (err.fields.length)
    return { fields: err.fields, text: t('Not saved. Change what is marked:') };
  return { fields: err.fields, text: err.message };
}

/** The attributes tying a control to its path's error, and the error text under it. */
function useField(path: string, errors: FieldErrors, hint?: string) {
  const messages = errorsAt(errors, path);
  const described = [messages.length ? errorId(path) : '', hint ? `${controlId(path)}-hint` : '']
    .filter(Boolean)
    .join(' ');
  return {
    attrs: {
      id: controlId(path),
      'data-path': path,
      'aria-invalid': messages.length ? ('true' as const) : undefined,
      'aria-describedby': described || undefined,
    },
    after: (
      <>
        {hint && (
          <span id={`${controlId(path)}-hint`} class="muted small">
            {hint}
          </span>
        )}
        {messages.length > 0 && (
          <span id={errorId(path)} class="field-error">
            {messages.join(' · ')}
          </span>
        )}
      </>
    ),
  };
}

/**
 * A control with its label above and its hint and error below, outside the label: the label
 * alone is the control's name; hint and error are its description (`aria-describedby`).
 */
export function Control({
  label,
  path,
  class: className,
  children,
}: {
  label: string;
  path: string;
  class?: string;
  children: ComponentChildren;
}) {
  return (
    <div class={className ? `control ${className}` : 'control'}>
      <label for={controlId(path)}>{label}</label>
      {children}
    </div>
  );
}

interface Common {
  label: string;
  path: string;
  errors: FieldErrors;
  hint?: string;
  class?: string;
}

/** A text input; `onValue` gets the text as typed. */
export function TextInput({
  label,
  path,
  errors,
  hint,
  value,
  onValue,
  class: className,
  ...rest
}: Common & {
  value: string | undefined;
  onValue(v: string): void;
  required?: boolean;
  maxLength?: number;
  pattern?: string;
  placeholder?: string;
  readOnly?: boolean;
  inputRef?: Ref<HTMLInputElement>;
  lang?: string;
  /** The id of a <datalist> of suggestions. */
  list?: string;
}) {
  const f = useField(path, errors, hint);
  const { inputRef, ...attrs } = rest;
  return (
    <Control class={className} label={label} path={path}>
      <input
        type="text"
        ref={inputRef}
        {...attrs}
        {...f.attrs}
        value={value ?? ''}
        onInput={(e) => onValue(e.currentTarget.value)}
      />
      {f.after}
    </Control>
  );
}

/** A multi-line input; `onValue` gets the text as typed. */
export function TextArea({
  label,
  path,
  errors,
  hint,
  value,
  onValue,
  class: className,
  lang,
}: Common & { value: string; onValue(v: string): void; lang?: string }) {
  const f = useField(path, errors, hint);
  return (
    <Control class={className} label={label} path={path}>
      <textarea
        {...f.attrs}
        lang={lang}
        rows={3}
        value={value}
        onInput={(e) => onValue(e.currentTarget.value)}
      />
      {f.after}
    </Control>
  );
}

/** A number input; empty is `undefined` (the setting is left out). */
export function NumberInput({
  label,
  path,
  errors,
  hint,
  value,
  onValue,
  class: className,
  min,
  max,
  step = 'any',
  required,
}: Common & {
  value: number | undefined | null;
  onValue(v: number | undefined): void;
  min?: number;
  max?: number;
  step?: number | 'any';
  required?: boolean;
}) {
  const f = useField(path, errors, hint);
  return (
    <Control class={className} label={label} path={path}>
      <input
        {...f.attrs}
        type="number"
        inputMode="decimal"
        min={min}
        max={max}
        step={step}
        required={required}
        value={value ?? ''}
        onInput={(e) => {
          const raw = e.currentTarget.value;
          // `valueAsNumber` is NaN while the text is not (yet) a number: keep what was there.
          const n = e.currentTarget.valueAsNumber;
          if (raw === '') onValue(undefined);
          else if (Number.isFinite(n)) onValue(n);
        }}
      />
      {f.after}
    </Control>
  );
}

/** A select of `[value, label]` options. */
export function Select<T extends string>({
  label,
  path,
  errors,
  hint,
  value,
  onValue,
  options,
  class: className,
}: Common & {
  value: T;
  onValue(v: T): void;
  options: readonly (readonly [T, string])[];
}) {
  const f = useField(path, errors, hint);
  return (
    <Control class={className} label={label} path={path}>
      <select {...f.attrs} value={value} onChange={(e) => onValue(e.currentTarget.value as T)}>
        {options.map(([v, text]) => (
          <option key={v} value={v}>
            {text}
          </option>
        ))}
      </select>
      {f.after}
    </Control>
  );
}

/** A checkbox with its label to the right. */
export function Check({
  label,
  path,
  errors,
  hint,
  checked,
  onValue,
}: Common & { checked: boolean | undefined; onValue(v: boolean): void }) {
  const f = useField(path, errors, hint);
  return (
    <div class="control check">
      <label>
        <input
          {...f.attrs}
          type="checkbox"
          checked={!!checked}
          onChange={(e) => onValue(e.currentTarget.checked)}
        />{' '}
        {label}
      </label>
      {f.after}
    </div>
  );
}

/**
 * The list of what the collector refused, at the top of the form. It takes focus when a save is
 * refused (a screen reader reads it); each line's button moves to the field it is about.
 *
 * @example <ErrorSummary errors={errors} text={text} describe={(p) => p} summaryRef={ref} />
 */
export function ErrorSummary({
  errors,
  text,
  describe,
  summaryRef,
}: {
  errors: FieldErrors;
  text: string;
  describe(path: string): string;
  summaryRef: Ref<HTMLDivElement>;
}) {
  if (!text && errors.length === 0) return null;
  return (
    <div class="error-summary" role="alert" tabIndex={-1} ref={summaryRef}>
      <p>
        <strong>{text || t('The collector refused these settings.')}</strong>
      </p>
      {errors.length > 0 && (
        <ul>
          {errors.map((e) => (
            <li key={`${e.path}:${e.message}`}>
              <button
                type="button"
                class="link"
                onClick={() => {
                  // The nearest control: `fields.2.options.0.value` is shown at `fields.2.options`, and
                  // `engagement.1.event` (a rule-wide error) at the rule's first control.
                  for (let p = e.path; p; p = p.replace(/\.?[^.]*$/, '')) {
                    const q = CSS.escape(p);
                    const el = document.querySelector<HTMLElement>(
                      `[data-path="${q}"], [data-path^="${q}."]`,
                    );
                    if (el) return el.focus();
                  }
                }}
              >
                {describe(e.path)}
              </button>
              : {fieldMessage(e.message)}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** A group of controls with a visible title (a fieldset and its legend). */
export function Group({
  title,
  children,
  class: className,
}: {
  title: ComponentChildren;
  children: ComponentChildren;
  class?: string;
}) {
  return (
    <fieldset class={className ? `group ${className}` : 'group'}>
      <legend>{title}</legend>
      {children}
    </fieldset>
  );
}

/** `items` with the one at `i` replaced by `f(item)`. */
export const replaceAt = <T,>(items: readonly T[], i: number, f: (x: T) => T): T[] =>
  items.map((x, j) => (j === i ? f(x) : x));

/** `items` with the one at `i` moved by `by` places (kept within the list). */
export function moveAt<T>(items: readonly T[], i: number, by: number): T[] {
  const j = Math.max(0, Math.min(items.length - 1, i + by));
  const out = [...items];
  const [x] = out.splice(i, 1);
  out.splice(j, 0, x as T);
  return out;
}
