/** The only code that talks to the network (fetch, sendBeacon). Never throws. */

/**
 * POSTs `body` as `text/plain` (a simple request: no CORS preflight). Resolves to the status
 * (0 on a network error) and the `Retry-After` header.
 *
 * @example const [status, retryAfter] = await post(`${host}/v1/collect`, json);
 */
export const post = (url: string, body: string): Promise<[number, string | null]> =>
  fetch(url, { method: 'POST', body, keepalive: true }).then(
    (r) => [r.status, r.headers.get('retry-after')],
    () => [0, null],
  );

/**
 * Hands a request to the browser to send even while the page unloads; returns `n` (how many
 * items the body carries) so the caller can move on.
 */
export function beacon(n: number, url: string, body: string): number {
  navigator.sendBeacon(url, body);
  return n;
}

/** GETs JSON; null on any failure. */
export const getJson = <T>(url: string): Promise<T | null> =>
  fetch(url)
    .then((r) => (r.ok ? r.json() : null))
    .catch(() => null);
