/** Origin allow-lists: exact origins, `https://*.example.com` wildcards, or `*`. */

/**
 * True when `origin` is allowed by one of `allowed`. `*` allows every request, those without an
 * origin (servers, `Origin: null` sandboxes) included: it is the site saying anyone may write.
 *
 * @example originAllowed('https://shop.example.com', ['https://*.example.com']) // true
 */
export function originAllowed(
  origin: string | null | undefined,
  allowed: readonly string[],
): boolean {
  if (allowed.includes('*')) return true;
  if (!origin) return false;
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  const normalized = `${url.protocol}//${url.host}`.toLowerCase();
  for (const rule of allowed) {
    const r = rule.toLowerCase().replace(/\/+$/, '');
    if (r === normalized) return true;
    const m = /^(https?:)\/\/\*\.(.+)$/.exec(r);
    if (m && url.protocol === m[1] && url.host.toLowerCase().endsWith(`.${m[2]}`)) return true;
  }
  return false;
}
