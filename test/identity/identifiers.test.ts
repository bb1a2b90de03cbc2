import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  identifiersOf,
  isBlocked,
  normalizeEmail,
  normalizeUserId,
} from '../../collector/identity/index.ts';
import { event } from '../helpers/app.ts';
import { suiteHarness } from '../helpers/fixture.ts';
import { storeCases } from '../helpers/stores.ts';
import { count, identitiesOf, leadOfAnon } from './helpers.ts';

/** What a person's email can look like after a phone keyboard, a paste, or another OS. */
const INVISIBLES = ['\u200b', '\u200c', '\u200d', '\u2060', '\ufeff', '\u00ad'];
const variant = fc.record({
  nfd: fc.boolean(),
  upper: fc.boolean(),
  pad: fc.constantFrom('', ' ', '\t', '\u00a0', '\n '),
  invisible: fc.option(fc.constantFrom(...INVISIBLES), { nil: undefined }),
});
/** Letters people type in addresses (Vietnamese, German umlauts), all with a simple upper case. */
const LETTERS = [
  ...'abcdefghijklmnopqrstuvwxyz0123456789._+-',
  ...'àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵäöü',
];
const local = fc.string({ unit: fc.constantFrom(...LETTERS), minLength: 1, maxLength: 20 });
const domain = fc.constantFrom('example.com', 'công-ty.vn', 'xn--cng-ty-1ta.vn', 'müller.de');

function disguise(
  email: string,
  v: { nfd: boolean; upper: boolean; pad: string; invisible?: string },
) {
  let s = v.nfd ? email.normalize('NFD') : email;
  if (v.upper) s = s.toUpperCase();
  if (v.invisible) s = s.replace('@', `${v.invisible}@`);
  return `${v.pad}${s}${v.pad}`;
}

describe('identifier normalization', () => {
  it('every way of typing one address normalizes to the same identifier (property)', () => {
    fc.assert(
      fc.property(local, domain, variant, variant, (l, d, a, b) => {
        const email = `${l}@${d}`.normalize('NFC');
        const x = normalizeEmail(disguise(email, a));
        expect(x).not.toBeNull();
        expect(x).toBe(normalizeEmail(disguise(email, b)));
        expect(normalizeEmail(x)).toBe(x); // idempotent
        expect(x).toBe(x!.normalize('NFC'));
      }),
    );
  });

  it('blocks placeholders in any case, padding or invisible wrapping, numbers included (property)', () => {
    const placeholders = ['null', 'undefined', 'anonymous', '0', '-1', '[object Object]', 'NaN'];
    const more = ['none', 'nil', 'N/A', 'true', 'false', 'guest', 'unknown', '[]', '{}'];
    fc.assert(
      fc.property(
        fc.constantFrom(...placeholders, ...more),
        fc.constantFrom('', ' ', '\u200b', '\ufeff'),
        fc.boolean(),
        (v, wrap, upper) => {
          const s = `${wrap}${upper ? v.toUpperCase() : v}${wrap}`;
          expect(isBlocked(s), JSON.stringify(s)).toBe(true);
          expect(normalizeUserId(s)).toBeNull();
        },
      ),
    );
    for (const n of [0, -0, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(normalizeUserId(n), String(n)).toBeNull();
    }
    expect(normalizeUserId(42)).toBe('42');
    expect(identifiersOf({ email: 'N/A', userId: 0 })).toEqual([]);
  });
});

describe.each(storeCases)('identifier normalization end to end on $name', (sc) => {
  const h = suiteHarness(sc);

  const identify = async (anonymousId: string, traits: Record<string, unknown>) => {
    const res = await h.collect([event({ type: 'identify', anonymousId, traits })]);
    expect(res.status).toBe(202);
  };

  it('one person on a Mac (NFD), a phone (NFC) and a paste with a zero-width space is one lead', async () => {
    await identify('mac', { email: 'Đặng.Ánh@Công-ty.vn'.normalize('NFD') });
    await identify('phone', { email: 'đặng.ánh@công-ty.vn'.normalize('NFC') });
    await identify('paste', { email: '\u2060đặng.ánh\u200b@công-ty.vn ' });
    const lead = await leadOfAnon(h.store, 'mac');
    expect(lead).not.toBeNull();
    expect(await leadOfAnon(h.store, 'phone')).toBe(lead);
    expect(await leadOfAnon(h.store, 'paste')).toBe(lead);
    expect(await identitiesOf(h.store, lead!)).toEqual([
      `email:${'đặng.ánh@công-ty.vn'.normalize('NFC')}`,
    ]);
    const res = await h.secret(`/v1/leads/${lead}`);
    expect((await res.json()).email).toBe('đặng.ánh@công-ty.vn'.normalize('NFC'));
  });

  it('thirty devices typing one address thirty ways at once make one lead', async () => {
    const base = 'Nguyễn.Thị.Hằng@Ví-dụ.vn';
    const forms = [
      base.normalize('NFD'),
      base.normalize('NFC').toLowerCase(),
      ` ${base.toUpperCase()} `,
      base.replace('@', '\u200b@'),
      `\u00a0${base.normalize('NFD').toLowerCase()}`,
    ];
    const results = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        h.collect([
          event({
            type: 'identify',
            anonymousId: `race-${i}`,
            traits: { email: forms[i % forms.length] },
          }),
        ]),
      ),
    );
    expect(results.map((r) => r.status)).toEqual(Array(30).fill(202));
    const leads = new Set(
      await Promise.all(Array.from({ length: 30 }, (_, i) => leadOfAnon(h.store, `race-${i}`))),
    );
    expect(leads.size).toBe(1);
    expect([...leads][0]).not.toBeNull();
    expect(
      await count(
        h.store,
        `select count(*)::int as n from identities where kind = 'email' and value like 'nguy%'`,
      ),
    ).toBe(1);
  });

  it('a numeric placeholder userId (0, -1) never stitches two browsers into one lead', async () => {
    const before = await count(h.store, 'select count(*)::int as n from leads');
    await identify('num-a', { userId: 0 });
    await identify('num-b', { userId: 0 });
    await identify('num-c', { userId: -1 });
    await identify('num-d', { userId: 'N/A' });
    await identify('num-e', { email: 'unknown' });
    expect(await count(h.store, 'select count(*)::int as n from leads')).toBe(before);
    for (const a of ['num-a', 'num-b', 'num-c', 'num-d', 'num-e'])
      expect(await leadOfAnon(h.store, a), a).toBeNull();

    // A real id next to a placeholder still identifies, and the placeholder is not kept as a trait.
    await identify('num-f', { userId: 0, email: 'real@example.org' });
    const lead = await leadOfAnon(h.store, 'num-f');
    expect(await identitiesOf(h.store, lead!)).toEqual(['email:real@example.org']);
    expect((await (await h.secret(`/v1/leads/${lead}`)).json()).traits).not.toHaveProperty(
      'userId',
    );
  });
});
