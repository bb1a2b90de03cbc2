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

/** Sets one inline style of the page's root element; returns what restores it exactly. */
function pageStyle(prop: string, value: string): () => void {
  const st = document.documentElement.style;
  const was = st.getPropertyValue(prop);
  const priority = st.getPropertyPriority(prop);
  st.setProperty(prop, value, 'important');
  return () => st.setProperty(prop, was, priority);
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

  // What the overlay changed in the page (scroll lock, room under a bar), undone on close.
  const undo: (() => void)[] = [];
  let open = true;
  let ime = false;

  const close = () => {
    if (!open) return;
    open = false;
    const inside = root.activeElement;
    document.removeEventListener('keydown', onKey, true);
    document.removeEventListener('focusin', onFocus);
    for (const u of undo.reverse()) u();
    render(null, mount);
    // Not from a slide-in closed while the visitor is elsewhere in the page (its × by mouse).
    if (modal || inside) back?.focus();
    o.closed?.(s.done);
  };

  const onKey = (e: KeyboardEvent) => {
    const inside = root.activeElement;
    // ESC closes a modal always, a slide-in or bar when focus is inside it; not while an input
    // method composes a word (Vietnamese Telex/VNI): there ESC cancels the composition.
    ime = e.key === 'Escape' && (e.isComposing || e.keyCode === 229);
    if (e.key === 'Escape' && !ime && (modal || inside)) {
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
  const p = $('.p')!;
  if (modal) {
    // The top layer: no page z-index or transformed ancestor can cover or move it. Without
    // `showModal` (old browsers) the CSS still places it, fixed, in the middle.
    const d = p as HTMLDialogElement;
    if (d.showModal) d.showModal();
    else d.open = true;
    // The browser's own close request (ESC, Android back) closes it through `close()`; an ESC
    // that ended an input method composition closes nothing (the keydown said so).
    d.oncancel = (e) => {
      e.preventDefault();
      if (!ime) close();
    };
    d.onclose = close;
    // The page behind does not scroll with the wheel or a finger. A page with a classic
    // scrollbar keeps its room, or its content would jump sideways by the scrollbar's width.
    if (innerWidth > document.documentElement.clientWidth)
      undo.push(pageStyle('scrollbar-gutter', 'stable'));
    undo.push(pageStyle('overflow', 'hidden'));
    $(FOCUSABLE)?.focus();
    // The backdrop closes the dialog for pointer users; keyboard users have ESC and the × button.
    // Only a press and a click both on the backdrop, from 500 ms after opening: not the rest of
    // the tap that opened it, nor a text selection dragged out of a field (its click goes to the
    // common ancestor, the dialog). A click on `::backdrop` targets the dialog itself: outside its
    // box is the backdrop, inside it is its padding.
    const out = (e: MouseEvent) => {
      const r = d.getBoundingClientRect();
      const { clientX: x, clientY: y } = e;
      return e.target === d && (x < r.left || x > r.right || y < r.top || y > r.bottom);
    };
    let down = false;
    // (Statement bodies: an `on*` handler returning false would cancel every event inside.)
    d.onpointerdown = (e) => {
      down = out(e);
    };
    d.onclick = (e) => {
      if (down && out(e) && Date.now() - started > 500) close();
    };
  } else if (o.closed && p.showPopover) {
    p.popover = 'manual';
    p.showPopover();
  }
  if (def.kind === 'bar') {
    // Room under the bar at the end of the page, so its last links can be scrolled above it.
    const base = parseFloat(getComputedStyle(document.documentElement).paddingBottom) || 0;
    const fit = () => {
      if (open) pageStyle('padding-bottom', `${base + p.offsetHeight}px`);
    };
    undo.push(pageStyle('padding-bottom', `${base}px`));
    fit();
    if (self.ResizeObserver) new ResizeObserver(fit).observe(p);
  }
}
