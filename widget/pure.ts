/** Pure helpers of the tag: ids, URL cleaning, campaign keys, sessions, backoff. No DOM, no clock. */

/** Session length without activity, ms (30 minutes). */
export const SESSION_MS = 18e5;

/** The session as the tag keeps it: id, last activity (ms), campaign key that started it. */
export interface Session {
  i: string;
  t: number;
  c?: string;
}

/**
 * A random id of about 128 bits (four random 32-bit words in base 36).
 *
 * @example uid() // 'qx7r1c3k0n9y2m1w5b8t4j'
 */
export const uid = (words = crypto.getRandomValues(new Uint32Array(4))): string =>
  [...words].map((n) => n.toString(36)).join('');

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
    // `.h` ends with `.domain`: the domain itself or one of its subdomains. No referrer (`h`
    // empty) answers '' either way.
    (`.${h}`.endsWith(`.${domain}`) ? '' : h)
  );
}

/**
 * The session after activity at `now`: a new one (id from `newId`) after 30 minutes of
 * inactivity or when a different campaign (non-empty `c`) arrives, else the same one touched.
 * A session no pageview has given a campaign key yet (`c` undefined: started by a command the
 * page queued before the tag loaded) takes the first one it gets, rather than being followed by
 * a second session for the landing page's campaign.
 *
 * @example nextSession(undefined, 0, '', () => 'a') // { i: 'a', t: 0, c: '' }
 */
export const nextSession = (
  prev: Session | undefined,
  now: number,
  c: string | undefined,
  newId: () => string,
): Session =>
  !prev || now - prev.t > SESSION_MS || (c && c !== (prev.c ?? c))
    ? { i: newId(), t: now, c }
    : { ...prev, t: now, c: prev.c ?? c };

/**
 * Delay before retry number `attempt` (0-based): exponential with full jitter, at most 5 minutes.
 * `r` is a random number in [0, 1).
 *
 * @example backoff(3, 0.5) // 4000
 */
export const backoff = (attempt: number, r: number): number =>
  r * Math.min(3e5, 1e3 * 2 ** attempt);
