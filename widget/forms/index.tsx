/**
 * The forms chunk: loaded with a dynamic import() only when a form will show. `mount(host)`
 * renders inline forms into their placeholders and arms the triggers of popups, slide-ins and
 * bars (again for each new route of a single-page app); `mount(host, id)` shows that form now.
 * Nothing here throws into the page.
 */
import type { FormDefinition, SiteConfig } from '../../shared/forms.ts';
import { captureSelector, type FormsHost, type MountForms } from '../../shared/forms-host.ts';
import { frequencyAllows, targetingMatches, visibleFields } from '../../shared/forms-rules.ts';
import { pickLocale } from '../../shared/forms-texts.ts';
import { capture } from './capture.ts';
import { openForm } from './instance.tsx';
import { type Memory, memory } from './memory.ts';
import { CSS } from './styles.ts';
import { arm } from './triggers.ts';

interface State {
  host: FormsHost;
  config: SiteConfig;
  mem: Memory;
  /** Forms on screen now (popups, slide-ins, bars), so a trigger never opens one twice. */
  open: Set<string>;
  /** The route whose triggers are armed, and what disarms them. */
  route: string;
  offs: (() => void)[];
}

let booting: Promise<State> | undefined;

const warn = (e: unknown) => console.warn('[touchpoint] forms:', e);

/** A touch screen: exit intent then means a fast upward scroll, not the pointer leaving. */
const isTouch = () => matchMedia('(pointer: coarse)').matches;

/** A random UUID, also where `crypto.randomUUID` is missing (pages served over plain http). */
const uuid = (): string =>
  crypto.randomUUID?.() ??
  '10000000-1000-4000-8000-100000000000'.replace(/[018]/g, (c) =>
    (+c ^ (crypto.getRandomValues(new Uint8Array(1))[0]! & (15 >> (+c / 4)))).toString(16),
  );

async function loadConfig(host: FormsHost): Promise<SiteConfig> {
  if (host.config?.visitor) return host.config;
  try {
    const res = await fetch(
      // Without leave to remember the visitor (consent, DNT), the config is asked for anonymously.
      `${host.host}/v1/sites/${encodeURIComponent(host.site)}/config${host.forgets?.() ? '' : `?anonymousId=${encodeURIComponent(host.anonymousId())}`}`,
    );
    if (res.ok) return await res.json();
  } catch {
    // offline: fall back to what the core fetched
  }
  if (host.config) return host.config;
  throw new Error('site config unavailable');
}

/** A shadow root on a fresh `<tp-form>` element, with the one stylesheet; host CSS cannot reach in. */
function shadowHost(nonce: string | undefined): [HTMLElement, ShadowRoot] {
  const el = document.createElement('tp-form');
  // CSSOM writes are allowed under a strict CSP; `all: initial` stops the page's inherited styles.
  el.style.setProperty('all', 'initial', 'important');
  el.style.setProperty('display', 'block', 'important');
  const root = el.attachShadow({ mode: 'open' });
  const style = document.createElement('style');
  if (nonce) style.nonce = nonce;
  style.textContent = CSS;
  root.append(style);
  return [el, root];
}

/** Renders one form; `place` puts the host element in the page. */
function show(s: State, def: FormDefinition, place: (el: HTMLElement) => void): void {
  const { host, mem } = s;
  const inline = def.kind === 'inline';
  if (!inline) {
    if (s.open.has(def.id)) return;
    s.open.add(def.id);
    mem.update(def.id, { shownAt: Date.now(), shownSession: host.sessionId() });
  }
  const [el, root] = shadowHost(host.nonce);
  place(el);
  const locale = pickLocale(def.locale, document.documentElement.lang, navigator.languages ?? []);
  const { fields, skipped } = visibleFields(def, { ...s.config.visitor?.known, ...mem.data.k });
  openForm({
    def,
    fields,
    locale,
    root,
    send(values, hp, elapsedMs) {
      const url = location.href.split('#')[0]!.replace(/[^\s&=?/]+(@|%40)[^\s&]+/gi, '');
      // Identified first, as the tag's `identify` does: a different person than the one known on
      // this browser gets a new anonymous id (DESIGN §7.4), and the submission must carry it, so
      // the lead it makes or finds gets this browser's next page views. The email is the one the
      // collector takes (submittedEmail): the first email field's, else the `email` field's.
      const email = values[def.fields.find((f) => f.type === 'email')?.name ?? ''] || values.email;
      if (typeof email === 'string') host.identified({ email });
      host.submit({
        f: def.id,
        site: host.site,
        id: uuid(),
        // The session first: it takes what other tabs stored, the anonymous id included.
        sessionId: host.sessionId(),
        anonymousId: host.anonymousId(),
        values,
        url,
        elapsedMs,
        hp,
        locale,
      });
      mem.update(def.id, { submittedAt: Date.now() });
      // An email under any field name makes the visitor known (`hideKnown`).
      mem.learn(
        Object.keys(values)
          .filter((k) => values[k] !== '' && values[k] !== false)
          .concat(email ? ['email'] : []),
      );
    },
    closed: inline
      ? undefined
      : (submitted) => {
          el.remove();
          s.open.delete(def.id);
          if (submitted) return;
          mem.update(def.id, { dismissedAt: Date.now() });
          host.track('form_dismiss', { name: def.id, properties: { kind: def.kind } });
        },
  });
  const viewed = () =>
    host.track('form_view', { name: def.id, properties: { kind: def.kind, skipped } });
  // An inline form is "viewed" when it scrolls into sight, not when the page loads below it.
  if (inline && typeof IntersectionObserver === 'function') {
    const io = new IntersectionObserver((entries) => {
      if (entries.some((e) => e.isIntersecting)) {
        io.disconnect();
        viewed();
      }
    });
    io.observe(el);
  } else viewed();
}

/** Fills every `[data-tp-form]` placeholder not filled yet. */
function fillPlaceholders(s: State): void {
  for (const ph of Array.from(document.querySelectorAll<HTMLElement>('[data-tp-form]'))) {
    if (ph.dataset.tpMounted) continue;
    const def = s.config.forms.find((f) => f.id === ph.dataset.tpForm);
    if (!def) continue;
    ph.dataset.tpMounted = '1';
    show(s, { ...def, kind: 'inline' }, (el) => ph.replaceChildren(el));
  }
}

/** Where an overlay kind goes: a bar first in the body (reached early by Tab), others last. */
const overlay = (def: FormDefinition) => (el: HTMLElement) =>
  def.kind === 'bar' ? document.body.prepend(el) : document.body.append(el);

async function start(host: FormsHost): Promise<State> {
  const s: State = {
    host,
    config: await loadConfig(host),
    mem: memory(host),
    open: new Set(),
    route: '',
    offs: [],
  };
  fillPlaceholders(s);
  // Placeholders added later (single-page apps) are filled as they appear.
  new MutationObserver(() => fillPlaceholders(s)).observe(document.body, {
    childList: true,
    subtree: true,
  });
  target(s);
  return s;
}

/** The route as the tag's core counts it: the URL without its hash, unless that is `#/…`, `#!/…`. */
const here = () => location.href.replace(/#(?![!/]).*/, '');

/**
 * Arms the triggers of the popups, slide-ins and bars that target the current route, once per
 * route: in a single-page app each route is a fresh page for them (its own delay, scroll, exit
 * intent and page count), and what the last route armed is disarmed. The config already holds
 * every form's targeting (the chunk asks for it without a page), so nothing is fetched again.
 */
function target(s: State): void {
  const { host } = s;
  const url = here();
  if (url === s.route) return;
  s.route = url;
  for (const off of s.offs.splice(0)) off();
  const pageviews = host.pageviews?.() ?? s.mem.pageview();
  const touch = isTouch();
  // Device targeting: phones and small tablets are `mobile`, whatever their pointer.
  const mobile = touch || innerWidth < 768;
  for (const def of s.config.forms) {
    if (
      def.kind === 'inline' ||
      !targetingMatches(def.targeting, url, mobile ? 'mobile' : 'desktop')
    )
      continue;
    const trigger = def.trigger ?? { type: 'load' };
    const allowed = () =>
      frequencyAllows(def, s.mem.form(def.id), {
        now: Date.now(),
        sessionId: host.sessionId(),
        // Known to the collector, or has sent an email from this browser (any tab, any form) since.
        identified: s.config.visitor?.identified === true || s.mem.data.k.email === true,
      });
    // A click on the marketer's button is the visitor asking: frequency rules do not apply.
    const asked = trigger.type === 'click';
    if (!asked && !allowed()) continue;
    s.offs.push(
      arm(
        trigger,
        () => {
          // The page moved to another route the core did not mount for (no form targets it, or
          // its answer is still on the way): this trigger belongs to the last one.
          if (here() !== url) {
            target(s);
            return false;
          }
          // Asked again when it fires: since it was armed, the visitor may have signed up through
          // another form of this page, or another tab may have shown this one or been sent.
          s.mem.load();
          if (asked || allowed()) show(s, def, overlay(def));
        },
        pageviews,
        touch,
      ),
    );
  }
}

/**
 * The chunk's entry (see `shared/forms-host.ts`). The first call also starts capturing the
 * page's own forms that `captureSelector` picks; a later call without an id (the core counted a
 * page view) arms the popups, slide-ins and bars of the route the page is on now, if it changed.
 *
 * @example const { mount } = await import('/tp-forms.js'); mount(host); mount(host, 'demo');
 */
export const mount: MountForms = (settings, formId, ...fns) => {
  try {
    const [anonymousId, sessionId, track, submit, identified, forgets] = fns;
    const host: FormsHost = anonymousId
      ? {
          ...settings,
          anonymousId,
          sessionId: sessionId!,
          track: track!,
          submit: submit!,
          identified: identified!,
          forgets,
        }
      : (settings as FormsHost);
    if (!booting) {
      // A site form to capture can be submitted before the config arrives: listen at once.
      const sel = captureSelector(host);
      addEventListener(
        'submit',
        (e) => {
          const f = e.target as HTMLFormElement;
          // A site form with an email makes the visitor known (`hideKnown`) to this chunk too.
          if (f.matches?.(sel) && capture(host, f)) memory(host).learn(['email']);
        },
        true,
      );
    }
    booting ??= start(host);
    booting
      .then((s) => {
        // Again without an id: the core counted a page view, maybe of a new route.
        if (!formId) return target(s);
        const def = s.config.forms.find((f) => f.id === formId);
        if (!def) warn(`no form ${formId}`);
        else if (def.kind === 'inline' && document.querySelector(`[data-tp-form="${def.id}"]`))
          fillPlaceholders(s);
        // An inline form asked for on a page without its placeholder opens as a popup.
        else show(s, { ...def, kind: def.kind === 'inline' ? 'popup' : def.kind }, overlay(def));
      })
      .catch(warn);
  } catch (e) {
    warn(e);
  }
};
