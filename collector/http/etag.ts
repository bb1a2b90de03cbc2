/** Entity tags of HTTP conditional requests (RFC 9110 §13.1). */

/**
 * True when an `If-None-Match` / `If-Match` header value names `etag`: `*`, or one of its
 * comma-separated tags. `weak` compares ignoring `W/` (If-None-Match's weak comparison);
 * If-Match needs the strong comparison.
 *
 * @example etagMatches('W/"a", "b"', '"a"') // true
 */
export function etagMatches(header: string | undefined, etag: string, weak = true): boolean {
  if (!header) return false;
  return header.split(',').some((t) => {
    const tag = t.trim();
    return tag === '*' || (weak ? tag.replace(/^W\//, '') : tag) === etag;
  });
}
