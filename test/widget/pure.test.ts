// @vitest-environment happy-dom
/** Pure parts of the tag: sessions, backoff, campaign keys, email stripping, globs, form targeting. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { backoff, campaign, clean, nextSession, SESSION_MS, uid } from '../../widget/pure.ts';

describe('sessions', () => {
  const ids = () => {
    let n = 0;
    return () => `s${++n}`;
  };

  it('keeps the session while active and starts a new one after 30 minutes idle', () => {
    const id = ids();
    const a = nextSession(undefined, 0, '', id);
    const b = nextSession(a, SESSION_MS, '', id);
    expect(b.i).toBe(a.i);
    const c = nextSession(b, 2 * SESSION_MS + 1, '', id);
    expect(c.i).not.toBe(a.i);
  });

  it('starts a new session when a different campaign arrives, not for the same one or none', () => {
    const id = ids();
    const a = nextSession(undefined, 0, 'utm_source=x', id);
    expect(nextSession(a, 1000, 'utm_source=x', id).i).toBe(a.i);
    expect(nextSession(a, 1000, '', id)).toMatchObject({ i: a.i, c: 'utm_source=x' });
    expect(nextSession(a, 1000, 'www.google.com', id).i).not.toBe(a.i);
  });

  it('a session started before any pageview takes the landing campaign instead of splitting', () => {
    const id = ids();
    // A `track` the page queued before the tag loaded: no campaign key yet.
    const early = nextSession(undefined, 0, undefined, id);
    const landing = nextSession(early, 5, '?utm_source=news', id);
    expect(landing).toEqual({ i: early.i, t: 5, c: '?utm_source=news' });
    // From then on a different campaign is a new session, as always.
    expect(nextSession(landing, 10, 'www.google.com', id).i).not.toBe(early.i);
    expect(nextSession(landing, 10, undefined, id)).toMatchObject({
      i: early.i,
      c: '?utm_source=news',
    });
  });

  it('derives the campaign from UTM / click ids, else an external referrer', () => {
    const utm = campaign('https://a.com/?utm_source=g&utm_medium=cpc&x=1', '', 'a.com');
    expect(utm).toMatch(/utm_source.g.utm_medium.cpc$/);
    expect(campaign('https://a.com/?x=2&utm_medium=cpc&utm_source=g', '', 'a.com')).not.toBe(utm);
    expect(campaign('https://a.com/?gclid=1', 'https://www.google.com/', 'a.com')).toBe('?gclid=1');
    expect(campaign('https://a.com/?msclkid=1', '', 'a.com')).toBe('?msclkid=1');
    expect(campaign('https://a.com/', 'https://www.google.com/', 'a.com')).toBe('www.google.com');
    expect(campaign('https://a.com/', 'https://blog.a.com/x', 'a.com')).toBe('');
    expect(campaign('https://a.com/', '', 'a.com')).toBe('');
  });
});

describe('backoff', () => {
  it('grows exponentially with full jitter and never passes 5 minutes', () => {
    expect(backoff(0, 0.999)).toBeLessThan(1000);
    expect(backoff(3, 0.5)).toBe(4000);
    expect(backoff(50, 0.999)).toBeLessThan(300_000);
    fc.assert(
      fc.property(fc.nat(1000), fc.double({ min: 0, max: 0.9999, noNaN: true }), (n, r) => {
        const d = backoff(n, r);
        return d >= 0 && d <= 300_000;
      }),
    );
  });
});

describe('privacy helpers', () => {
  it('strips email addresses from URLs, encoded or not', () => {
    expect(clean('https://a.com/?email=jo@x.io&b=1')).toBe('https://a.com/?email=&b=1');
    expect(clean('https://a.com/?e=jo%40x.io#top')).toBe('https://a.com/?e=#top');
    expect(clean('https://a.com/users/jo.doe@corp.example/profile')).toBe(
      'https://a.com/users//profile',
    );
    expect(clean('https://a.com/p?q=shoes')).toBe('https://a.com/p?q=shoes');
    fc.assert(
      // As browsers put them in URLs: percent-encoded in a query value.
      fc.property(fc.emailAddress(), fc.webUrl({ withFragments: true }), (email, url) => {
        const u = new URL(url);
        u.searchParams.set('e', email);
        expect(clean(u.href)).not.toContain('%40');
      }),
    );
  });

  it('makes ids of 128 random bits', () => {
    const a = uid();
    expect(a).toMatch(/^[0-9a-z]{8,28}$/);
    expect(uid()).not.toBe(a);
    expect(uid(new Uint32Array([35, 36, 0, 4294967295]))).toBe('z1001z141z3');
  });
});
