/** Pure helpers of the tag: ids, URL cleaning, campaign keys, sessions, backoff, globs. No DOM, no clock. */

/** Session length without activity, ms (30 minutes). */
export const SESSION_MS = 18e5;

/** The session as the tag keeps it: id, last activity (ms), campaign key that started it. */
export interface Session {
  i: string;
  t: number;
  c: string;
}

/**
 * A random id of about 128 bits from `rnd` (four 32-bit words in base 36).
 *
 * @example uid(() => crypto.getRandomValues(new Uint32Array(4)))
 */
export const uid = (rnd: () => Uint32Array): string =>
  [...rnd()].map((n) => n.toString(36)).join('');

/**
 * Strips email-like values (also `%40`-encoded) from a URL, so no address ever leaves the page.
 *
 * @example clean('https://a.com/?e=jo@x.io&b=1') // 'https://a.com/?e=&b=1'
 */
export const clean = (url: string): string => url.replace(/[^/?#&=;:]+(@|%40)[^/?#&=;]+/gi, '');

/**
 * What starts a new session besides inactivity: the campaign parameters of `href`, else the
 * host of an external `referrer` (one not under `domain`), else ''.
 *
 * @example campaign('https://a.com/?utm_source=x', '', 'a.com') // '?utm_source=x'
 */
export function campaign(href: string, referrer: string, domain: string): string {
  const h = referrer && new URL(referrer).hostname;
  return (
    href.match(/[?&](utm_\w+|\w+clk?id)=[^&#]*/g)?.join('') ||
    (h && h !== domain && !h.endsWith(`.${domain}`) ? h : '')
  );
}

/**
 * The session after activity at `now`: a new one after 30 minutes of inactivity or when a
 * different campaign (non-empty `c`) arrives, else the same one touched.
 *
 * @example nextSession(undefined, 0, '', () => 'a') // { i: 'a', t: 0, c: '' }
 */
export const nextSession = (
  prev: Session | undefined,
  now: number,
  c: string,
  newId: () => string,
): Session =>
  !prev || now - prev.t > SESSION_MS || (c && c !== prev.c)
    ? { i: newId(), t: now, c }
    : { i: prev.i, t: now, c: prev.c };

/**
 * Delay before retry number `attempt` (0-based): exponential with full jitter, at most 5 minutes.
 * `r` is a random number in [0, 1).
 *
 * @example backoff(3, 0.5) // 4000
 */
export const backoff = (attempt: number, r: number): number =>
  r * Math.min(3e5, 1e3 * 2 ** attempt);

/**
 * True when glob `g` (`*` matches anything) matches all of `s`.
 *
 * @example glob('/blog/*', '/blog/hello') // true
 */
export const glob = (g: string, s: string): boolean =>
  new RegExp(
    `^${g
      .split('*')
      .map((x) => x.replace(/\W/g, '\\$&'))
      .join('.*')}$`,
  ).test(s);
