/**
 * One form on screen: its state, re-rendered with `view()` on every change, and the dialog
 * behaviour of popups (focus moved in and trapped, ESC and the backdrop close it, focus returns).
 */
import { render } from 'preact';
import type { FormDefinition, FormField, Locale } from '../../shared/forms.ts';
import { validateValues } from '../../shared/validators.ts';
import { type ViewState, view } from './view.tsx';

const FOCUSABLE = 'input:not([tabindex="-1"]),select,textarea,button';

export interface InstanceOptions {
  def: FormDefinition;
  fields: FormField[];
  locale: Locale;
  root: ShadowRoot;
  /** Queues the submission (values already validated). */
  send(values: Record<string, string | boolean>, hp: string, elapsedMs: number): void;
  /** Called once when a popup, slide-in or bar closes; `submitted` tells a dismissal apart. */
  closed?(submitted: boolean): void;
}

/** Hidden fields take the URL query parameter of their name (campaign tracking), else their value. */
function initial(fields: FormField[]): Record<string, string | boolean> {
  const q = new URLSearchParams(location.search);
  const out: Record<string, string | boolean> = {};
  for (const f of fields) if (f.type === 'hidden') out[f.name] = q.get(f.name) ?? f.value ?? '';
  return out;
}

/**
 * Renders a form into `root` and runs it until it is closed.
 *
 * @example openForm({ def, fields, locale: 'vi', root, send, closed });
 */
export function openForm(o: InstanceOptions): void {
  const { root, def } = o;
  const modal = def.kind === 'popup';
  const mount = root.appendChild(document.createElement('div'));
  const started = Date.now();
  const before = document.activeElement as HTMLElement | null;
  const $ = <E extends Element = HTMLElement>(sel: string) => root.querySelector<E>(sel);

  const close = () => {
    document.removeEventListener('keydown', onKey, true);
    render(null, mount);
    if (modal) before?.focus?.();
    o.closed?.(s.done);
  };

  const onKey = (e: KeyboardEvent) => {
    const inside = root.activeElement;
    // ESC closes a modal always, a slide-in or bar when focus is inside it.
    if (e.key === 'Escape' && (modal || inside)) {
      e.preventDefault();
      close();
    } else if (modal && e.key === 'Tab') {
      // Keep Tab inside the dialog: wrap from the last control to the first and back.
      const items = Array.from(root.querySelectorAll<HTMLElement>(FOCUSABLE));
      const edge = e.shiftKey ? items[0] : items[items.length - 1];
      if (!inside || inside === edge) {
        e.preventDefault();
        (e.shiftKey ? items[items.length - 1] : items[0])?.focus();
      }
    }
  };

  const s: ViewState = {
    def,
    fields: o.fields,
    locale: o.locale,
    values: initial(o.fields),
    errors: {},
    done: false,
    close: o.closed && close,
    input(name, value) {
      s.values = { ...s.values, [name]: value };
      if (s.errors[name]) {
        s.errors = { ...s.errors };
        delete s.errors[name];
      }
      paint();
    },
    submit(e) {
      e.preventDefault();
      const res = validateValues(s.fields, s.values);
      s.errors = {};
      for (const x of res.errors) s.errors[x.path] = x.code;
      if (res.errors.length) {
        paint();
        $(`[name="${res.errors[0]!.path}"]`)?.focus();
        return;
      }
      o.send(res.values, $<HTMLInputElement>('#hp')?.value ?? '', Date.now() - started);
      s.done = true;
      paint();
      $('.ok')?.focus();
    },
  };
  const paint = () => render(view(s), mount);

  paint();
  if (o.closed) document.addEventListener('keydown', onKey, true);
  if (modal) {
    $(FOCUSABLE)?.focus();
    // The backdrop closes the dialog for pointer users; keyboard users have ESC and the × button.
    const ov = $('.ov');
    // (A statement body: an `onclick` returning false would cancel every click inside.)
    if (ov)
      ov.onclick = (e) => {
        if (e.target === ov) close();
      };
  }
}
