/** SPA navigation: the only module that touches `history` (pushState, replaceState, popstate). */

/**
 * Calls `changed` after every pushState/replaceState and on popstate. The caller decides
 * whether the route really changed (path or query), so hash-only changes and replaceState of the
 * same route count nothing.
 *
 * @example watchHistory(() => maybePageview());
 */
export function watchHistory(changed: () => void): void {
  for (const m of ['pushState', 'replaceState'] as const) {
    const orig = history[m];
    history[m] = function (this: History, ...a: Parameters<History['pushState']>) {
      orig.apply(this, a);
      // After the router's own work (title, DOM) of this tick.
      setTimeout(changed);
    };
  }
  addEventListener('popstate', () => setTimeout(changed));
}
