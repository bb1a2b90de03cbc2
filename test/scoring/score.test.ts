import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addEvent,
  type EngagementState,
  emailDomain,
  isFreeEmailDomain,
  type ScoreEvent,
  type ScoringRules,
  score,
  scoreState,
} from '../../shared/scoring.ts';

const NOW = Date.parse('2026-03-01T00:00:00Z');
const DAY = 86_400_000;
const pv = (url: string, ageDays = 0, over: Partial<ScoreEvent> = {}): ScoreEvent => ({
  type: 'pageview',
  name: null,
  url,
  properties: {},
  ts: NOW - ageDays * DAY,
  ...over,
});
const rules = (over: Partial<ScoringRules>): ScoringRules => ({
  mqlThreshold: 50,
  fit: [],
  engagement: [],
  ...over,
});
const sum = (s: { breakdown: { points: number }[] }) =>
  s.breakdown.reduce((a, b) => a + b.points, 0);

describe('score', () => {
  it('caps a rule with max, a part and the total, and explains each cap in the breakdown', () => {
    const r = rules({
      caps: { fit: 20, engagement: 40, total: 50 },
      fit: [
        { id: 'a', label: 'A', trait: 'company', op: 'exists', points: 15 },
        { id: 'b', label: 'B', trait: 'title', op: 'contains', value: ['director'], points: 15 },
      ],
      engagement: [
        { id: 'pricing', label: 'Pricing', event: { url: '*/pricing*' }, points: 10, max: 30 },
        { id: 'blog', label: 'Blog', event: { url: '*/blog*' }, points: 5 },
      ],
    });
    const events = [
      ...Array.from({ length: 5 }, () => pv('https://x.com/pricing')),
      ...Array.from({ length: 4 }, () => pv('https://x.com/blog/a')),
    ];
    const s = score(events, { company: 'Acme', title: 'Sales Director' }, r, NOW);
    expect(s.fit).toBe(20);
    expect(s.engagement).toBe(40);
    expect(s.total).toBe(50);
    const by = Object.fromEntries(s.breakdown.map((b) => [b.ruleId, b]));
    expect(by.pricing).toMatchObject({ points: 30, count: 5 });
    expect(by.blog).toMatchObject({ points: 20, count: 4 });
    expect(by['cap:fit']!.points).toBe(-10);
    expect(by['cap:engagement']!.points).toBe(-10);
    expect(by['cap:total']!.points).toBe(-10);
    expect(sum(s)).toBe(s.total);
  });

  it('counts a once rule once and allows negative points', () => {
    const r = rules({
      engagement: [
        {
          id: 'demo',
          label: 'Demo',
          event: { type: 'form_submit', form: 'demo' },
          points: 30,
          once: true,
        },
        {
          id: 'careers',
          label: 'Job seeker',
          event: { url: '*/careers*' },
          points: -15,
          once: true,
        },
      ],
    });
    const demo = (age: number) => pv('https://x.com/c', age, { type: 'form_submit', name: 'demo' });
    const s = score(
      [demo(0), demo(0), demo(0), pv('https://x.com/careers'), pv('https://x.com/careers/dev')],
      {},
      r,
      NOW,
    );
    expect(s.breakdown).toEqual([
      { ruleId: 'demo', label: 'Demo', points: 30, count: 1 },
      { ruleId: 'careers', label: 'Job seeker', points: -15, count: 1 },
    ]);
    expect(s.total).toBe(15);
  });

  it('decays engagement exactly: an event one half-life old counts half', () => {
    const r = rules({
      halfLifeDays: 30,
      engagement: [{ id: 'p', label: 'P', event: { type: 'pageview' }, points: 10 }],
    });
    expect(score([pv('https://x.com/', 30)], {}, r, NOW).total).toBeCloseTo(5, 12);
    expect(score([pv('https://x.com/', 60)], {}, r, NOW).total).toBeCloseTo(2.5, 12);
    // Read later without any new event: the same state, decayed further.
    const state = addEvent({}, pv('https://x.com/', 0), r);
    expect(scoreState(state, {}, r, NOW + 30 * DAY).total).toBeCloseTo(5, 12);
    // Without a half-life nothing decays.
    expect(
      score([pv('https://x.com/', 300)], {}, rules({ ...r, halfLifeDays: null }), NOW).total,
    ).toBe(10);
  });

  it('never scores bot events', () => {
    const r = rules({
      engagement: [{ id: 'p', label: 'P', event: { type: 'pageview' }, points: 10 }],
    });
    expect(score([pv('https://x.com/', 0, { isBot: true })], {}, r, NOW).total).toBe(0);
  });

  it('matches events by type, name, form, URL glob and properties', () => {
    const r = rules({
      engagement: [
        {
          id: 'buy',
          label: 'Buy click',
          event: { type: 'click', name: 'buy', properties: { plan: 'pro' } },
          points: 7,
        },
        { id: 'docs', label: 'Docs', event: { url: 'https://*.example.com/docs/*' }, points: 1 },
      ],
    });
    const click = (plan: string) =>
      pv('https://x.com/', 0, { type: 'click', name: 'buy', properties: { plan } });
    const s = score(
      [
        click('pro'),
        click('free'),
        pv('https://WWW.example.com/docs/a'),
        pv('https://example.com/docs/a'),
      ],
      {},
      r,
      NOW,
    );
    expect(s.breakdown.map((b) => [b.ruleId, b.count])).toEqual([
      ['buy', 1],
      ['docs', 1],
    ]);
  });

  it('evaluates fit operators on traits, with missing traits matching only exists:false', () => {
    const fit = (op: string, value: unknown, trait = 't') =>
      rules({ fit: [{ id: 'r', label: 'R', trait, op, value, points: 1 } as never] });
    const t = { t: ' Hanoi ', n: '120', list: ['a', 'B'], company: { size: 80 } };
    const hit = (r: ScoringRules) => score([], t, r, NOW).total === 1;
    expect(hit(fit('eq', 'hanoi'))).toBe(true);
    expect(hit(fit('neq', 'hanoi'))).toBe(false);
    expect(hit(fit('neq', 'hcm'))).toBe(true);
    expect(hit(fit('in', ['HCM', 'HANOI']))).toBe(true);
    expect(hit(fit('contains', ['ano']))).toBe(true);
    expect(hit(fit('in', ['b'], 'list'))).toBe(true);
    expect(hit(fit('gte', 100, 'n'))).toBe(true);
    expect(hit(fit('lte', 100, 'n'))).toBe(false);
    expect(hit(fit('gte', 50, 'company.size'))).toBe(true);
    expect(hit(fit('exists', true, 'missing'))).toBe(false);
    expect(hit(fit('exists', false, 'missing'))).toBe(true);
    expect(hit(fit('neq', 'x', 'missing'))).toBe(false);
    expect(hit(fit('exists', true, '__proto__'))).toBe(false);
  });

  it('detects free email domains, Vietnamese ones included', () => {
    for (const e of [
      'lan@gmail.com',
      'A@Outlook.com',
      'b@hotmail.com',
      'c@icloud.com',
      'd@proton.me',
      'e@yahoo.com.vn',
      'f@hn.vnn.vn',
      'g@qq.com',
      'h@163.com',
      'i@mail.ru',
      'j@yandex.ru',
      'k@gmx.de',
      'l@live.com',
    ]) {
      expect(isFreeEmailDomain(emailDomain(e)!), e).toBe(true);
    }
    for (const e of ['lan@acme.vn', 'ceo@fpt.com.vn', 'x@gmail.company.com']) {
      expect(isFreeEmailDomain(emailDomain(e)!), e).toBe(false);
    }
    const work = rules({
      fit: [
        {
          id: 'w',
          label: 'Work email',
          trait: 'email',
          op: 'freeEmailDomain',
          value: false,
          points: 10,
        },
      ],
    });
    expect(score([], { email: 'lan@acme.vn' }, work, NOW).total).toBe(10);
    expect(score([], { email: 'lan@gmail.com' }, work, NOW).total).toBe(0);
    expect(score([], { email: 'not an email' }, work, NOW).total).toBe(0);
    // An internationalized company domain is a work email too; its ASCII form is what is compared.
    expect(score([], { email: 'an@côngty.vn' }, work, NOW).total).toBe(10);
    expect(emailDomain('an@Côngty.vn')).toBe('xn--cngty-6ta.vn');
    expect(['a@é.com/x.y', 'a@é com.vn', 'a@é.com:80'].map(emailDomain)).toEqual([
      null,
      null,
      null,
    ]);
  });
});

// ---- property: incremental state == from-scratch, breakdown sums to total ----

const URLS = [
  'https://x.com/',
  'https://x.com/pricing',
  'https://x.com/careers',
  'https://x.com/blog/1',
];
const arbEvent = fc.record({
  type: fc.constantFrom('pageview', 'track', 'form_submit'),
  name: fc.constantFrom(null, 'demo', 'signup'),
  url: fc.constantFrom(null, ...URLS),
  properties: fc.constantFrom({}, { plan: 'pro' }),
  ts: fc.integer({ min: NOW - 400 * DAY, max: NOW }),
  isBot: fc.integer({ min: 0, max: 4 }).map((n) => n === 0),
});
const arbRule = fc.record(
  {
    id: fc.constant(''),
    label: fc.constant('r'),
    event: fc.oneof(
      fc.record({ type: fc.constantFrom('pageview', 'track', 'form_submit') }),
      fc.record({ url: fc.constantFrom('*/pricing*', '*/careers*', '*x.com*') }),
      fc.record({ type: fc.constant('form_submit'), form: fc.constant('demo') }),
      fc.record({ name: fc.constant('signup'), properties: fc.constant({ plan: 'pro' }) }),
    ),
    points: fc.integer({ min: -40, max: 40 }),
    max: fc.integer({ min: 1, max: 60 }),
    once: fc.boolean(),
  },
  { requiredKeys: ['id', 'label', 'event', 'points'] },
);
const arbRules: fc.Arbitrary<ScoringRules> = fc.record({
  mqlThreshold: fc.constant(50),
  halfLifeDays: fc.oneof(fc.constant(null), fc.integer({ min: 1, max: 90 }), fc.constant(0.01)),
  caps: fc.record(
    {
      fit: fc.integer({ min: 0, max: 50 }),
      engagement: fc.integer({ min: 0, max: 100 }),
      total: fc.integer({ min: 0, max: 120 }),
    },
    { requiredKeys: [] },
  ),
  fit: fc.constant([
    { id: 'f1', label: 'Company', trait: 'company', op: 'exists' as const, points: 20 },
    {
      id: 'f2',
      label: 'Gmail',
      trait: 'email',
      op: 'freeEmailDomain' as const,
      value: true,
      points: -5,
    },
  ]),
  engagement: fc
    .array(arbRule, { maxLength: 6 })
    .map((rs) => rs.map((r, i) => ({ ...r, id: `e${i}` }))),
});

describe('incremental scoring (property)', () => {
  it('folding events in any batches through JSON equals the from-scratch score', () => {
    fc.assert(
      fc.property(
        arbRules,
        fc.array(arbEvent, { maxLength: 40 }),
        fc.array(fc.integer({ min: 1, max: 10 }), { minLength: 1, maxLength: 10 }),
        fc.integer({ min: 0, max: 200 }),
        (r, events, splits, laterDays) => {
          const traits = { company: 'Acme', email: 'a@gmail.com' };
          const now = NOW + laterDays * DAY;
          let state: EngagementState = {};
          let i = 0;
          for (let k = 0; i < events.length; k++) {
            const size = splits[k % splits.length]!;
            for (const e of events.slice(i, i + size)) addEvent(state, e, r);
            i += size;
            state = JSON.parse(JSON.stringify(state));
          }
          const inc = scoreState(state, traits, r, now);
          const full = score([...events].reverse(), traits, r, now);
          const close = (a: number, b: number) =>
            Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b));
          expect(close(inc.total, full.total)).toBe(true);
          expect(close(inc.fit, full.fit)).toBe(true);
          expect(close(inc.engagement, full.engagement)).toBe(true);
          expect(inc.breakdown.map((b) => b.ruleId)).toEqual(full.breakdown.map((b) => b.ruleId));
          expect(close(sum(inc), inc.total)).toBe(true);
          expect(close(sum(full), full.total)).toBe(true);
          if (r.caps?.total !== undefined) expect(full.total).toBeLessThanOrEqual(r.caps.total);
        },
      ),
      { numRuns: 300 },
    );
  });
});
