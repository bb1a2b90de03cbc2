/**
 * Forms hook-up: decides whether a form will show on this page and only then `import()`s the
 * forms chunk (`tp-forms.js`, same origin as the tag) and calls its `mount`. A page without
 * forms loads nothing.
 */
import type { FormsHost, MountForms } from '../shared/forms-host.ts';
import { glob } from './pure.ts';
import { getJson } from './transport.ts';

/** The part of a form definition (DESIGN §5) the core needs to decide whether to load the chunk. */
export interface FormTarget {
  kind?: string;
  targeting?: { include?: string[]; exclude?: string[]; device?: string };
}

/**
 * True when a popup / slide-in / bar form targets this page (inline forms show only where their
 * `[data-tp-form]` element is). URL globs are tried on the path and on the whole URL.
 *
 * @example targets({ kind: 'popup', targeting: { include: ['/pricing*'] } }, 'https://a.com/pricing', '/pricing', false) // true
 */
export function targets(f: FormTarget, href: string, path: string, mobile: boolean): boolean {
  const t = f.targeting || {};
  const m = (g: string) => glob(g, path) || glob(g, href);
  return (
    f.kind !== 'inline' &&
    (!t.include?.[0] || t.include.some(m)) &&
    !t.exclude?.some(m) &&
    (!t.device || t.device === 'all' || (t.device === 'mobile') === mobile)
  );
}

let chunk: Promise<{ mount: MountForms }> | undefined;

/** Loads the chunk once and mounts it (`id`: show that form now). */
export function mountForms(host: FormsHost, id?: string): void {
  chunk ||= import(/* @vite-ignore */ `${host.endpoint}/tp-forms.js`);
  chunk.then((m) => m.mount(host, id)).catch(console.warn);
}

/**
 * Whether a form will show here: a `[data-tp-form]` element, or a form of the site config that
 * targets this page. The config is cached by the browser (the collector sends ETag and a short
 * max-age), so most pages ask nothing; before consent nothing is asked at all (`fetchOk`).
 *
 * @example if (await formsWanted(host, 'pk_1', true)) mountForms(formsHost);
 */
export async function formsWanted(host: string, site: string, fetchOk: boolean): Promise<boolean> {
  // An async tag can run before the body is parsed: look for inline forms once it is.
  if (document.readyState === 'loading')
    await new Promise((r) => addEventListener('DOMContentLoaded', r, { once: true }));
  if (document.querySelector('[data-tp-form]')) return true;
  const c = fetchOk && (await getJson<{ forms?: FormTarget[] }>(`${host}/v1/sites/${site}/config`));
  const mobile = matchMedia('(max-width:767px)').matches;
  return !!(c && c.forms?.some((f) => targets(f, location.href, location.pathname, mobile)));
}
