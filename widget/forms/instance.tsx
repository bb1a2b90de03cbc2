/**
 * One form on screen: its state, re-rendered with `view()` on every change, and the dialog
 * behaviour of popups (focus moved in and trapped, ESC and the backdrop close it) and of every
 * closable kind (focus returns where it was).
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
  // Where focus goes back on close: what had it when the form opened, or what got it since outside
  // the form (a bar shown on load is reached by Tab from the page, and × must lead back there).
  let back = document.activeElement as HTMLElement | null;
  const onFocus = (e: FocusEvent) => {
    if (!root.activeElement) back = e.target as HTMLElement;
  };
  const $ = <E extends Element = HTMLElement>(sel: string) => root.querySelector<E>(sel);

  const close = () => {
    const inside = root.activeElement;
    document.removeEventListener('keydown', onKey, true);
    document.removeEventListener('focusin', onFocus);
    render(null, mount);
    // Not from a slide-in closed while the visitor is elsewhere in the page (its × by mouse).
    if (modal || inside) back?.focus();
    o.closed?.(s.done);
  };

  const onKey = (e: KeyboardEvent) => {
    const inside = root.activeElement;
    // ESC closes a modal always, a slide-in or bar when focus is inside it; not while an input
    // method composes a word (Vietnamese Telex/VNI): there ESC cancels the composition.
    if (e.key === 'Escape' && !e.isComposing && e.keyCode !== 229 && (modal || inside)) {
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
      // Queued either way; offline it is only sent later, so do not say it was received.
      s.offline = !navigator.onLine;
      paint();
      $('.ok')?.focus();
    },
  };
  const paint = () => render(view(s), mount);

  paint();
  if (o.closed) {
    document.addEventListener('keydown', onKey, true);
    document.addEventListener('focusin', onFocus);
  }
  if (modal) {
    $(FOCUSABLE)?.focus();
    // The backdrop closes the dialog for pointer users; keyboard users have ESC and the × button.
    // Only a press and a click both on the backdrop itself, from 500 ms after opening: not the rest
    // of the tap that opened it, nor a text selection dragged out of a field (its click goes to
    // the common ancestor, the backdrop).
    const ov = $('.ov')!;
    let down: EventTarget | null = null;
    // (Statement bodies: an `on*` handler returning false would cancel every event inside.)
    ov.onpointerdown = (e) => {
      down = e.target;
    };
    ov.onclick = (e) => {
      if (down === ov && e.target === ov && Date.now() - started > 500) close();
    };
  }
}
