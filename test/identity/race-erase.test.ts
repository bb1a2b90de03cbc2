/** Erasure racing a trusted server-side event: the event lands before and goes with the lead, or is refused. */
import { describe, expect, it } from 'vitest';
import { event } from '../helpers/app.ts';
import { suiteHarness } from '../helpers/fixture.ts';
import { storeCases } from '../helpers/stores.ts';
import { count, leadOfAnon } from './helpers.ts';

const ROUNDS = 10;

/** `fn()` now, or after `ms` milliseconds. */
async function later<T>(ms: number, fn: () => T | Promise<T>): Promise<T> {
  if (ms > 0) await new Promise((r) => setTimeout(r, ms));
  return fn();
}

describe.each(storeCases)('erase racing POST /v1/leads/{id}/events on $name', (sc) => {
  const h = suiteHarness(sc);

  /** A lead identified from a browser: a visitor row, a session, events, a link. */
  async function identified(anon: string): Promise<string> {
    const res = await h.collect([
      event({ anonymousId: anon, sessionId: `${anon}-s`, url: 'https://www.example.com/pricing' }),
      event({
        type: 'identify',
        anonymousId: anon,
        sessionId: `${anon}-s`,
        traits: { email: `${anon}@acme.test` },
      }),
    ]);
    expect(res.status).toBe(202);
    return (await leadOfAnon(h.store, anon))!;
  }

  const erase = (lead: string) => h.secret(`/v1/leads/${lead}`, { method: 'DELETE' });
  const purchase = (lead: string) =>
    h.secret(`/v1/leads/${lead}/events`, {
      method: 'POST',
      body: JSON.stringify({ name: 'purchase', properties: { value: 99 } }),
    });

  /** Rows about the person left anywhere, table by table (only the non-empty ones). */
  async function leftovers(lead: string, anon: string): Promise<Record<string, number>> {
    const anons = [anon, `lead:${lead}`];
    const byAnon = (t: string) =>
      count(h.store, `select count(*)::int as n from ${t} where anonymous_id = any($1::text[])`, [
        anons,
      ]);
    const byLead = (t: string) =>
      count(h.store, `select count(*)::int as n from ${t} where lead_id = $1`, [lead]);
    const out: Record<string, number> = {
      events: await byAnon('events'),
      visitors: await byAnon('visitors'),
      sessions: await byAnon('sessions'),
      anonymous_links: await count(
        h.store,
        `select count(*)::int as n from anonymous_links
          where lead_id = $1 or anonymous_id = any($2::text[])`,
        [lead, anons],
      ),
      leads: await byLead('leads'),
      identities: await byLead('identities'),
      stage_history: await byLead('stage_history'),
      lead_scores: await byLead('lead_scores'),
    };
    return Object.fromEntries(Object.entries(out).filter(([, n]) => n > 0));
  }

  it('never keeps an event posted while its lead is being erased', async () => {
    const outcomes: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const anon = `erase-race-${round}`;
      const lead = await identified(anon);
      // Sent together, or the erase a few milliseconds after the event, so some events land
      // first (and must be erased with the lead) and others meet the erase midway.
      const lag = round % 2 === 0 ? 0 : round * 2;
      const [ev, del] = await Promise.all([purchase(lead), later(lag, () => erase(lead))]);
      expect(del.status, `round ${round}: erase`).toBe(204);
      expect([202, 404], `round ${round}: event answered ${ev.status}`).toContain(ev.status);
      outcomes.push(ev.status);
      expect((await h.secret(`/v1/leads/${lead}`)).status).toBe(404);
      expect(await leftovers(lead, anon), `round ${round}: the person's rows`).toEqual({});
    }
    // Either answer is right; what matters is that nothing was kept.
    expect(outcomes).toHaveLength(ROUNDS);
  }, 60_000);
});
