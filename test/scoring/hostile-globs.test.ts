/**
 * Rule and form URL globs written to be slow: one site's globs must never stall the collector for
 * every site. The matchers agree with a regular-expression reading of the glob, and the audit's
 * worst cases finish (backtracking took seconds to minutes on them; the explicit 5 s timeouts
 * below are the failure signal, not a measurement).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  foldEvents,
  globMatch,
  globMatcher,
  type ScoreEvent,
  type ScoringRules,
  score,
} from '../../shared/scoring.ts';
import { suiteHarness } from '../helpers/fixture.ts';
import { storeCases } from '../helpers/stores.ts';

/** The reference: literals escaped, `*` as `.*` (any character, newlines too), case-insensitive. */
const reference = (glob: string, text: string) =>
  new RegExp(
    `^${glob
      .split('*')
      .map((p) => p.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'))
      .join('.*')}$`,
    'is',
  ).test(text);

// Regular-expression metacharacters, `?` and `.` included, are literals in a glob.
const unit = fc.constantFrom('a', 'A', 'b', '/', '.', '?', '+', '(', ')', '[', '\\', '^', '$', '|');
const globArb = fc.string({ unit: fc.oneof(unit, fc.constant('*')), maxLength: 12 });
const textArb = fc.string({
  unit: fc.oneof(unit, fc.constant('*'), fc.constant('\n')),
  maxLength: 16,
});

const pageview = (url: string, ts = 0): ScoreEvent => ({
  type: 'pageview',
  name: null,
  url,
  properties: {},
  ts,
});

const rulesOf = (globs: string[]): ScoringRules => ({
  mqlThreshold: 50,
  fit: [],
  engagement: globs.map((url, i) => ({ id: `r${i}`, label: 'r', event: { url }, points: 1 })),
});

describe('glob matchers against a regular-expression reading', () => {
  it('agree with the reference on random globs and texts (property)', () => {
    fc.assert(
      fc.property(globArb, textArb, (g, t) => {
        const want = reference(g, t);
        expect(globMatch(g, t)).toBe(want);
        expect(globMatcher(g)(t)).toBe(want);
      }),
      { numRuns: 3000 },
    );
  });

  it('agree when the text is built to contain the glob’s literals (property)', () => {
    // Random texts rarely match; these match about half the time.
    fc.assert(
      fc.property(globArb, fc.array(textArb, { maxLength: 6 }), (g, fillers) => {
        const lits = g.split('*');
        const t = lits.map((l, i) => `${l}${fillers[i] ?? ''}`).join('');
        const want = reference(g, t);
        expect(globMatch(g, t)).toBe(want);
        expect(globMatcher(g)(t)).toBe(want);
      }),
      { numRuns: 3000 },
    );
  });

  it('keep the documented cases', () => {
    for (const m of [
      (g: string, t: string) => globMatch(g, t),
      (g: string, t: string) => globMatcher(g)(t),
    ]) {
      expect(m('*/pricing*', 'https://x.com/Pricing?plan=pro')).toBe(true);
      expect(m('*/pricing', 'https://x.com/pricing/old')).toBe(false);
      expect(m('a?c', 'abc')).toBe(false);
      expect(m('a?c', 'A?C')).toBe(true);
      expect(m('ab*ba', 'aba')).toBe(false); // head and tail may not overlap
      expect(m('**', '')).toBe(true);
      expect(m('', '')).toBe(true);
      expect(m('', 'a')).toBe(false);
    }
  });

  it('compiles each glob once', () => {
    const g = `*${'x'.repeat(300)}*`;
    expect(globMatcher(g)).toBe(globMatcher(g));
  });
});

/**
 * Globs of `len` characters that a URL of `a`s never matches, each slow for some matcher:
 * backtracking retries a long run of `a` from every start (glob × text), V8's `indexOf` retries a
 * long literal with a `b` inside at every position, and one has a star every other character.
 */
const hostile = (i: number, len: number): string => {
  const a = (n: number) => 'a'.repeat(n);
  const shapes = [
    `*${a(len >> 1)}b${i}`, // the audit's
    `*${a((len * 3) >> 2)}b*`,
    `*${a(32)}b${a((len >> 1) - 40)}*`,
    `${'*a'.repeat(len >> 2)}b*`,
  ];
  return shapes[i % shapes.length]!.slice(0, len);
};

describe('hostile globs at the schema limits', () => {
  it('scores 55 rules of globs up to 2,048 characters on 100 events of 2,040-character URLs', {
    timeout: 5_000,
  }, () => {
    const globs = Array.from({ length: 55 }, (_, i) => hostile(i, 2048));
    globs.push(`*${'a'.repeat(2000)}*`); // one that matches, so the work is not skipped
    const url = `https://x.example/${'a'.repeat(2022)}`;
    const events = Array.from({ length: 100 }, (_, i) => pageview(url, i));
    const state = foldEvents(events, rulesOf(globs));
    expect(Object.keys(state)).toEqual(['r55']);
    expect(state.r55!.n).toBe(100);
    expect(score(events, {}, rulesOf(globs), 1_000).total).toBe(100);
  });

  it('matches 5 forms × 100 globs of 500 characters on a 4,000-character URL, 10 times', {
    timeout: 5_000,
  }, () => {
    const url = `https://x.example/${'a'.repeat(4000)}`;
    const globs = Array.from({ length: 500 }, (_, i) => hostile(i, 500));
    for (let round = 0; round < 10; round++)
      for (const g of globs) expect(globMatcher(g)(url)).toBe(false);
  });
});

/** The audit's attack over HTTP: one site's rules must not hold up a batch (and every site). */
describe.each(storeCases)('hostile scoring rules over HTTP on $name', (sc) => {
  const h = suiteHarness(sc);

  // The audit's rules (55 globs of about 1,000 characters: a PUT body is at most 64 KiB) and its
  // pages, four times as many (backtracking took about 10 s on 50).
  it('scores a 200-page Segment batch under 55 rules of globs up to 1,000 characters', {
    timeout: 15_000,
  }, async () => {
    const rules = rulesOf(Array.from({ length: 55 }, (_, i) => hostile(i, 1000)));
    rules.engagement.push({
      id: 'long',
      label: 'Long page',
      event: { url: `*${'a'.repeat(500)}*` },
      points: 1,
    });
    const put = await h.secret('/v1/scoring', { method: 'PUT', body: JSON.stringify(rules) });
    expect(put.status).toBe(202);
    const url = `https://x.example/${'a'.repeat(2020)}`;
    const batch = Array.from({ length: 200 }, (_, i) => ({
      type: 'page',
      messageId: `hostile-${i}`,
      userId: `hostile-user-${i % 5}`,
      properties: { url },
      timestamp: new Date().toISOString(),
    }));
    const res = await h.app.request('/v1/batch', {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Basic ${Buffer.from(`${h.site.secretKey}:`).toString('base64')}`,
      },
      body: JSON.stringify({ batch }),
    });
    expect(res.status).toBe(200);
    const { rows } = await h.store.query<{ score_total: number }>(
      'select score_total from leads where site_id = $1 and score_total > 0',
      [h.site.site.id],
    );
    expect(rows.map((r) => Number(r.score_total))).toEqual([40, 40, 40, 40, 40]);
  });
});
