/**
 * When a form may show: targeting, frequency and progressive profiling as pure functions of the
 * definition and what the browser remembers. The forms chunk calls them; tests call them directly.
 */
import type { FormDefinition, FormField, FormTargeting } from './forms.ts';
import { globMatch } from './scoring.ts';

/** A glob matcher: the chunk's small {@link globMatch}, or the collector's compiled one. */
export type GlobMatch = (glob: string, text: string) => boolean;

/**
 * True when the URL matches the glob (`*` = any run of characters, case-insensitive): a glob
 * starting with `/` is tried on the path, then the path and query; any glob on the whole URL.
 * The hash never counts. Never backtracking: no marketer glob can make a page slow (a regular
 * expression with many `*` could).
 *
 * @example urlMatches('/pricing*', 'https://a.com/pricing?x=1') // true
 */
export function urlMatches(glob: string, url: string, match: GlobMatch = globMatch): boolean {
  const href = url.split('#')[0]!;
  if (match(glob, href)) return true;
  if (!glob.startsWith('/')) return false;
  try {
    const u = new URL(href);
    return match(glob, u.pathname) || match(glob, u.pathname + u.search);
  } catch {
    return false;
  }
}

export type Device = 'desktop' | 'mobile';

/**
 * True when the form targets this page and device (absent: any device): an include glob
 * matches (or there are none) and no exclude glob matches.
 */
export function targetingMatches(
  t: FormTargeting | undefined,
  url: string,
  device?: Device,
  match?: GlobMatch,
): boolean {
  if (!t) return true;
  if (device && t.device && t.device !== 'all' && t.device !== device) return false;
  if (t.include?.length && !t.include.some((g) => urlMatches(g, url, match))) return false;
  return !t.exclude?.some((g) => urlMatches(g, url, match));
}

/** What one browser remembers about one form (localStorage). Times are ms since epoch. */
export interface FormMemory {
  shownAt?: number;
  /** Session id the form was last shown in. */
  shownSession?: string;
  dismissedAt?: number;
  submittedAt?: number;
}

const DAY_MS = 86_400_000;

/**
 * True when a popup, slide-in or bar may show now. A form already submitted from this browser
 * never shows again; `once` shows a single time; `session` once per session; `always` whenever
 * it triggers; after a dismissal it waits `dismissDays`; `hideKnown` keeps it from known leads.
 *
 * @example frequencyAllows(def, {}, { now: Date.now(), sessionId: 's1', identified: false }) // true
 */
export function frequencyAllows(
  def: Pick<FormDefinition, 'frequency'>,
  mem: FormMemory,
  ctx: { now: number; sessionId: string; identified: boolean },
): boolean {
  const f = def.frequency ?? { show: 'session' };
  if (mem.submittedAt) return false;
  if (f.hideKnown && ctx.identified) return false;
  if (f.dismissDays && mem.dismissedAt && ctx.now - mem.dismissedAt < f.dismissDays * DAY_MS)
    return false;
  if (f.show === 'once') return !mem.shownAt;
  if (f.show === 'session') return mem.shownSession !== ctx.sessionId;
  return true;
}

/**
 * The fields to show: every non-progressive field, and the progressive ones whose value is not
 * known yet, at most `progressiveLimit` of them (so a known field is replaced by the next
 * unknown one). Returns the fields and the names of the progressive fields left out.
 *
 * @example visibleFields(def, { company: true }).fields.map((f) => f.name)
 */
export function visibleFields(
  def: Pick<FormDefinition, 'fields' | 'progressiveLimit'>,
  known: Record<string, boolean>,
): { fields: FormField[]; skipped: string[] } {
  let room = def.progressiveLimit ?? Number.POSITIVE_INFINITY;
  const fields: FormField[] = [];
  const skipped: string[] = [];
  for (const f of def.fields) {
    if (!f.progressive) fields.push(f);
    else if (known[f.name] !== true && room > 0) {
      room--;
      fields.push(f);
    } else skipped.push(f.name);
  }
  return { fields, skipped };
}

/** Percent of the page scrolled to the bottom of the viewport, 0 to 100. */
export function scrollPercent(scrollY: number, viewport: number, pageHeight: number): number {
  if (pageHeight <= viewport) return 100;
  return Math.min(100, Math.max(0, ((scrollY + viewport) / pageHeight) * 100));
}

/**
 * Desktop exit intent: the pointer left the document (`relatedTarget` null, so not onto a link
 * or any element of the page) through the top edge of the viewport, toward tabs and the address bar.
 */
export function isExitIntent(e: { clientY: number; relatedTarget: unknown }): boolean {
  return e.relatedTarget === null && e.clientY <= 0;
}

/**
 * Touch exit intent: the reader flicks the page back up toward the address bar — with a finger,
 * more than a quarter of the viewport at over 2 px/ms — after reading a bit. A "back to top" link,
 * a script or a focused field scrolling the page never counts (no finger moved it, and it follows a
 * click, hash change or focus change), nor does an ordinary drag back to re-read a paragraph.
 * `from`/`to` are scroll positions `dt` ms apart, `viewport` the viewport's height, `sinceDrag`
 * the ms since the finger last dragged the page (a touchmove: the glide after a flick follows
 * it) and `sinceNav` the ms since the last click, hash change or focus change. (Plain numbers,
 * not an object: the chunk's budget is tight.)
 *
 * @example isFastScrollUp(1200, 900, 100, 640, 50, 9e9) // true
 */
export function isFastScrollUp(
  from: number,
  to: number,
  dt: number,
  viewport: number,
  sinceDrag: number,
  sinceNav: number,
): boolean {
  const up = from - to;
  return from > 300 && up > viewport / 4 && up > 2 * dt && sinceDrag < 1000 && sinceNav > 1000;
}
