/** The sessions pipeline step on both stores: touch and channel per session, visitor first/last touch. */
import { describe, expect, it } from 'vitest';
import { event } from '../helpers/app.ts';
import { suiteHarness } from '../helpers/fixture.ts';
import { storeCases } from '../helpers/stores.ts';

// Timestamps in the recent past, sent now: no clock skew correction moves them.
const T0 = Date.now() - 3 * 86_400_000;

describe.each(storeCases)('sessions step on $name', (sc) => {
  const h = suiteHarness(sc);

  const session = async (id: string) =>
    (
      await h.store.query(`select * from sessions where site_id = $1 and session_id = $2`, [
        h.site.site.id,
        id,
      ])
    ).rows[0];
  const visitor = async (anon: string) =>
    (
      await h.store.query<{ first_touch: any; last_touch: any }>(
        `select first_touch, last_touch from visitors where site_id = $1 and anonymous_id = $2`,
        [h.site.site.id, anon],
      )
    ).rows[0]!;

  it('records the landing touch and channel, counts events once even when replayed', async () => {
    const land = event({
      anonymousId: 'v1',
      sessionId: 's1',
      timestamp: T0,
      url: 'https://www.example.com/pricing?utm_source=google&utm_medium=cpc&utm_campaign=spring',
      referrer: 'https://www.google.com/',
    });
    const next = event({
      anonymousId: 'v1',
      sessionId: 's1',
      timestamp: T0 + 5_000,
      type: 'track',
      name: 'x',
    });
    expect((await h.collect([land, next], { sentAt: Date.now() })).status).toBe(202);
    expect((await h.collect([land, next], { sentAt: Date.now() })).status).toBe(202);
    expect(await session('s1')).toMatchObject({
      anonymous_id: 'v1',
      events: 2,
      pageviews: 1,
      channel: 'paid_search',
      source: 'google',
      medium: 'cpc',
      campaign: 'spring',
      referrer: 'https://www.google.com/',
      landing_url: land.url,
    });
    expect((await visitor('v1')).first_touch).toMatchObject({
      channel: 'paid_search',
      campaign: 'spring',
      landingUrl: land.url,
    });
  });

  it('keeps the earliest pageview as landing when batches arrive out of order', async () => {
    const later = event({
      anonymousId: 'v2',
      sessionId: 's2',
      timestamp: T0 + 60_000,
      url: 'https://www.example.com/b',
      referrer: 'https://www.example.com/a',
    });
    const first = event({
      anonymousId: 'v2',
      sessionId: 's2',
      timestamp: T0,
      url: 'https://www.example.com/a',
      referrer: 'https://news.ycombinator.com/',
    });
    await h.collect([later], { sentAt: Date.now() });
    expect(await session('s2')).toMatchObject({ channel: 'direct', landing_url: later.url });
    await h.collect([first], { sentAt: Date.now() });
    expect(await session('s2')).toMatchObject({
      channel: 'organic_social',
      source: 'hackernews',
      landing_url: first.url,
      pageviews: 2,
    });
  });

  it('sets first touch from the first session and last touch from the latest non-direct one', async () => {
    const s = (sid: string, t: number, url: string, referrer = '') =>
      event({ anonymousId: 'v3', sessionId: sid, timestamp: t, url, referrer });
    await h.collect(
      [
        s('a', T0, 'https://www.example.com/', 'https://www.bing.com/'),
        s(
          'b',
          T0 + 86_400_000,
          'https://www.example.com/?utm_source=news&utm_medium=email&utm_campaign=may',
        ),
        s('c', T0 + 2 * 86_400_000, 'https://www.example.com/pricing'),
      ],
      { sentAt: Date.now() },
    );
    const v = await visitor('v3');
    expect(v.first_touch).toMatchObject({ channel: 'organic_search', source: 'bing' });
    expect(v.last_touch).toMatchObject({ channel: 'email', campaign: 'may', source: 'news' });
    expect(Object.keys(v.first_touch).sort()).toEqual([
      'at',
      'campaign',
      'channel',
      'landingUrl',
      'medium',
      'referrer',
      'source',
    ]);
  });
});
