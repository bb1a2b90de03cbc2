/**
 * The dashboard's languages: English and Vietnamese. Each module keeps its own Vietnamese texts
 * next to the code that shows them ({@link messages}), keyed by the English text, so a text
 * without its translation fails the typecheck rather than showing English in a Vietnamese page.
 * The language is the one the marketer chose (kept in localStorage), else the browser's.
 */

export type Lang = 'en' | 'vi';

const STORED = 'touchpoint.lang';

function initial(): Lang {
  try {
    const kept = localStorage.getItem(STORED);
    if (kept === 'en' || kept === 'vi') return kept;
  } catch {}
  const first = globalThis.navigator?.languages?.[0] ?? globalThis.navigator?.language ?? '';
  return first.toLowerCase().startsWith('vi') ? 'vi' : 'en';
}

let current: Lang = initial();
const listeners = new Set<(l: Lang) => void>();

/** The language texts are shown in now. */
export const lang = (): Lang => current;

/**
 * The BCP 47 tag dates and numbers are formatted with: the browser's own variant of the chosen
 * language (`en-GB` for a British browser), else `en-US` / `vi-VN`.
 */
export function locale(): string {
  const own = globalThis.navigator?.languages?.find((l) => l.toLowerCase().startsWith(current));
  return own ?? (current === 'vi' ? 'vi-VN' : 'en-US');
}

/** Switches the language, keeps the choice and tells whoever listens (the app shell redraws). */
export function setLang(l: Lang): void {
  current = l;
  try {
    localStorage.setItem(STORED, l);
  } catch {}
  document.documentElement.lang = l;
  for (const f of listeners) f(l);
}

/** Calls `f` on every change of language; returns the unsubscribe function. */
export function onLang(f: (l: Lang) => void): () => void {
  listeners.add(f);
  return () => listeners.delete(f);
}

type Vars = Record<string, string | number>;

/** `{name}` in `text` replaced by `vars.name` (numbers formatted for the language). */
function fill(text: string, vars?: Vars): string {
  if (!vars) return text;
  return text.replace(/\{(\w+)\}/g, (m, k: string) => {
    const v = vars[k];
    return v === undefined ? m : typeof v === 'number' ? v.toLocaleString(locale()) : v;
  });
}

/**
 * The translator of one module: `t(english, vars?)` answers the English text or its Vietnamese
 * one, with `{name}` placeholders filled. An English text with two forms, `one|many`, is
 * chosen by `vars.n` (Vietnamese has one form); without `n`, a `|` is only a character.
 *
 * @example
 * const t = messages({ 'Leads': 'Khách hàng tiềm năng', '{n} lead|{n} leads': '{n} khách hàng tiềm năng' });
 * t('{n} lead|{n} leads', { n: 2 }) // '2 leads', or '2 khách hàng tiềm năng' in Vietnamese
 */
export function messages<K extends string>(vi: Record<K, string>) {
  return (en: K, vars?: Vars): string => {
    let text: string = current === 'vi' ? vi[en] : en;
    if (current === 'en' && vars?.n !== undefined && text.includes('|')) {
      const [one, many] = text.split('|') as [string, string];
      text = vars?.n === 1 ? one : many;
    }
    return fill(text, vars);
  };
}

/**
 * Picks one of a pair by the language: for texts built in code (lists of labels, examples).
 *
 * @example pick({ en: 'Lead', vi: 'Khách hàng tiềm năng' })
 */
export const pick = <T>(pair: { en: T; vi: T }): T => pair[current];
