import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../../collector/store/index.ts';
import { event, harness } from '../helpers/app.ts';
import { storeCases } from '../helpers/stores.ts';

const PEOPLE = 4;
const BROWSERS = 5;

/**
 * How a person identifies: email (any casing), with or without their userId. Never a userId
 * alone: after one person's email, a bare userId on the same browser is indistinguishable from
 * that person logging in, and rule 3 (DESIGN §7) rightly adds it to their lead.
 */
const identifyCmd = fc.record({
  kind: fc.constant('identify' as const),
  browser: fc.nat(BROWSERS - 1),
  person: fc.nat(PEOPLE - 1),
  with: fc.constantFrom('email', 'both', 'emailCased'),
  lateBy: fc.oneof(fc.constant(0), fc.nat(30_000)),
});
const pageviewCmd = fc.record({
  kind: fc.constant('pageview' as const),
  browser: fc.nat(BROWSERS - 1),
  lateBy: fc.oneof(fc.constant(0), fc.constant(0), fc.nat(30_000)),
});

describe.each(storeCases)('identity property on $name', (sc) => {
  let store: Store;
  let close: () => Promise<void>;

  beforeAll(async () => {
    ({ store, close } = await sc.open());
  });
  afterAll(() => close());

  it('no lead mixes two people; every event of a linked browser is in exactly one timeline', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.oneof(identifyCmd, pageviewCmd), { minLength: 1, maxLength: 18 }),
        async (cmds) => {
          const h = await harness(store);
          const siteId = h.site.site.id;
          const base = Date.now() - 3_600_000;
          /** identify event id → the person it was for. */
          const identifyOf = new Map<string, number>();
          const email = (p: number) => `person${p}@example.com`;
          for (const [i, c] of cmds.entries()) {
            const timestamp = base + i * 60_000 - c.lateBy;
            const anonymousId = `b${c.browser}`;
            if (c.kind === 'pageview') {
              await h.collect([event({ anonymousId, timestamp })], { sentAt: Date.now() });
              continue;
            }
            const traits: Record<string, unknown> = {};
            traits.email =
              c.with === 'emailCased' ? ` PERSON${c.person}@Example.com ` : email(c.person);
            if (c.with === 'both') traits.userId = `user-${c.person}`;
            const e = event({ type: 'identify', anonymousId, timestamp, traits });
            identifyOf.set(e.id, c.person);
            const res = await h.collect([e], { sentAt: Date.now() });
            expect(res.status).toBe(202);
          }

          // 1. No lead holds identifiers of two different people.
          const { rows: ids } = await store.query<{ lead_id: string; value: string }>(
            'select lead_id, value from identities where site_id = $1',
            [siteId],
          );
          const personOf = (v: string) => Number(/(\d+)/.exec(v)![1]);
          const peopleByLead = new Map<string, Set<number>>();
          for (const r of ids) {
            const s = peopleByLead.get(r.lead_id) ?? new Set();
            s.add(personOf(r.value));
            peopleByLead.set(r.lead_id, s);
          }
          for (const [lead, people] of peopleByLead) expect(people.size, lead).toBe(1);

          // 2. Every event of a linked browser is in exactly one lead's timeline (read via the API).
          const { rows: leads } = await store.query<{ lead_id: string }>(
            'select lead_id from leads where site_id = $1',
            [siteId],
          );
          const placed = new Map<string, string[]>();
          for (const { lead_id } of leads) {
            const res = await h.secret(`/v1/leads/${lead_id}/timeline?limit=200`);
            const page = (await res.json()) as {
              data: { id: string }[];
              nextCursor: string | null;
            };
            expect(page.nextCursor).toBeNull();
            for (const e of page.data) placed.set(e.id, [...(placed.get(e.id) ?? []), lead_id]);
          }
          const { rows: linkedEvents } = await store.query<{
            event_id: string;
            ts: Date;
            first: Date;
          }>(
            `select e.event_id from events e
            where e.site_id = $1 and exists (select 1 from anonymous_links al
                                              where al.site_id = e.site_id and al.anonymous_id = e.anonymous_id)`,
            [siteId],
          );
          for (const e of linkedEvents) expect(placed.get(e.event_id), e.event_id).toHaveLength(1);

          // 3. An identify event lands in a lead holding that person's identifiers.
          for (const [eventId, person] of identifyOf) {
            const lead = placed.get(eventId)?.[0];
            expect(lead, eventId).toBeDefined();
            expect([...(peopleByLead.get(lead!) ?? [])]).toEqual([person]);
          }
        },
      ),
      { numRuns: sc.name === 'pglite' ? 40 : 20 },
    );
  }, 180_000);
});
