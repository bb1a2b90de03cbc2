import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { FormDefinition } from '../../shared/forms.ts';
import {
  frequencyAllows,
  isExitIntent,
  isFastScrollUp,
  scrollPercent,
  targetingMatches,
  urlMatches,
  visibleFields,
} from '../../shared/forms-rules.ts';
import { ERROR_TEXTS, errorText, pickLocale, UI_TEXTS } from '../../shared/forms-texts.ts';

const DAY = 86_400_000;

describe('targeting', () => {
  it('matches path globs, full-URL globs and ignores the hash', () => {
    expect(urlMatches('/pricing*', 'https://a.com/pricing?plan=pro')).toBe(true);
    expect(urlMatches('/pricing', 'https://a.com/pricing/enterprise')).toBe(false);
    expect(urlMatches('/pricing', 'https://a.com/pricing?utm_source=x')).toBe(true);
    expect(urlMatches('/PRICING', 'https://a.com/pricing')).toBe(true);
    expect(urlMatches('*/blog/*', 'https://a.com/blog/post-1#top')).toBe(true);
    expect(urlMatches('https://a.com/*', 'https://b.com/x')).toBe(false);
    expect(urlMatches('/a.b', 'https://a.com/aXb')).toBe(false);
  });

  it('stays fast on globs made of many stars', () => {
    const glob = `/${'*a'.repeat(200)}b`;
    const url = `https://a.com/${'a'.repeat(2000)}`;
    // A backtracking regular expression would take far longer than a test run here.
    expect(urlMatches(glob, url)).toBe(false);
  });

  it('treats any glob text as literal except *', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 30 }), (s) => {
        const lit = s.replace(/[*#]/g, ''); // '#' starts the hash, which targeting ignores
        expect(urlMatches(`*${lit}*`, `https://x.com/p?q=${lit}`)).toBe(true);
      }),
    );
  });

  it('applies include, exclude and device', () => {
    const t = {
      include: ['/pricing*', '/features*'],
      exclude: ['/pricing/internal*'],
      device: 'desktop' as const,
    };
    expect(targetingMatches(t, 'https://a.com/pricing', 'desktop')).toBe(true);
    expect(targetingMatches(t, 'https://a.com/pricing', 'mobile')).toBe(false);
    expect(targetingMatches(t, 'https://a.com/pricing/internal/x', 'desktop')).toBe(false);
    expect(targetingMatches(t, 'https://a.com/about', 'desktop')).toBe(false);
    expect(targetingMatches(undefined, 'https://a.com/about', 'mobile')).toBe(true);
    expect(targetingMatches({ exclude: ['/about'] }, 'https://a.com/about', 'mobile')).toBe(false);
  });
});

describe('frequency', () => {
  const ctx = { now: 100 * DAY, sessionId: 's2', identified: false };
  const def = (frequency: FormDefinition['frequency']) => ({ frequency });

  it('once: never after the first showing; session: once per session; always: every time', () => {
    expect(frequencyAllows(def({ show: 'once' }), {}, ctx)).toBe(true);
    expect(frequencyAllows(def({ show: 'once' }), { shownAt: 1, shownSession: 's1' }, ctx)).toBe(
      false,
    );
    expect(frequencyAllows(def({ show: 'session' }), { shownAt: 1, shownSession: 's1' }, ctx)).toBe(
      true,
    );
    expect(frequencyAllows(def({ show: 'session' }), { shownAt: 1, shownSession: 's2' }, ctx)).toBe(
      false,
    );
    expect(frequencyAllows(def(undefined), { shownAt: 1, shownSession: 's2' }, ctx)).toBe(false);
    expect(frequencyAllows(def({ show: 'always' }), { shownAt: 1, shownSession: 's2' }, ctx)).toBe(
      true,
    );
  });

  it('waits the given days after a dismissal', () => {
    const f = def({ show: 'always', dismissDays: 7 });
    expect(frequencyAllows(f, { dismissedAt: ctx.now - 6 * DAY }, ctx)).toBe(false);
    expect(frequencyAllows(f, { dismissedAt: ctx.now - 8 * DAY }, ctx)).toBe(true);
  });

  it('never shows again once submitted, and hides from known leads when asked', () => {
    expect(frequencyAllows(def({ show: 'always' }), { submittedAt: 1 }, ctx)).toBe(false);
    expect(
      frequencyAllows(def({ show: 'always', hideKnown: true }), {}, { ...ctx, identified: true }),
    ).toBe(false);
    expect(frequencyAllows(def({ show: 'always' }), {}, { ...ctx, identified: true })).toBe(true);
  });
});

describe('progressive profiling', () => {
  const def = {
    progressiveLimit: 1,
    fields: [
      { name: 'email', type: 'email' as const, required: true },
      { name: 'company', type: 'text' as const, progressive: true },
      { name: 'phone', type: 'tel' as const, progressive: true },
      { name: 'role', type: 'text' as const, progressive: true },
    ],
  };
  const names = (known: Record<string, boolean>) =>
    visibleFields(def, known).fields.map((f) => f.name);

  it('replaces a known progressive field with the next unknown one', () => {
    expect(names({})).toEqual(['email', 'company']);
    expect(names({ company: true })).toEqual(['email', 'phone']);
    expect(names({ company: true, phone: true })).toEqual(['email', 'role']);
    expect(names({ company: true, phone: true, role: true, email: true })).toEqual(['email']);
    expect(visibleFields(def, { company: true }).skipped).toEqual(['company', 'role']);
  });

  it('shows every unknown progressive field without a limit', () => {
    expect(
      visibleFields({ fields: def.fields }, { phone: true }).fields.map((f) => f.name),
    ).toEqual(['email', 'company', 'role']);
  });
});

describe('triggers (pure parts)', () => {
  it('scroll percent counts the bottom of the viewport', () => {
    expect(scrollPercent(0, 800, 800)).toBe(100);
    expect(scrollPercent(0, 500, 1000)).toBe(50);
    expect(scrollPercent(500, 500, 1000)).toBe(100);
  });

  it('exit intent: leaving through the top edge, not onto an element', () => {
    expect(isExitIntent({ clientY: -2, relatedTarget: null })).toBe(true);
    expect(isExitIntent({ clientY: 0, relatedTarget: null })).toBe(true);
    expect(isExitIntent({ clientY: -2, relatedTarget: {} })).toBe(false);
    expect(isExitIntent({ clientY: 300, relatedTarget: null })).toBe(false);
  });

  it('touch exit intent: a fast, far flick up by a finger, never a link, script or slow drag', () => {
    // A finger flicked 300 px of a 640 px screen up in 100 ms, 10 s after the last click.
    const flick = [1200, 900, 100, 640, 50, 10_000] as const;
    expect(isFastScrollUp(...flick)).toBe(true);
    // The glide after the finger left the screen still counts; a second later it is over.
    expect(isFastScrollUp(1200, 900, 100, 640, 900, 10_000)).toBe(true);
    expect(isFastScrollUp(1200, 900, 100, 640, 1_100, 10_000)).toBe(false);
    // No finger moved the page: a "back to top" link, smooth or not, or a script scrolled it.
    expect(isFastScrollUp(5000, 3000, 100, 640, Number.POSITIVE_INFINITY, 10_000)).toBe(false);
    // Right after a click, a hash change or a focus move, even during a drag.
    expect(isFastScrollUp(1200, 900, 100, 640, 50, 400)).toBe(false);
    // A reader dragging back 200 px over 150 ms to re-read: too slow.
    expect(isFastScrollUp(1200, 1000, 150, 640, 50, 10_000)).toBe(false);
    // Fast but short: a quarter of the viewport is the least.
    expect(isFastScrollUp(1200, 1050, 50, 640, 50, 10_000)).toBe(false);
    expect(isFastScrollUp(1200, 1050, 50, 560, 50, 10_000)).toBe(true);
    // Not read far yet, or scrolling down.
    expect(isFastScrollUp(250, 0, 50, 640, 50, 10_000)).toBe(false);
    expect(isFastScrollUp(900, 1200, 50, 640, 50, 10_000)).toBe(false);
  });
});

describe('locale', () => {
  it('prefers the form, then the page lang, then the browser, then English', () => {
    expect(pickLocale('vi', 'en', ['en'])).toBe('vi');
    expect(pickLocale(undefined, 'vi-VN', ['en-US'])).toBe('vi');
    expect(pickLocale(undefined, 'fr', ['fr-FR', 'vi'])).toBe('vi');
    expect(pickLocale(undefined, '', ['de'])).toBe('en');
  });
});

describe('texts', () => {
  it('asks to tick a box and to choose an option, not to fill them in', () => {
    expect(errorText('vi', 'required', 'consent')).toBe('Vui lòng đánh dấu ô này.');
    expect(errorText('vi', 'required', 'checkbox')).toBe('Vui lòng đánh dấu ô này.');
    expect(errorText('en', 'required', 'consent')).toBe('Please tick this box.');
    expect(errorText('vi', 'required', 'select')).toBe('Vui lòng chọn một mục.');
    expect(errorText('en', 'required', 'select')).toBe('Please choose an option.');
    expect(errorText('vi', 'required', 'email')).toBe('Vui lòng điền trường này.');
    expect(errorText('en', 'required', 'text')).toBe('This field is required.');
    expect(errorText('en', 'email', 'email')).toBe(ERROR_TEXTS.en.email);
  });

  it('has every text in both languages', () => {
    expect(Object.keys(UI_TEXTS.vi).sort()).toEqual(Object.keys(UI_TEXTS.en).sort());
    expect(Object.keys(ERROR_TEXTS.vi).sort()).toEqual(Object.keys(ERROR_TEXTS.en).sort());
  });
});
