/**
 * The funnel and the lead list read what the write path keeps (migration 011: first channels,
 * link times, funnel_stays). Through the real ingest path and API — identification, a second device with an
 * earlier visit, a late event from before everything, a merge, manual moves, an erasure — what
 * is kept must equal what the definitions give computed from scratch, and the report must show it.
 */
import { describe, expect, it } from 'vitest';
import { FIRST_CHANNEL_SQL } from '../../collector/api/lead-query.ts';
import type { FunnelReport } from '../../collector/api/reports-schema.ts';
import { event, testClock } from '../helpers/app.ts';
import { suiteHarness } from '../helpers/fixture.ts';
import { storeCases } from '../helpers/stores.ts';

const HOUR = 3_600_000;

describe.each(storeCases)('funnel data kept at write time on $name', (sc) => {
  const clock = testClock(Date.parse('2026-03-10T12:00:00Z'));
  const h = suiteHarness(sc, { clock });

  const send = async (...events: ReturnType<typeof event>[]) => {
    const res = await h.collect(events, { sentAt: clock().getTime() });
    expect(res.status, await res.clone().text()).toBe(202);
  };
  const at = (hoursAgo: number) => clock().getTime() - hoursAgo * HOUR;
  const leadOf = async (anon: string) =>
    (
      await h.store.query<{ lead_id: string }>(
        `select lead_id from anonymous_links where site_id = $1 and anonymous_id = $2
          order by valid_from desc limit 1`,
        [h.site.site.id, anon],
      )
    ).rows[0]!.lead_id;
  const post = async (path: string, body: unknown) => {
    const res = await h.secret(path, { method: 'POST', body: JSON.stringify(body) });
    expect(res.status, await res.clone().text()).toBe(200);
  };

  it('keeps first channels, link times and stays exact through identify, merge, moves and erasure', async () => {
    const site = h.site.site.id;
    // Ada: paid search on her laptop, identified there.
    await send(
      event({
        anonymousId: 'laptop',
        sessionId: 's-laptop',
        url: 'https://www.example.com/?utm_source=google&utm_medium=cpc',
        timestamp: at(50),
      }),
      event({
        type: 'identify',
        anonymousId: 'laptop',
        sessionId: 's-laptop',
        traits: { email: 'ada@corp.example' },
        timestamp: at(49),
      }),
    );
    const ada = await leadOf('laptop');
    // Her phone came from an email campaign earlier, and is identified later: first touch moves.
    await send(
      event({
        anonymousId: 'phone',
        sessionId: 's-phone',
        url: 'https://www.example.com/?utm_source=news&utm_medium=email',
        timestamp: at(60),
      }),
    );
    await send(
      event({
        type: 'identify',
        anonymousId: 'phone',
        sessionId: 's-phone',
        traits: { email: 'ada@corp.example' },
        timestamp: at(40),
      }),
    );
    // Bob from organic search, and Cy direct; Bob is merged into Ada, Cy erased.
    await send(
      event({
        anonymousId: 'bob',
        sessionId: 's-bob',
        referrer: 'https://www.google.com/',
        timestamp: at(30),
      }),
      event({
        type: 'identify',
        anonymousId: 'bob',
        traits: { email: 'bob@b.example' },
        timestamp: at(29),
      }),
      event({ anonymousId: 'cy', sessionId: 's-cy', timestamp: at(20) }),
      event({
        type: 'identify',
        anonymousId: 'cy',
        traits: { email: 'cy@c.example' },
        timestamp: at(19),
      }),
      event({ anonymousId: 'dee', sessionId: 's-dee', timestamp: at(10) }),
    );
    const bob = await leadOf('bob');
    const cy = await leadOf('cy');
    await post(`/v1/leads/${bob}/stage`, { stage: 'mql' });
    await post(`/v1/leads/${bob}/stage`, { stage: 'sql' });
    await post(`/v1/leads/${ada}/stage`, { stage: 'lost', reason: ' no budget ' });
    await post(`/v1/leads/${ada}/merge`, { leadId: bob });
    // A late event on Bob's browser from before anything else: a new first session for Ada.
    await send(
      event({
        anonymousId: 'bob',
        sessionId: 's-bob-old',
        url: 'https://www.example.com/?utm_source=fb&utm_medium=paid_social',
        timestamp: at(70),
      }),
    );
    expect((await h.secret(`/v1/leads/${cy}`, { method: 'DELETE' })).status).toBe(204);

    // Kept == recomputed from scratch.
    const { rows: leads } = await h.store.query<{ ok: boolean; lead_id: string }>(
      `select l.lead_id, l.first_channel is not distinct from ${FIRST_CHANNEL_SQL} as ok
         from leads l where l.site_id = $1`,
      [site],
    );
    expect(leads.filter((r) => !r.ok)).toEqual([]);
    const { rows: visitors } = await h.store.query<{ anonymous_id: string; ok: boolean }>(
      `select v.anonymous_id,
              v.first_channel is not distinct from (select s.channel from sessions s
                 where s.site_id = v.site_id and s.anonymous_id = v.anonymous_id
                 order by s.started_at limit 1)
              and v.linked_at is not distinct from (select min(a.linked_at) from anonymous_links a
                 where a.site_id = v.site_id and a.anonymous_id = v.anonymous_id) as ok
         from visitors v where v.site_id = $1`,
      [site],
    );
    expect(visitors.filter((r) => !r.ok)).toEqual([]);
    const stays = () =>
      h.store
        .query(
          `select lead_id, seq, stage, entered_at, left_at, converted_at, channel, reason,
                  prev_lead, prev_mql, prev_sql, prev_lost
             from funnel_stays where site_id = $1 order by lead_id, seq`,
          [site],
        )
        .then((r) => r.rows);
    const kept = await stays();
    await h.store.query(
      'select tp_refresh_funnel_stays($1, array(select lead_id from leads where site_id = $1))',
      [site],
    );
    expect(kept).toEqual(await stays());
    expect(kept.map((r) => (r as { lead_id: string }).lead_id)).not.toContain(cy);
    expect(kept.map((r) => (r as { lead_id: string }).lead_id)).not.toContain(bob);

    // What the marketer sees: Ada (with Bob's history) under her first touch, paid social.
    // The merge moved her out of `lost` to Bob's `sql` (the furthest stage wins).
    const res = await h.secret('/v1/reports/funnel?by=channel&from=2026-03-01&to=2026-03-11');
    const r = (await res.json()) as FunnelReport;
    const social = r.byChannel!.find((c) => c.channel === 'paid_social')!;
    const row = (s: string) => social.stages.find((x) => x.stage === s)!;
    expect([row('lost').count, row('lost').entered, row('sql').count, row('sql').entered]).toEqual([
      0, 1, 1, 2,
    ]);
    expect(social.reasons.lost).toEqual([{ reason: 'no budget', count: 1 }]);
    expect(r.byChannel!.some((c) => c.channel === 'organic_search')).toBe(false);
    // The lead list's channel filter reads the same first touch.
    const list = await h.secret('/v1/leads?channel=paid_social');
    expect(((await list.json()) as { data: { id: string }[] }).data.map((l) => l.id)).toEqual([
      ada,
    ]);
    const organic = await h.secret('/v1/leads?channel=organic_search');
    expect(((await organic.json()) as { data: unknown[] }).data).toEqual([]);
    // Dee is still an anonymous visitor (direct); the others were linked.
    expect(r.stages.find((x) => x.stage === 'visitor')!.count).toBe(1);
  });
});
