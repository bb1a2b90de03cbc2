import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { globMatch } from '../../shared/scoring.ts';

describe('globMatch', () => {
  it('matches whole URLs with * wildcards, case-insensitively', () => {
    expect(globMatch('*/pricing*', 'https://x.com/Pricing?plan=pro')).toBe(true);
    expect(globMatch('*/pricing', 'https://x.com/pricing/old')).toBe(false);
    expect(globMatch('https://*.x.com/*', 'https://x.com/a')).toBe(false);
    expect(globMatch('a*b*c', 'axxbyyc')).toBe(true);
    expect(globMatch('*', '')).toBe(true);
    expect(globMatch('a.c', 'abc')).toBe(false);
  });

  it('agrees with a regular-expression reading of the glob (property)', () => {
    const chars = fc.constantFrom('a', 'b', '/', '.', '*');
    fc.assert(
      fc.property(
        fc.string({ unit: chars, maxLength: 8 }),
        fc.string({ unit: chars, maxLength: 12 }),
        (g, t) => {
          const text = t.replaceAll('*', 'x');
          const re = new RegExp(
            `^${g
              .split('*')
              .map((p) => p.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'))
              .join('.*')}$`,
            'is',
          );
          expect(globMatch(g, text)).toBe(re.test(text));
        },
      ),
    );
  });
});
