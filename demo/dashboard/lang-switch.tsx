/** The language switch of the dashboard (header, sign-in). */
import { type Lang, lang, setLang } from './i18n.ts';

/** Every language, each named in itself (and marked as such for screen readers). */
const LANGS: readonly (readonly [Lang, string])[] = [
  ['en', 'English'],
  ['vi', 'Tiếng Việt'],
];

/**
 * The language switch: a button per language, the current one pressed. Each name is in its own
 * language (`lang`), so a screen reader says "Tiếng Việt" in Vietnamese.
 */
export function LanguageSwitch() {
  return (
    <fieldset class="langs">
      <legend class="sr-only">Language · Ngôn ngữ</legend>
      {LANGS.map(([l, name]) => (
        <button
          key={l}
          type="button"
          class="link"
          lang={l}
          aria-pressed={lang() === l ? 'true' : 'false'}
          onClick={() => setLang(l)}
        >
          {name}
        </button>
      ))}
    </fieldset>
  );
}
