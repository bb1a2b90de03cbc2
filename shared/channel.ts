/**
 * The channel of a session (DESIGN §8) from its landing URL (UTM parameters, click ids) and
 * referrer. Pure: the same inputs always give the same touch; shared by the collector and tests.
 */
import { EMAIL_PROVIDERS, SEARCH_ENGINES, SOCIAL_NETWORKS } from './channel-table.ts';

export const CHANNELS = [
  'direct',
  'organic_search',
  'paid_search',
  'organic_social',
  'paid_social',
  'email',
  'referral',
  'display',
  'affiliate',
  'other',
] as const;

export type Channel = (typeof CHANNELS)[number];

/** Where a session came from (a Lead's `firstTouch` / `lastTouch` without its `at`). */
export interface Touch {
  channel: Channel;
  /** `utm_source`, else the known sender (`google`, `facebook`), else the referrer host. */
  source: string | null;
  /** `utm_medium` (lowercased), else `organic` / `social` / `referral` / `cpc` as inferred. */
  medium: string | null;
  campaign: string | null;
  referrer: string | null;
  landingUrl: string | null;
}

type Kind = 'search' | 'social' | 'email';

const esc = (s: string) => s.replace(/\./g, '\\.');
/** `[kind, name, regex]`: `brand.tld(.cc)` at the end of the host, or an exact host and its subdomains. */
const TABLE: [Kind, string, RegExp][] = (
  [
    ['email', EMAIL_PROVIDERS],
    ['search', SEARCH_ENGINES],
    ['social', SOCIAL_NETWORKS],
  ] as const
).flatMap(([kind, entries]) =>
  entries.map((entry): [Kind, string, RegExp] => {
    const [host, name] = entry.split('=') as [string, string?];
    const re = host.includes('.')
      ? new RegExp(`(^|\\.)${esc(host)}$`)
      : new RegExp(`(^|\\.)${host}\\.[a-z]{2,6}(\\.[a-z]{2})?$`);
    return [kind, name ?? host, re];
  }),
);

/**
 * What kind of sender a host (or a `utm_source` value) is, and its short name.
 *
 * @example sender('www.google.com.vn') // { kind: 'search', name: 'google' }
 */
export function sender(host: string): Readonly<{ kind?: Kind; name: string }> {
  let known = senders.get(host);
  if (!known) {
    known = lookUp(host);
    // Bounded: hosts and utm_source values come from visitors.
    if (senders.size >= 10_000) senders.clear();
    senders.set(host, known);
  }
  return known;
}

/** Answers of `sender` by host: referrers repeat, and a lookup tries every table entry twice. */
const senders = new Map<string, Readonly<{ kind?: Kind; name: string }>>();

function lookUp(host: string): { kind?: Kind; name: string } {
  const h = host.toLowerCase().replace(/^(www|m|l|lm|mobile)\./, '');
  for (const [kind, name, re] of TABLE)
    if (re.test(h) || re.test(`${h}.com`)) return { kind, name };
  return { name: h };
}

const url = (s: string | null | undefined): URL | null => {
  if (!s) return null;
  try {
    return new URL(s);
  } catch {
    return null;
  }
};

/** Same site: equal hosts (ignoring `www.`) or one a subdomain of the other. */
const sameSite = (a: string, b: string) => {
  const x = a.replace(/^www\./, '');
  const y = b.replace(/^www\./, '');
  return x === y || x.endsWith(`.${y}`) || y.endsWith(`.${x}`);
};

const PAID = /^(cpc|ppc|cpa|paid|paid[-_ ]?search|sem|paidsearch|adwords)$/;
const PAID_SOCIAL = /^(paid[-_ ]?social|social[-_ ]?paid|social[-_ ]?ads?|paidsocial)$/;
const DISPLAY = /^(display|banner|cpm|expandable|interstitial|programmatic|video)$/;
const AFFILIATE = /^(affiliate|affiliates|partner|partners)$/;
const EMAIL = /^(email|e-mail|e_mail|newsletter|mail)$/;
const SOCIAL = /^(social|social[-_ ]?network|social[-_ ]?media|sm|organic[-_ ]?social)$/;

/**
 * Classifies a session by its landing URL and referrer. UTM parameters win over click ids,
 * which win over the referrer: `gclid`/`msclkid` mean paid search and `fbclid` paid social unless
 * the UTM medium says otherwise; a referrer of the same site counts as none (direct).
 *
 * @example classify('https://a.com/?utm_source=google&utm_medium=cpc', '').channel // 'paid_search'
 */
export function classify(landingUrl?: string | null, referrer?: string | null): Touch {
  const land = url(landingUrl);
  const q = land?.searchParams;
  const p = (k: string) => q?.get(k)?.trim() || null;
  let source = p('utm_source');
  const medium = p('utm_medium')?.toLowerCase() ?? null;
  const campaign = p('utm_campaign');
  const ref = url(referrer);
  const refHost = ref && (!land || !sameSite(ref.hostname, land.hostname)) ? ref.hostname : null;
  const from = source ? sender(source) : refHost ? sender(refHost) : null;
  source = source ?? (from ? from.name : null);
  const touch = (channel: Channel, m = medium): Touch => ({
    channel,
    source,
    medium: m,
    campaign,
    referrer: refHost ? referrer! : null,
    landingUrl: landingUrl || null,
  });

  if (medium) {
    if (PAID_SOCIAL.test(medium)) return touch('paid_social');
    if (PAID.test(medium)) return touch(from?.kind === 'social' ? 'paid_social' : 'paid_search');
    if (DISPLAY.test(medium)) return touch('display');
    if (AFFILIATE.test(medium)) return touch('affiliate');
    if (EMAIL.test(medium)) return touch('email');
    if (SOCIAL.test(medium)) return touch('organic_social');
    if (medium === 'organic')
      return touch(from?.kind === 'social' ? 'organic_social' : 'organic_search');
    if (medium === 'referral') return touch('referral');
  }
  if (p('gclid') || p('gbraid') || p('wbraid') || p('msclkid') || p('dclid')) {
    source ??= p('msclkid') ? 'bing' : 'google';
    return touch('paid_search', medium ?? 'cpc');
  }
  if (p('fbclid')) {
    source ??= 'facebook';
    return touch('paid_social', medium ?? 'paid_social');
  }
  if (medium) return touch('other');
  if (from?.kind === 'email') return touch('email', 'email');
  if (from?.kind === 'search') return touch('organic_search', 'organic');
  if (from?.kind === 'social') return touch('organic_social', 'social');
  if (p('utm_source') || p('utm_campaign')) return touch('other');
  if (refHost) return touch('referral', 'referral');
  return touch('direct');
}
