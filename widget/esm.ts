/** The tag as an ES module for bundlers: `init` with the same settings as the script attributes. */
import { boot } from './boot.ts';
import type { Config } from './config.ts';

/**
 * Starts the tag; afterwards call `touchpoint(...)` (or `window.touchpoint`) as with the script.
 *
 * @example init({ site: 'pk_1', host: 'https://collector.example.com', consent: 'required' });
 */
export function init(settings: Config): void {
  boot(settings);
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
