/** Property: whatever bytes reach /v1/collect, the answer is a 202 or a problem+json 4xx — never a 5xx. */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../../collector/store/index.ts';
import { harness, ORIGIN } from '../helpers/app.ts';
import { suiteHarness } from '../helpers/fixture.ts';
import { storeCases } from '../helpers/stores.ts';

// Fixed by default so a failure reproduces; FUZZ_SEED / FUZZ_RUNS explore further by hand.
const SEED = Number(process.env.FUZZ_SEED ?? 20_261_123);
const RUNS = Number(process.env.FUZZ_RUNS ?? 300);

/** Strings PostgreSQL cannot store, and other hostile text. */
const nastyString = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom(
    '\u0000',
    'a\u0000b',
    '\ud800',
    'x\udfffy',
    '\ud83d',
    "'); drop table events; --",
    '<script>alert(1)</script>',
    '__proto__',
    '',
    ' ',
    'x'.repeat(9_000),
  ),
);

/** Any JSON-ish value, including nested junk and the strings above. */
const junk: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    nastyString,
    fc.integer(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.constantFrom(
      -1,
      0,
      1.5,
      2 ** 31,
      2 ** 53,
      1e20,
      // Around the largest storable time (year 9999) and the largest JS Date.
      253_402_300_799_999,
      253_402_300_800_000,
      8.64e15,
      -8.64e15,
      Number.MAX_VALUE,
    ),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(nastyString, tie('value'), { maxKeys: 4 }),
  ),
})).value;

const EVENT_TYPES = ['pageview', 'track', 'identify', 'click', 'engagement', 'form_view'];

/** A valid event, for mutation. */
const validEvent = fc.record({
  id: fc.uuid(),
  type: fc.constantFrom(...EVENT_TYPES),
  anonymousId: fc.string({ minLength: 1, maxLength: 20 }),
  sessionId: fc.string({ minLength: 1, maxLength: 20 }),
  timestamp: fc.integer({ min: 0, max: 4_102_444_800_000 }),
  url: fc.webUrl(),
  properties: fc.dictionary(fc.string({ maxLength: 10 }), fc.jsonValue({ maxDepth: 2 }), {
    maxKeys: 5,
  }),
});

type Obj = Record<string, unknown>;
const FIELDS = ['id', 'type', 'anonymousId', 'sessionId', 'timestamp', 'url', 'referrer', 'title'];

/** One edit that makes (or may make) an event malformed. */
const eventMutation = fc.oneof(
  fc.record({
    op: fc.constant('set'),
    key: fc.constantFrom(...FIELDS, 'properties', 'traits', 'name'),
    value: junk,
  }),
  fc.record({ op: fc.constant('delete'), key: fc.constantFrom(...FIELDS) }),
  fc.record({ op: fc.constant('extra'), key: nastyString, value: junk }),
  fc.record({ op: fc.constant('deep'), value: junk, depth: fc.integer({ min: 1, max: 12 }) }),
  fc.record({ op: fc.constant('wide'), size: fc.constantFrom(50, 101, 150) }),
);

function mutate(
  e: Obj,
  m: { op: string; key?: string; value?: unknown; depth?: number; size?: number },
) {
  const out: Obj = { ...e };
  if (m.op === 'set' || m.op === 'extra') out[m.key!] = m.value;
  else if (m.op === 'delete') delete out[m.key!];
  else if (m.op === 'deep') {
    let v: unknown = m.value;
    for (let i = 0; i < m.depth!; i++) v = { n: v };
    out.properties = v;
  } else if (m.op === 'wide')
    out.properties = { list: Array.from({ length: m.size! }, (_, i) => i) };
  return out;
}

interface Attempt {
  contentType: string | undefined;
  body: string | Uint8Array<ArrayBuffer>;
}

describe.each(storeCases)('fuzzing POST /v1/collect on $name', (sc) => {
  const h = suiteHarness(sc);

  /** Batches near the real shape with a few mutations, so validation is reached deep inside. */
  const mutatedBatch = (site: string) =>
    fc
      .record({
        events: fc.array(fc.tuple(validEvent, fc.array(eventMutation, { maxLength: 3 })), {
          minLength: 0,
          maxLength: 6,
        }),
        top: fc.array(
          fc.oneof(
            fc.record({
              op: fc.constant('set'),
              key: fc.constantFrom('site', 'sentAt', 'events'),
              value: junk,
            }),
            fc.record({
              op: fc.constant('delete'),
              key: fc.constantFrom('site', 'sentAt', 'events'),
            }),
            fc.record({ op: fc.constant('extra'), key: nastyString, value: junk }),
            fc.record({ op: fc.constant('huge'), size: fc.constantFrom(501, 600, 2_000) }),
          ),
          { maxLength: 2 },
        ),
        sentAt: fc.oneof(
          fc.integer({ min: 0, max: 4_102_444_800_000 }),
          fc.constantFrom(0, 253_402_300_799_999, 8.64e15, 1e16),
        ),
      })
      .map(({ events, top, sentAt }) => {
        let batch: Obj = {
          site,
          sentAt,
          events: events.map(([e, ms]) => ms.reduce((acc, m) => mutate(acc, m), e as Obj)),
        };
        for (const m of top) {
          if (m.op === 'huge') {
            batch = {
              ...batch,
              events: Array.from({ length: m.size! }, (_, i) => ({
                id: `h${i}`,
                type: 'track',
                anonymousId: 'a',
                timestamp: 1,
              })),
            };
          } else batch = mutate(batch, m as { op: string; key: string; value?: unknown });
        }
        return JSON.stringify(batch);
      });

  const attempt = (site: string): fc.Arbitrary<Attempt> =>
    fc.record({
      contentType: fc.oneof(
        fc.constantFrom(
          'application/json',
          'text/plain;charset=UTF-8',
          undefined,
          'application/json; charset=utf-16',
          'application/x-www-form-urlencoded',
          'multipart/form-data; boundary=x',
          'application/xml',
          'application/vnd.api+json',
        ),
        fc.string({ maxLength: 30 }),
      ),
      body: fc.oneof(
        { arbitrary: mutatedBatch(site), weight: 6 },
        { arbitrary: junk.map((v) => JSON.stringify(v) ?? 'undefined'), weight: 2 },
        { arbitrary: fc.string({ unit: 'binary', maxLength: 200 }), weight: 1 },
        { arbitrary: fc.uint8Array({ maxLength: 200 }).map((b) => new Uint8Array(b)), weight: 1 },
        {
          arbitrary: fc.constantFrom(
            '',
            '{',
            '[]',
            'null',
            '{"site":',
            '\ufeff{}',
            'x'.repeat(70_000),
          ),
          weight: 1,
        },
      ),
    });

  it('never answers 5xx; every 4xx is problem+json with its status', async () => {
    const seen = new Set<number>();
    await fc.assert(
      fc.asyncProperty(attempt(h.site.publicKey), async ({ contentType, body }) => {
        const headers: Record<string, string> = { origin: ORIGIN };
        if (contentType !== undefined) headers['content-type'] = contentType;
        const res = await h.app.request('/v1/collect', { method: 'POST', headers, body });
        seen.add(res.status);
        expect(res.status).toBeLessThan(500);
        const text = await res.text();
        if (res.status >= 400) {
          expect(res.headers.get('content-type')).toBe('application/problem+json');
          const problem = JSON.parse(text);
          expect(problem).toMatchObject({ status: res.status, title: expect.any(String) });
          expect(problem.type).toMatch(/^https:\/\//);
        } else {
          expect(res.status).toBe(202);
          expect(JSON.parse(text)).toEqual({
            accepted: expect.any(Number),
            duplicates: expect.any(Number),
          });
        }
      }),
      { seed: SEED, numRuns: RUNS },
    );
    // The generator reaches the deep paths, not only the JSON parser.
    expect(seen).toContain(202);
    expect(seen).toContain(400);
    expect(seen).toContain(413);
    expect(seen).toContain(415);
  });
});

describe.each(storeCases)('extreme clocks on $name', (sc) => {
  let store: Store;
  let close: () => Promise<void>;
  beforeAll(async () => {
    ({ store, close } = await sc.open());
  });
  afterAll(() => close());

  it('stores events from clocks decades off, and refuses times past year 9999 with 400', async () => {
    const h = await harness(store);
    const ok = await h.collect(
      [
        { ...eventAt(0), id: 'epoch' },
        { ...eventAt(253_402_300_799_999), id: 'y9999' },
      ],
      { sentAt: 0 },
    );
    expect(ok.status).toBe(202);
    const { rows } = await store.query<{ event_id: string; skew_ms: number; ts: Date }>(
      'select event_id, skew_ms, ts from events order by event_id',
    );
    // A clock 56 years behind is measured, not overflowed; no event lands in the future.
    expect(rows[0]!.skew_ms).toBeGreaterThan(1.7e12);
    for (const r of rows) expect(r.ts.getTime()).toBeLessThanOrEqual(Date.now());
    const far = await h.collect([eventAt(253_402_300_800_000)], { sentAt: 8.64e15 });
    expect(far.status).toBe(400);
    const paths = (await far.json()).errors.map((e: { path: string }) => e.path);
    expect(paths).toEqual(expect.arrayContaining(['sentAt', 'events.0.timestamp']));
  });
});

const eventAt = (timestamp: number) => ({
  id: `t-${timestamp}`,
  type: 'pageview' as const,
  anonymousId: 'clock',
  timestamp,
});
