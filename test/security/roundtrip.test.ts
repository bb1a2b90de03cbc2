/** Accepted hostile-but-storable strings come back from the database byte for byte. */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../../collector/store/index.ts';
import { jsonProblems } from '../../shared/json-limits.ts';
import { ORIGIN } from '../helpers/app.ts';
import { storeCases } from '../helpers/stores.ts';
import { securityFixture } from './fixture.ts';
import { hostileKey, storableHostileString, toJsonText } from './hostile.ts';

/** JSON with sorted keys, built as text so `__proto__` keys stay ordinary keys. */
function canon(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canon).join(',')}]`;
  if (v && typeof v === 'object') {
    const keys = Object.keys(v).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canon((v as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(v);
}

const storableKey = hostileKey.filter((k) => jsonProblems({ [k]: 1 }).length === 0);
const leaf = fc.oneof(
  storableHostileString,
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.boolean(),
  fc.constant(null),
);
const props = fc
  .dictionary(
    storableKey,
    fc.oneof(
      leaf,
      fc.array(leaf, { maxLength: 4 }),
      fc.dictionary(storableKey, leaf, { maxKeys: 4 }),
    ),
    { maxKeys: 8 },
  )
  .filter((p) => jsonProblems(p).length === 0);

const hostileEvent = fc.record({
  title: storableHostileString,
  name: storableHostileString.filter((s) => s.length <= 200),
  url: storableHostileString,
  anonymousId: storableHostileString.filter((s) => s.length >= 1 && s.length <= 128),
  properties: props,
  traits: props,
});

describe.each(storeCases)('byte-for-byte storage of hostile strings on $name', (sc) => {
  let store: Store;
  let close: () => Promise<void>;
  let fx: Awaited<ReturnType<typeof securityFixture>>;

  beforeAll(async () => {
    ({ store, close } = await sc.open());
    fx = await securityFixture(store);
  });
  afterAll(() => close());

  it('stores every accepted string exactly as sent', async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(hostileEvent, { minLength: 1, maxLength: 3 }), async (evs) => {
        const events = evs.map((e) => ({
          ...e,
          id: `rt-${n++}-${Math.random().toString(36).slice(2)}`,
          type: 'track',
          timestamp: Date.now(),
        }));
        const body = toJsonText({ site: fx.fixture.publicKey, sentAt: Date.now(), events });
        if (Buffer.byteLength(body) > 60_000) return;
        const res = await fx.h.app.request('/v1/collect', {
          method: 'POST',
          headers: { 'content-type': 'application/json', origin: ORIGIN },
          body,
        });
        expect(res.status, await res.clone().text()).toBe(202);
        const { rows } = await store.query<Record<string, unknown>>(
          `select event_id, title, name, url, anonymous_id, properties, traits from events
            where site_id = $1 and event_id = any($2::text[])`,
          [fx.fixture.siteId, events.map((e) => e.id)],
        );
        expect(rows.length).toBe(events.length);
        const sent = JSON.parse(body).events as Record<string, unknown>[];
        for (const e of sent) {
          const row = rows.find((r) => r.event_id === e.id)!;
          expect(row.title).toBe(e.title);
          expect(row.name).toBe(e.name);
          expect(row.url).toBe(e.url);
          expect(row.anonymous_id).toBe(e.anonymousId);
          expect(canon(row.properties)).toBe(canon(e.properties));
          expect(canon(row.traits)).toBe(canon(e.traits));
        }
        expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      }),
      { seed: 20261123, numRuns: 120 },
    );
  });
});
