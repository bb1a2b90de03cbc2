/**
 * What a form looks like, as a pure function of its state: the frame of its kind (inline,
 * popup dialog, slide-in dialog, bar region), its fields with their errors, and the submit
 * button. No hooks: the instance (`instance.tsx`) keeps the state and re-renders on change.
 */
/** @jsxRuntime classic */
/** @jsx h */
// Classic JSX: `h` is the createElement that `render` ships anyway, where the automatic runtime
// adds a second vnode factory to the chunk (54 B gzip).
// biome-ignore lint/correctness/noUnusedImports: used by the JSX pragma above.
import { h } from 'preact';
import type { FormDefinition, FormField, FormTexts, Locale } from '../../shared/forms.ts';
import { localize } from '../../shared/forms.ts';
import { errorText, UI_TEXTS } from '../../shared/forms-texts.ts';
import { type ErrorCode, maxLengthOf } from '../../shared/validators.ts';

export interface ViewState {
  def: FormDefinition;
  fields: FormField[];
  locale: Locale;
  values: Record<string, string | boolean>;
  errors: Record<string, ErrorCode>;
  done: boolean;
  /** Submitted while offline: queued, not received yet. */
  offline?: boolean;
  /** Absent for inline forms: they stay until the page goes. */
  close?: () => void;
  input(name: string, value: string | boolean): void;
  submit(e: Event): void;
}

const AUTOCOMPLETE: Record<string, string> = {
  email: 'email',
  name: 'name',
  company: 'organization',
  phone: 'tel',
};

function field(s: ViewState, f: FormField) {
  const id = `f-${f.name}`;
  const err = s.errors[f.name];
  const label = localize(f.label, s.locale, f.name);
  const star = f.required && (
    <span class="rq" aria-hidden="true">
      {' *'}
    </span>
  );
  const common = {
    id,
    name: f.name,
    required: f.required,
    'aria-invalid': err ? true : undefined,
    'aria-describedby': `${id}-e`,
  };
  const value = String(s.values[f.name] ?? '');
  const onInput = (e: Event) => s.input(f.name, (e.currentTarget as HTMLInputElement).value);
  const box = f.type === 'checkbox' || f.type === 'consent';
  return (
    <div class="f" key={f.name}>
      {box ? (
        <label class="ck">
          <input
            {...common}
            type="checkbox"
            checked={s.values[f.name] === true}
            onChange={(e) => s.input(f.name, e.currentTarget.checked)}
          />
          <span>
            {label}
            {star}
          </span>
        </label>
      ) : (
        <label for={id}>
          {label}
          {star}
        </label>
      )}
      {box ? null : f.type === 'select' ? (
        <select {...common} value={value} onChange={onInput}>
          <option value="">{UI_TEXTS[s.locale].choose}</option>
          {f.options?.map((o) => (
            <option key={o.value} value={o.value}>
              {localize(o.label, s.locale, o.value)}
            </option>
          ))}
        </select>
      ) : f.type === 'textarea' ? (
        <textarea {...common} value={value} maxLength={maxLengthOf(f)} onInput={onInput} />
      ) : (
        <input
          {...common}
          type={f.type as 'text'}
          value={value}
          maxLength={maxLengthOf(f)}
          autoComplete={AUTOCOMPLETE[f.name] ?? (f.type === 'text' ? 'on' : f.type)}
          placeholder={localize(f.placeholder, s.locale) || undefined}
          onInput={onInput}
        />
      )}
      <span class="er" id={`${id}-e`} aria-live="polite">
        {err ? errorText(s.locale, err, f.type) : ''}
      </span>
    </div>
  );
}

/** The whole form in its frame. */
export function view(s: ViewState) {
  const { def, locale, close } = s;
  const ui = UI_TEXTS[locale];
  const text = (t: keyof FormTexts, d = '') => localize(def.texts?.[t], locale, d);
  const modal = def.kind === 'popup';
  const desc = text('description');
  // A popup is a <dialog> the instance opens with `showModal()`: in the top layer, over any page
  // stacking or transform, with the page behind inert. `role` is kept explicit for its readers.
  const Panel = (modal ? 'dialog' : 'div') as 'div';
  const panel = (
    <Panel
      class="p"
      {...{
        role: modal || def.kind === 'slide_in' ? 'dialog' : 'region',
        'aria-modal': modal ? 'true' : undefined,
        'aria-labelledby': 't',
        'aria-describedby': desc ? 'ds' : undefined,
      }}
    >
      <h2 id="t">{text('title', def.name)}</h2>
      {desc && (
        <p class="d" id="ds">
          {desc}
        </p>
      )}
      {s.done ? (
        <p class="ok" role="status" tabIndex={-1}>
          {s.offline ? ui.offline : text('success', ui.success)}
        </p>
      ) : (
        <form noValidate onSubmit={s.submit}>
          {s.fields.map((f) => (f.type === 'hidden' ? null : field(s, f)))}
          <div class="hp" aria-hidden="true">
            <label for="hp">Website</label>
            <input id="hp" name="website" tabIndex={-1} autoComplete="off" />
          </div>
          <button class="s" type="submit">
            {text('submit', ui.submit)}
          </button>
        </form>
      )}
      {close && (
        <button class="x" type="button" aria-label={ui.close} onClick={close}>
          ×
        </button>
      )}
    </Panel>
  );
  return (
    // `dir`: `all: initial` on the host does not reset an RTL page's `direction`.
    <div class={`w k-${def.kind}`} lang={locale} dir="ltr" style={def.theme}>
      {panel}
    </div>
  );
}
