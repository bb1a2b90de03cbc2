/** Which anonymous ids are browsers: the made-up ids of server-side events never are. */
import { describe, expect, it } from 'vitest';
import { isBrowserAnonymousId } from '../../collector/identity/index.ts';
import { anonymousIdOf } from '../../collector/ingest/segment-map.ts';
import { leadAnonymousId } from '../../collector/lifecycle/routes.ts';
import { browserAnonymousId } from '../../shared/schemas.ts';

describe('isBrowserAnonymousId', () => {
  it('knows every id the collector makes up for server-side events', () => {
    // Ties the shared definition to the code that makes the ids: a new prefix there fails here.
    expect(isBrowserAnonymousId(leadAnonymousId('lead_abc'))).toBe(false);
    expect(isBrowserAnonymousId(anonymousIdOf(null, 'u-42')!)).toBe(false);
    expect(isBrowserAnonymousId(anonymousIdOf(null, 'u'.repeat(300))!)).toBe(false);
  });

  it('takes the tag’s ids and a Segment message’s own anonymousId as browsers', () => {
    expect(isBrowserAnonymousId('0d6f4c1e-3c2a-4f59-9a57-0b1d1e6c2f10')).toBe(true);
    expect(isBrowserAnonymousId(anonymousIdOf('sa-1', 'u-42')!)).toBe(true);
    // Only a prefix marks a server-side id: the same letters elsewhere do not.
    expect(isBrowserAnonymousId('my-lead:1')).toBe(true);
  });
});

describe('browserAnonymousId (the public routes)', () => {
  it('refuses every id the collector makes up, so no page can write into a lead by its userId', () => {
    for (const made of [leadAnonymousId('lead_abc'), anonymousIdOf(null, 'u-42')!])
      expect(browserAnonymousId.safeParse(made).success, made).toBe(false);
    expect(browserAnonymousId.safeParse('0d6f4c1e-3c2a-4f59-9a57-0b1d1e6c2f10').success).toBe(true);
    expect(browserAnonymousId.safeParse('my-lead:1').success).toBe(true);
  });
});
