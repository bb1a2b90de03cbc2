/** The channel classifier (DESIGN §8): a table of referrer / UTM cases and its invariants. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CHANNELS, type Channel, classify, sender } from '../../shared/channel.ts';

const SITE = 'https://www.acme.com';

// [landing path+query, referrer, channel, source]
const CASES: [string, string, Channel, string | null][] = [
  ['/', '', 'direct', null],
  ['/pricing', 'https://www.acme.com/', 'direct', null],
  ['/pricing', 'https://blog.acme.com/post', 'direct', null],
  ['/', 'https://www.google.com/', 'organic_search', 'google'],
  ['/', 'https://www.google.com.vn/', 'organic_search', 'google'],
  ['/', 'https://www.google.co.uk/search?q=x', 'organic_search', 'google'],
  ['/', 'https://www.bing.com/', 'organic_search', 'bing'],
  ['/', 'https://duckduckgo.com/', 'organic_search', 'duckduckgo'],
  ['/', 'https://search.yahoo.com/', 'organic_search', 'yahoo'],
  ['/', 'https://yandex.ru/', 'organic_search', 'yandex'],
  ['/', 'https://www.baidu.com/', 'organic_search', 'baidu'],
  ['/', 'https://coccoc.com/search', 'organic_search', 'coccoc'],
  ['/', 'https://www.ecosia.org/', 'organic_search', 'ecosia'],
  ['/', 'https://search.brave.com/', 'organic_search', 'brave'],
  ['/', 'https://www.facebook.com/', 'organic_social', 'facebook'],
  ['/', 'https://l.facebook.com/l.php', 'organic_social', 'facebook'],
  ['/', 'https://m.facebook.com/', 'organic_social', 'facebook'],
  ['/', 'https://t.co/abc', 'organic_social', 'twitter'],
  ['/', 'https://x.com/acme', 'organic_social', 'twitter'],
  ['/', 'https://www.linkedin.com/feed/', 'organic_social', 'linkedin'],
  ['/', 'https://lnkd.in/x', 'organic_social', 'linkedin'],
  ['/', 'https://www.reddit.com/r/analytics', 'organic_social', 'reddit'],
  ['/', 'https://www.youtube.com/watch?v=1', 'organic_social', 'youtube'],
  ['/', 'https://zalo.me/abc', 'organic_social', 'zalo'],
  ['/', 'https://news.ycombinator.com/item?id=1', 'organic_social', 'hackernews'],
  ['/', 'https://mail.google.com/mail/u/0/', 'email', 'gmail'],
  ['/', 'https://outlook.live.com/mail/', 'email', 'outlook'],
  ['/', 'https://mail.yahoo.com/', 'email', 'yahoo_mail'],
  ['/', 'https://example.org/blog/review', 'referral', 'example.org'],
  ['/', 'https://partner.io/', 'referral', 'partner.io'],
  ['/?utm_source=google&utm_medium=cpc&utm_campaign=spring', '', 'paid_search', 'google'],
  ['/?utm_source=bing&utm_medium=ppc', 'https://www.bing.com/', 'paid_search', 'bing'],
  ['/?utm_source=facebook&utm_medium=cpc', 'https://www.facebook.com/', 'paid_social', 'facebook'],
  ['/?utm_source=linkedin&utm_medium=paid_social', '', 'paid_social', 'linkedin'],
  ['/?utm_source=newsletter&utm_medium=email&utm_campaign=march', '', 'email', 'newsletter'],
  ['/?utm_source=mailchimp&utm_medium=EMAIL', '', 'email', 'mailchimp'],
  ['/?utm_source=gdn&utm_medium=display', '', 'display', 'gdn'],
  ['/?utm_source=dv360&utm_medium=cpm', '', 'display', 'dv360'],
  ['/?utm_source=awin&utm_medium=affiliate', '', 'affiliate', 'awin'],
  ['/?utm_source=twitter&utm_medium=social', 'https://t.co/x', 'organic_social', 'twitter'],
  ['/?utm_source=google&utm_medium=organic', 'https://www.google.com/', 'organic_search', 'google'],
  ['/?utm_source=podcast&utm_medium=audio', '', 'other', 'podcast'],
  ['/?utm_source=qr&utm_campaign=expo', '', 'other', 'qr'],
  ['/?utm_source=facebook', '', 'organic_social', 'facebook'],
  ['/?gclid=abc123', '', 'paid_search', 'google'],
  ['/?gclid=abc123', 'https://www.google.com/', 'paid_search', 'google'],
  ['/?msclkid=xyz', 'https://www.bing.com/', 'paid_search', 'bing'],
  ['/?fbclid=IwAR0', 'https://l.facebook.com/', 'paid_social', 'facebook'],
  ['/?fbclid=IwAR0&utm_source=newsletter&utm_medium=email', '', 'email', 'newsletter'],
  ['/?gclid=1&utm_source=partner&utm_medium=affiliate', '', 'affiliate', 'partner'],
  ['/?utm_medium=referral&utm_source=blogroll', '', 'referral', 'blogroll'],
];

describe('classify: referrer and UTM table', () => {
  it.each(CASES)('%s from %s → %s (%s)', (path, referrer, channel, source) => {
    const t = classify(SITE + path, referrer);
    expect(t.channel).toBe(channel);
    expect(t.source).toBe(source);
  });

  it('has at least 40 cases covering every channel', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(40);
    expect(new Set(CASES.map((c) => c[2]))).toEqual(new Set(CHANNELS));
  });

  it('keeps campaign, medium, landing URL and an external referrer on the touch', () => {
    expect(
      classify(
        `${SITE}/p?utm_source=google&utm_medium=CPC&utm_campaign=spring`,
        'https://www.google.com/',
      ),
    ).toEqual({
      channel: 'paid_search',
      source: 'google',
      medium: 'cpc',
      campaign: 'spring',
      referrer: 'https://www.google.com/',
      landingUrl: `${SITE}/p?utm_source=google&utm_medium=CPC&utm_campaign=spring`,
    });
    // An internal referrer is no referrer.
    expect(classify(`${SITE}/b`, `${SITE}/a`).referrer).toBeNull();
  });

  it('names senders under any country TLD', () => {
    expect(sender('www.google.com.vn')).toEqual({ kind: 'search', name: 'google' });
    expect(sender('mail.google.com')).toEqual({ kind: 'email', name: 'gmail' });
    expect(sender('shop.example.com')).toEqual({ name: 'shop.example.com' });
  });

  it('always answers one of the channels, whatever the input (never throws)', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string(), fc.webUrl({ withQueryParameters: true })),
        fc.oneof(fc.string(), fc.webUrl()),
        (u, r) => {
          expect(CHANNELS).toContain(classify(u, r).channel);
        },
      ),
      { numRuns: 300 },
    );
  });
});
