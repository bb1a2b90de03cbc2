/** Concurrent manual stage moves: the history stays a chain with times that never go back. */
import { describe, expect, it } from 'vitest';
import { type HistoryEntry, timeInStages } from '../../collector/lifecycle/index.ts';
import { suiteHarness } from '../helpers/fixture.ts';
import { storeCases } from '../helpers/stores.ts';
import { identifiedLead } from '../identity/helpers.ts';

const ROUNDS = 8;
const STAGES = [
  'mql',
  'sql',
  'opportunity',
  'customer',
  'lost',
  'disqualified',
  'lead',
  'repeat_customer',
];

describe.each(storeCases)('concurrent stage moves on $name', (sc) => {
  // The real clock: each request reads it when it arrives, in its own order.
  const h = suiteHarness(sc);

  const identified = (anon: string) => identifiedLead(h, h.store, anon);

  const move = (lead: string, stage: string) =>
    h.secret(`/v1/leads/${lead}/stage`, {
      method: 'POST',
      body: JSON.stringify({ stage, reason: 'x' }),
    });

  it('keeps each move’s from equal to the previous move’s to, in time order', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const lead = await identified(`stage-race-${round}`);
      const res = await Promise.all(STAGES.map((s) => move(lead, s)));
      expect(
        res.map((r) => r.status),
        `round ${round}`,
      ).toEqual(STAGES.map(() => 200));

      const got = await (await h.secret(`/v1/leads/${lead}`)).json();
      const history: HistoryEntry[] = got.stageHistory;
      const chain = history.map((m) => `${m.from}>${m.to}`);
      expect(history.length, `round ${round}: ${chain}`).toBeGreaterThanOrEqual(STAGES.length);
      for (let i = 1; i < history.length; i++) {
        expect(history[i]!.from, `round ${round}, move ${i}: ${chain}`).toBe(history[i - 1]!.to);
        expect(
          Date.parse(history[i]!.at),
          `round ${round}, move ${i}: ${history.map((m) => m.at)}`,
        ).toBeGreaterThanOrEqual(Date.parse(history[i - 1]!.at));
      }
      expect(history.at(-1)!.to).toBe(got.stage);
      // Time in stage comes from consecutive rows: never negative, and it adds up.
      const now = new Date(Date.parse(history.at(-1)!.at) + 1_000);
      const spans = timeInStages(history, now);
      expect(spans.reduce((t, s) => t + s.ms, 0)).toBe(now.getTime() - Date.parse(history[0]!.at));

      // The funnel's stays (kept by triggers, ordered by `at, seq`) agree with the history.
      const { rows: stays } = await h.store.query<{ stage: string }>(
        'select stage from funnel_stays where lead_id = $1 and seq > 0 order by entered_at, seq',
        [lead],
      );
      expect(stays.map((s) => s.stage)).toEqual(history.map((m) => m.to));
    }
  }, 60_000);
});
