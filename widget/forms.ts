/**
 * Forms hook-up: decides whether a form will show on this page and only then `import()`s the
 * forms chunk (`tp-forms.js`, same origin as the tag) and calls its `mount`. A page without
 * forms loads nothing. The chunk also captures a site's own forms (rare, so not in the core).
 */
import type { CaptureForm, MountForms } from '../shared/forms-host.ts';
import { clean } from './pure.ts';
import { getJson } from './transport.ts';

/** What the forms chunk exports. */
export interface Chunk {
  mount: MountForms;
  capture: CaptureForm;
}

let chunk: Promise<Chunk> | undefined;

/**
 * Imports the chunk from collector `endpoint` once, then runs `use` with it.
 *
 * @example withChunk(host.endpoint, (m) => m.mount(host));
 */
export function withChunk(endpoint: string, use: (m: Chunk) => unknown = Object): void {
  chunk ||= import(/* @vite-ignore */ `${endpoint}/tp-forms.js`);
  chunk.then(use).catch(console.warn);
}

/**
 * Whether a form will show here: a `[data-tp-form]` element, or a popup, slide-in or bar the
 * collector says targets this page and device (it filters by `url` and `device`; the chunk checks
 * again). The browser caches the config (ETag, short max-age); before consent nothing is asked at
 * all (`fetchOk`). A form matching `capture` (a site form to capture) loads the chunk early.
 *
 * @example if (await formsWanted(host, 'pk_1', true, '[data-tp-capture]')) withChunk(host, …);
 */
export async function formsWanted(
  host: string,
  site: string,
  fetchOk: boolean,
  capture: string,
): Promise<unknown> {
  const doc = document;
  // An async tag can run before the body is parsed: look for forms once it is.
  if (doc.readyState === 'loading')
    await new Promise((r) => addEventListener('DOMContentLoaded', r, { once: true }));
  if (doc.querySelector(capture)) withChunk(host);
  return (
    doc.querySelector('[data-tp-form]') ||
    (fetchOk &&
      (
        await getJson<{ forms?: { kind?: string }[] }>(
          `${host}/v1/sites/${site}/config?url=${encodeURIComponent(clean(location.href))}&device=${innerWidth < 768 ? 'mobile' : 'desktop'}`,
        )
      )?.forms?.some((f) => f.kind !== 'inline'))
  );
}
