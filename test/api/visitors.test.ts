import { describe, expect, it } from 'vitest';
import { event } from '../helpers/app.ts';
import { suiteHarness } from '../helpers/fixture.ts';
import { storeCases } from '../helpers/stores.ts';
import { getJson, identify, send } from './leads-helpers.ts';

describe.each(storeCases)('visitor API on $name', (sc) => {
  const h = suiteHarness(sc);

  it('shows an anonymous prospect with sessions, channel and events; leadId once identified', async () => {
    const t = Date.now() - 600_000;
    await send(
      h,
      event({
        anonymousId: 'v-1',
        sessionId: 'vs-1',
        timestamp: t,
        url: 'https://www.example.com/a',
        // The sessions step classifies the landing: a LinkedIn referral is organic social.
        referrer: 'https://www.linkedin.com/',
      }),
    );
    const before = await getJson(h, '/v1/visitors/v-1');
    expect(before).toMatchObject({
      anonymousId: 'v-1',
      leadId: null,
      firstTouch: { channel: 'organic_social', source: 'linkedin' },
    });
    expect(before.sessions).toEqual([
      expect.objectContaining({
        id: 'vs-1',
        channel: 'organic_social',
        touch: expect.objectContaining({ source: 'linkedin' }),
      }),
    ]);
    expect(before.events.map((e: { url: string }) => e.url)).toEqual(['https://www.example.com/a']);
    const leadId = await identify(h, h.store, 'v-1', { email: 'visitor@example.com' });
    expect((await getJson(h, '/v1/visitors/v-1')).leadId).toBe(leadId);
    expect((await h.secret('/v1/visitors/nobody')).status).toBe(404);
  });

  it('writes every timestamp of a visitor, its touches too, in the ISO form with Z', async () => {
    const t = Date.parse('2026-01-10T07:58:47.418Z');
    await send(
      h,
      event({
        anonymousId: 'vz-1',
        sessionId: 'vzs-1',
        timestamp: t,
        url: 'https://www.example.com/?utm_source=news&utm_medium=email',
      }),
    );
    const iso = new Date(t).toISOString();
    const one = await getJson(h, '/v1/visitors/vz-1');
    expect([one.firstTouch.at, one.lastTouch.at, one.sessions[0].touch.at]).toEqual([
      iso,
      iso,
      iso,
    ]);
    expect([one.firstSeenAt, one.sessions[0].startedAt, one.events[0].timestamp]).toEqual([
      iso,
      iso,
      iso,
    ]);
    const listed = (await getJson(h, '/v1/visitors?limit=200')).data.find(
      (v: { anonymousId: string }) => v.anonymousId === 'vz-1',
    );
    expect([listed.firstTouch.at, listed.lastTouch.at]).toEqual([iso, iso]);
    // A lead whose sessions are gone shows the touches kept on its browser, in the same form.
    const leadId = await identify(h, h.store, 'vz-1', { email: 'vz@example.com' }, t + 1000);
    await h.store.query('delete from sessions where anonymous_id = $1', ['vz-1']);
    const lead = await getJson(h, `/v1/leads/${leadId}`);
    expect([lead.firstTouch.at, lead.lastTouch.at]).toEqual([iso, iso]);
  });

  it('lists visitors most recent first, pages with a cursor, filters by identified', async () => {
    const base = Date.now() - 3_600_000;
    for (let i = 0; i < 5; i++)
      await send(h, event({ anonymousId: `vl-${i}`, timestamp: base + i * 1000 }));
    await identify(h, h.store, 'vl-4', { email: 'vl4@example.com' }, base + 4000);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { data: { anonymousId: string }[]; nextCursor: string | null } = await getJson(
        h,
        `/v1/visitors?limit=2${cursor ? `&cursor=${cursor}` : ''}`,
      );
      seen.push(...page.data.map((v) => v.anonymousId));
      cursor = page.nextCursor;
    } while (cursor);
    expect(new Set(seen).size).toBe(seen.length);
    for (let i = 0; i < 5; i++) expect(seen).toContain(`vl-${i}`);
    const anon = (await getJson(h, '/v1/visitors?identified=false&limit=200')).data.map(
      (v: { anonymousId: string }) => v.anonymousId,
    );
    expect(anon).toContain('vl-0');
    expect(anon).not.toContain('vl-4');
    const known = (await getJson(h, '/v1/visitors?identified=true&limit=200')).data;
    expect(
      known.find((v: { anonymousId: string }) => v.anonymousId === 'vl-4')?.leadId,
    ).toBeTruthy();
    expect((await h.secret('/v1/visitors?limit=-1')).status).toBe(400);
    expect((await h.secret('/v1/visitors?cursor=zzz')).status).toBe(400);
  });
});
