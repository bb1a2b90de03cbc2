/** Merges racing each other in a cycle (X←Y, Y←Z, Z←X): one lead at the end, never a 500. */
import { describe, expect, it } from 'vitest';
import { suiteHarness } from '../helpers/fixture.ts';
import { storeCases } from '../helpers/stores.ts';
import { identifiedLead } from './helpers.ts';

const ROUNDS = 6;

describe.each(storeCases)('concurrent merges on $name', (sc) => {
  const h = suiteHarness(sc);

  const identified = (anon: string) => identifiedLead(h, h.store, anon);

  const merge = (survivor: string, loser: string) =>
    h.secret(`/v1/leads/${survivor}/merge`, {
      method: 'POST',
      body: JSON.stringify({ leadId: loser }),
    });

  it('merging X←Y, Y←Z and Z←X at once ends in one lead, answered 200, 200 and 409', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const [x, y, z] = await Promise.all(
        ['x', 'y', 'z'].map((k) => identified(`merge-race-${round}-${k}`)),
      );
      const res = await Promise.all([merge(x!, y!), merge(y!, z!), merge(z!, x!)]);
      const statuses = res.map((r) => r.status);
      // Whichever runs last finds both ids already one lead: 409 same-lead, never a 500.
      expect([...statuses].sort(), `round ${round}: ${statuses}`).toEqual([200, 200, 409]);
      const loser = res.find((r) => r.status === 409)!;
      expect((await loser.json()).type).toMatch(/same-lead/);

      const { rows } = await h.store.query<{ lead_id: string; merged_into: string | null }>(
        'select lead_id, merged_into from leads where lead_id = any($1::text[]) order by lead_id',
        [[x, y, z]],
      );
      const live = rows.filter((r) => r.merged_into === null);
      expect(live, `round ${round}: live leads`).toHaveLength(1);
      // No cycle: every merged lead points straight at the one survivor.
      for (const r of rows.filter((r) => r.merged_into !== null))
        expect(r.merged_into, `round ${round}: ${r.lead_id}`).toBe(live[0]!.lead_id);
      for (const id of [x, y, z]) {
        const got = await h.secret(`/v1/leads/${id}`);
        expect(got.status).toBe(200);
        expect((await got.json()).id).toBe(live[0]!.lead_id);
      }
    }
  }, 60_000);
});
