/** The only code that talks to the network (fetch, sendBeacon). Never throws. */

/**
 * POSTs `body` as `text/plain` (a simple request: no CORS preflight). Resolves to the status
 * (0 on a network error) and the `Retry-After` header.
 *
 * @example const [status, retryAfter] = await post(`${host}/v1/collect`, json);
 */
export const post = (url: string, body: string): Promise<[number, string | null]> =>
  fetch(url, { method: 'POST', body }).then(
    (r) => [r.status, r.headers.get('retry-after')],
    () => [0, null],
  );

/** Hands a request to the browser to send even while the page unloads (no answer). */
export const beacon = (url: string, body: string): boolean => navigator.sendBeacon(url, body);

/** GETs JSON; null on any failure. */
export const getJson = <T>(url: string): Promise<T | null> =>
  fetch(url)
    .then((r) => (r.ok ? r.json() : null))
    .catch(() => null);
