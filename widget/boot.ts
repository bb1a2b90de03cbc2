/** Installs the real `window.touchpoint` over the stub and drains its queue in order (DESIGN §3). */
import type { Config } from './config.ts';
import { start } from './core.ts';

type Stub = ((...a: unknown[]) => unknown) & { q?: ArrayLike<unknown>[]; tp?: 1 };

/**
 * Starts the tag once per page (a second copy of the script does nothing), runs the commands
 * queued before it loaded, then counts the first pageview.
 *
 * @example boot({ site: 'pk_1', host: 'https://c.example.com', ... });
 */
export function boot(cfg: Config | undefined): void {
  const w = window as unknown as { touchpoint?: Stub };
  try {
    if (!cfg?.site || w.touchpoint?.tp) return;
    const [command, pageview] = start(cfg);
    const queued = w.touchpoint?.q as unknown[][] | undefined;
    const fn = command as Stub;
    fn.tp = 1;
    w.touchpoint = fn;
    queued?.map((a) => fn(...a));
    pageview();
  } catch (e) {
    console.warn('touchpoint:', e);
  }
}
