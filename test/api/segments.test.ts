/** Saved segments: create, list, read, delete, validation with field paths, and site isolation. */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { segmentFilter } from '../../collector/api/index.ts';
import { HttpProblem } from '../../collector/http/problem.ts';
import { createSite } from '../../collector/sites/index.ts';
import { suiteHarness } from '../helpers/fixture.ts';
import { storeCases } from '../helpers/stores.ts';
import { getJson, identify } from './leads-helpers.ts';

describe.each(storeCases)('segments on $name', (sc) => {
  let other: { siteId: string; key: string };
  const h = suiteHarness(sc);

  beforeAll(async () => {
    const o = await createSite(h.store, { name: 'Other', allowedOrigins: [] });
    other = { siteId: o.site.id, key: o.secretKey };
  });

  const post = (body: unknown) =>
    h.secret('/v1/segments', { method: 'POST', body: JSON.stringify(body) });

  it('saves a named filter and lists it back', async () => {
    const filter = {
      stage: 'mql',
      minScore: 40,
      maxScore: 90,
      channel: 'paid_search',
      q: 'acme',
      createdAfter: '2026-01-01',
    };
    const res = await post({ name: 'Hot paid leads', filter });
    expect(res.status).toBe(201);
    const seg = (await res.json()) as {
      id: string;
      name: string;
      filter: unknown;
      createdAt: string;
    };
    expect(seg).toMatchObject({ name: 'Hot paid leads', filter });
    expect(res.headers.get('location')).toBe(`/v1/segments/${seg.id}`);

    const list = (await (await h.secret('/v1/segments')).json()) as { data: { id: string }[] };
    expect(list.data.map((s) => s.id)).toContain(seg.id);
    const one = await h.secret(`/v1/segments/${seg.id}`);
    expect(await one.json()).toEqual(seg);
    expect(await segmentFilter(h.store, h.site.site.id, seg.id)).toEqual(filter);
  });

  it('rejects bad filters with the failing field paths', async () => {
    const cases: [unknown, string][] = [
      [{ name: '', filter: {} }, 'name'],
      [{ name: 'x', filter: { stage: 'prospect' } }, 'filter.stage'],
      [{ name: 'x', filter: { stage: ['mql', 'prospect'] } }, 'filter.stage'],
      [{ name: 'x', filter: { stage: 'mql,prospect' } }, 'filter.stage'],
      [{ name: 'x', filter: { stage: [] } }, 'filter.stage'],
      [{ name: 'x', filter: { stage: 'mql,' } }, 'filter.stage'],
      [{ name: 'x', filter: { minScore: 'high' } }, 'filter.minScore'],
      [{ name: 'x', filter: { minScore: 50, maxScore: 10 } }, 'filter.minScore'],
      [{ name: 'x', filter: { channel: 'tv' } }, 'filter.channel'],
      [{ name: 'x', filter: { createdAfter: 'last week' } }, 'filter.createdAfter'],
      [{ name: 'x', filter: { sort: '-score' } }, 'filter'],
      [{ name: 'x' }, 'filter'],
      [{ name: 'x\u0000', filter: {} }, 'name'],
    ];
    for (const [body, path] of cases) {
      const res = await post(body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      const p = (await res.json()) as { errors: { path: string }[] };
      expect(
        p.errors.map((e) => e.path),
        JSON.stringify(body),
      ).toContain(path);
    }
    const malformed = await h.secret('/v1/segments', { method: 'POST', body: '{"name":' });
    expect(malformed.status).toBe(400);
  });

  it('saves several stages, as an array or the comma form, and the list applies them', async () => {
    const ids: Record<string, string> = {};
    for (const stage of ['lead', 'mql', 'sql', 'customer']) {
      ids[stage] = await identify(h, h.store, `st-${stage}`, { email: `${stage}@stages.io` });
      await h.store.query('update leads set stage = $2 where lead_id = $1', [ids[stage], stage]);
    }
    const listed = async (segmentId: string) =>
      (await getJson(h, `/v1/leads?segment=${segmentId}`)).data
        .map((l: { id: string }) => l.id)
        .sort();
    for (const stage of [['mql', 'sql'], 'mql,sql', ' mql , sql']) {
      const res = await post({ name: 'Qualified', filter: { stage, q: 'stages.io' } });
      expect(res.status, JSON.stringify(stage)).toBe(201);
      const seg = (await res.json()) as { id: string; filter: unknown };
      expect(seg.filter).toEqual({ stage: ['mql', 'sql'], q: 'stages.io' });
      expect(await listed(seg.id), JSON.stringify(stage)).toEqual([ids.mql, ids.sql].sort());
    }
    // One stage still saves and reads as one stage.
    const one = (await (
      await post({ name: 'MQL', filter: { stage: 'mql', q: 'stages.io' } })
    ).json()) as {
      id: string;
      filter: unknown;
    };
    expect(one.filter).toEqual({ stage: 'mql', q: 'stages.io' });
    expect(await listed(one.id)).toEqual([ids.mql]);
    // A segment stored before several stages were allowed still applies.
    await h.store.query(
      `insert into segments (site_id, segment_id, name, filter, created_at) values ($1, 'seg_old', 'Old', $2, now())`,
      [h.site.site.id, JSON.stringify({ stage: 'customer', q: 'stages.io' })],
    );
    expect(await listed('seg_old')).toEqual([ids.customer]);
    // The list's own stage filter narrows a segment's further (both apply).
    const both = (await (
      await post({ name: 'Both', filter: { stage: ['mql', 'sql'] } })
    ).json()) as {
      id: string;
    };
    expect(
      (await getJson(h, `/v1/leads?segment=${both.id}&stage=sql,customer&q=stages.io`)).data.map(
        (l: { id: string }) => l.id,
      ),
    ).toEqual([ids.sql]);
  });

  it('keeps hostile names as data', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ minLength: 1, maxLength: 60 }), async (name) => {
        const res = await post({ name, filter: { q: name } });
        if (res.status === 400) return; // blank after trimming, or not storable: refused, never a 500
        expect(res.status).toBe(201);
        const seg = (await res.json()) as { id: string; name: string; filter: { q: string } };
        expect(seg.name).toBe(name.trim());
        expect(seg.filter.q).toBe(name);
      }),
      { numRuns: 25 },
    );
  });

  it("another site's key sees none of this site's segments", async () => {
    const mine = (await (await post({ name: 'Mine', filter: {} })).json()) as { id: string };
    const auth = { authorization: `Bearer ${other.key}` };
    const list = (await (await h.app.request('/v1/segments', { headers: auth })).json()) as {
      data: unknown[];
    };
    expect(list.data).toEqual([]);
    expect((await h.app.request(`/v1/segments/${mine.id}`, { headers: auth })).status).toBe(404);
    expect(
      (await h.app.request(`/v1/segments/${mine.id}`, { method: 'DELETE', headers: auth })).status,
    ).toBe(404);
    await expect(segmentFilter(h.store, other.siteId, mine.id)).rejects.toMatchObject({
      status: 404,
    });
    expect((await h.secret(`/v1/segments/${mine.id}`)).status).toBe(200);
  });

  it('deletes a segment; an unknown one is a 404 problem', async () => {
    const seg = (await (await post({ name: 'Temp', filter: {} })).json()) as { id: string };
    expect((await h.secret(`/v1/segments/${seg.id}`, { method: 'DELETE' })).status).toBe(204);
    const gone = await h.secret(`/v1/segments/${seg.id}`);
    expect(gone.status).toBe(404);
    expect(((await gone.json()) as { type: string }).type).toContain('unknown-segment');
    const err = await segmentFilter(h.store, h.site.site.id, seg.id).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HttpProblem);
  });

  it('needs a secret key', async () => {
    expect((await h.app.request('/v1/segments')).status).toBe(401);
    const pub = await h.app.request('/v1/segments', {
      headers: { authorization: `Bearer ${h.site.publicKey}` },
    });
    expect(pub.status).toBe(401);
  });
});
