/** The tag as an ES module for bundlers: `init` with the same settings as the script attributes. */
import { boot } from './boot.ts';
import type { Config } from './config.ts';

/** Switches an attribute turns on by being present (`data-cookieless`, `data-capture-forms`). */
const PRESENT = ['cookieless', 'captureForms'] as const;
/** Switches an attribute turns off with the text `"false"` (`data-spa`, `data-respect-dnt`). */
const UNLESS_FALSE = ['spa', 'respectDnt'] as const;

type Switch = (typeof PRESENT)[number] | (typeof UNLESS_FALSE)[number];

/** `init`'s settings: the script's attributes, camel-cased; switches also as booleans. */
export type Settings = Omit<Config, Switch> & { [K in Switch]?: string | boolean };

/**
 * `settings` as the script attributes would give them: `cookieless: false` is no attribute at
 * all (present means on), `spa: false` is `"false"`. A bundler user writes booleans; the tag
 * reads attributes.
 *
 * @example attributes({ site: 'pk_1', host: 'https://c.example', spa: false, cookieless: true })
 * // { site: 'pk_1', host: 'https://c.example', spa: 'false', cookieless: '' }
 */
export function attributes(settings: Settings): Config {
  const out: Record<string, unknown> = { ...settings };
  for (const k of PRESENT) {
    if (settings[k] === false) delete out[k];
    else if (settings[k] === true) out[k] = '';
  }
  for (const k of UNLESS_FALSE) if (typeof settings[k] === 'boolean') out[k] = String(settings[k]);
  return out as unknown as Config;
}

/**
 * Starts the tag; afterwards call `touchpoint(...)` (or `window.touchpoint`) as with the script.
 *
 * @example init({ site: 'pk_1', host: 'https://collector.example.com', consent: 'required', spa: false });
 */
export function init(settings: Settings): void {
  boot(attributes(settings));
}

/** Runs one command (DESIGN §3), e.g. `touchpoint('track', 'signup')`; queued until `init` runs. */
export function touchpoint(...args: unknown[]): unknown {
  const w = window as unknown as {
    touchpoint?: ((...a: unknown[]) => unknown) & { q?: unknown[] };
  };
  const q: unknown[] = [];
  w.touchpoint ||= Object.assign((...a: unknown[]) => q.push(a), { q });
  return w.touchpoint(...args);
}
