import { describe, expect, it } from 'vitest';
import { event, harness } from '../helpers/app.ts';
import { parseCsv } from '../helpers/csv.ts';
import { suiteHarness } from '../helpers/fixture.ts';
import { storeCases } from '../helpers/stores.ts';
import { addSession, getJson, identify, send } from './leads-helpers.ts';

describe.each(storeCases)('lead API on $name', (sc) => {
  const h = suiteHarness(sc);

  it('GET /v1/leads/{id} answers the Lead shape with identities, anonymous ids, history and touches', async () => {
    const t0 = Date.now() - 3_600_000;
    // Two real sessions through the pipeline: a Google search landing, then an email campaign.
    await send(
      h,
      event({
        anonymousId: 'shape-a',
        sessionId: 'shape-s1',
        timestamp: t0,
        url: 'https://www.example.com/',
        referrer: 'https://www.google.com/',
      }),
    );
    await send(
      h,
      event({
        anonymousId: 'shape-a',
        sessionId: 'shape-s2',
        timestamp: t0 + 60_000,
        url: 'https://www.example.com/?utm_source=newsletter&utm_medium=email',
      }),
    );
    const id = await identify(h, h.store, 'shape-a', {
      email: 'Shape@Example.com',
      firstName: 'Sha',
      lastName: 'Pe',
      userId: 'u-shape',
    });
    const lead = await getJson(h, `/v1/leads/${id}`);
    expect(lead).toMatchObject({
      id,
      email: 'shape@example.com',
      name: 'Sha Pe',
      stage: 'lead',
      traits: { email: 'shape@example.com', firstName: 'Sha' },
      stageHistory: [{ from: 'visitor', to: 'lead', reason: 'identified', actor: 'system' }],
      anonymousIds: ['shape-a'],
      firstTouch: {
        channel: 'organic_search',
        source: 'google',
        landingUrl: 'https://www.example.com/',
      },
      lastTouch: { channel: 'email' },
    });
    expect(lead.identities).toEqual(
      expect.arrayContaining([
        { kind: 'email', value: 'shape@example.com' },
        { kind: 'userId', value: 'u-shape' },
      ]),
    );
    // The default rules score a work email as fit; the breakdown explains every point.
    expect(lead.score.fit).toBeGreaterThan(0);
    const lines = lead.score.breakdown as { ruleId: string; points: number }[];
    expect(lines.map((l) => l.ruleId)).toContain('work-email');
    expect(lines.reduce((s, l) => s + l.points, 0)).toBeCloseTo(lead.score.total, 6);
    expect(Object.keys(lead).sort()).toEqual(
      [
        'id',
        'email',
        'name',
        'traits',
        'stage',
        'score',
        'stageHistory',
        'identities',
        'anonymousIds',
        'firstTouch',
        'lastTouch',
        'createdAt',
        'updatedAt',
        'firstSeenAt',
        'lastSeenAt',
      ].sort(),
    );
    expect(new Date(lead.firstSeenAt).getTime()).toBeLessThanOrEqual(t0);
  });

  it('timeline: every event of every stitched browser, newest first, cursor pages without overlap', async () => {
    const base = Date.now() - 86_400_000;
    await send(
      h,
      ...Array.from({ length: 5 }, (_, i) =>
        event({ anonymousId: 'tl-laptop', timestamp: base + i * 1000 }),
      ),
    );
    await send(
      h,
      ...Array.from({ length: 4 }, (_, i) =>
        event({ anonymousId: 'tl-phone', timestamp: base + 500 + i * 1000 }),
      ),
    );
    const id = await identify(h, h.store, 'tl-laptop', { email: 'tl@example.com' });
    await identify(h, h.store, 'tl-phone', { email: 'tl@example.com' });
    const seen: string[] = [];
    let cursor: string | null = null;
    let last = Number.POSITIVE_INFINITY;
    do {
      const page: { data: { id: string; timestamp: string }[]; nextCursor: string | null } =
        await getJson(h, `/v1/leads/${id}/timeline?limit=3${cursor ? `&cursor=${cursor}` : ''}`);
      for (const e of page.data) {
        const t = Date.parse(e.timestamp);
        expect(t).toBeLessThanOrEqual(last);
        last = t;
        seen.push(e.id);
      }
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen.length).toBe(11); // 9 pageviews + 2 identifies
    expect(new Set(seen).size).toBe(11);
  });

  it('finds Vietnamese names without their accents, typed composed or decomposed', async () => {
    const mai = await identify(h, h.store, 'vn-mai', {
      email: 'sales@congty.vn',
      name: 'Nguyễn Thị Mai',
    });
    // Stored decomposed (NFD), as some Vietnamese keyboards type it.
    const duc = await identify(h, h.store, 'vn-duc', {
      email: 'duc@acme.vn',
      name: 'Trần Ngọc Đức'.normalize('NFD'),
    });
    const ids = async (q: string) =>
      ((await getJson(h, `/v1/leads?q=${encodeURIComponent(q)}`)).data as { id: string }[]).map(
        (l) => l.id,
      );
    expect(await ids('nguyen thi mai')).toEqual([mai]);
    expect(await ids('NGUYỄN')).toEqual([mai]);
    expect(await ids('Nguyễn Thị'.normalize('NFD'))).toEqual([mai]);
    expect(await ids('tran ngoc duc')).toEqual([duc]);
    expect(await ids('Trần Ngọc Đức')).toEqual([duc]);
    expect(await ids('đức')).toEqual([duc]);
    expect(await ids('congty.vn')).toEqual([mai]);
    expect(await ids('mai duc')).toEqual([]);
  });

  it('list: filters by stage, score range, q, channel and creation date; sorts; rejects bad input', async () => {
    const a = await identify(h, h.store, 'lf-a', {
      email: 'alpha.list@acme.io',
      name: 'Alpha Zed',
    });
    const b = await identify(h, h.store, 'lf-b', { email: 'beta.list@acme.io', name: 'Beta' });
    await h.store.query('update leads set score_total = 80, stage = $2 where lead_id = $1', [
      a,
      'mql',
    ]);
    await h.store.query('update leads set score_total = 20 where lead_id = $1', [b]);
    await addSession(h.store, h.site.site.id, {
      id: 'lf-s',
      anon: 'lf-b',
      at: new Date(Date.now() - 1000),
      channel: 'paid_search',
    });

    const ids = async (qs: string) =>
      ((await getJson(h, `/v1/leads?${qs}`)).data as { id: string }[]).map((l) => l.id);
    expect(await ids('stage=mql')).toContain(a);
    expect(await ids('stage=mql')).not.toContain(b);
    expect(await ids('stage=mql,lead')).toEqual(expect.arrayContaining([a, b]));
    expect(await ids('minScore=50')).toEqual([a]);
    expect(await ids('maxScore=30&q=list')).toEqual([b]);
    expect(await ids('q=ALPHA.LIST')).toEqual([a]);
    expect(await ids('q=zed')).toEqual([a]);
    expect(await ids('q=%25')).toEqual([]); // a literal %, not a wildcard
    expect(await ids('q=_')).toEqual([]); // a literal _, not a wildcard
    expect(await ids('channel=paid_search')).toEqual([b]);
    expect(
      await ids(
        `createdAfter=${encodeURIComponent(new Date(Date.now() + 86_400_000).toISOString())}`,
      ),
    ).toEqual([]);
    expect(await ids('createdBefore=2000-01-01')).toEqual([]);
    const byScore = await ids('sort=-score&q=list');
    expect(byScore).toEqual([a, b]);
    expect(await ids('sort=score&q=list')).toEqual([b, a]);

    for (const bad of [
      'stage=nope',
      'minScore=abc',
      'sort=name',
      'limit=0',
      'limit=1000',
      'createdAfter=yesterday',
      'cursor=garbage',
    ]) {
      const res = await h.secret(`/v1/leads?${bad}`);
      expect(res.status, bad).toBe(400);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      const body = await res.json();
      expect(body.errors?.[0]?.path, bad).toBeTruthy();
    }
    const seg = await h.secret('/v1/leads?segment=abc');
    expect(seg.status).toBe(404);
  });

  it('list and export: an unknown channel or a repeated single-value parameter is a 400 naming it; repeated stages all count', async () => {
    const a = await identify(h, h.store, 'rq-a', { email: 'alpha.repeat@rq.io' });
    const b = await identify(h, h.store, 'rq-b', { email: 'beta.repeat@rq.io' });
    await h.store.query(`update leads set stage = 'mql' where lead_id = $1`, [a]);
    const ids = async (qs: string) =>
      ((await getJson(h, `/v1/leads?q=repeat&${qs}`)).data as { id: string }[])
        .map((l) => l.id)
        .sort();

    expect(await ids('stage=mql&stage=lead')).toEqual([a, b].sort());
    expect(await ids('stage=mql&stage=lead')).toEqual(await ids('stage=mql,lead'));
    expect(await ids('stage=mql&stage=sql')).toEqual([a]);
    // Parameters the list does not know are ignored, repeated or not.
    expect(await ids('ref=x&ref=y')).toEqual([a, b].sort());
    const csv = await h.secret('/v1/leads/export.csv?q=repeat&stage=mql&stage=lead');
    expect(csv.status).toBe(200);
    expect((await csv.text()).trim().split('\r\n')).toHaveLength(3); // header + both leads

    for (const [path, param] of [
      ['/v1/leads?channel=bogus', 'channel'],
      ['/v1/leads/export.csv?channel=bogus', 'channel'],
      ['/v1/leads?channel=paid_search&channel=email', 'channel'],
      ['/v1/leads?stage=mql&stage=nope', 'stage'],
      ['/v1/leads?sort=score&sort=-score', 'sort'],
      [`/v1/leads/${a}/timeline?limit=5&limit=10`, 'limit'],
      ['/v1/visitors?identified=true&identified=false', 'identified'],
      ['/v1/reports/funnel?from=2026-01-01&from=2026-01-05', 'from'],
    ] as const) {
      const res = await h.secret(path);
      expect(res.status, path).toBe(400);
      expect(res.headers.get('content-type'), path).toContain('application/problem+json');
      // The parameter, or a value of it (`stage.1`: the second stage).
      const body = (await res.json()) as { errors: { path: string }[] };
      expect(
        body.errors.map((e) => e.path.split('.')[0]),
        path,
      ).toEqual([param]);
    }
  });

  it('list: cursor pages have no duplicates or gaps while leads are inserted', async () => {
    for (let i = 0; i < 7; i++) await identify(h, h.store, `pg-${i}`, { email: `pg${i}@page.io` });
    for (const sort of ['-createdAt', 'createdAt', '-score', '-lastSeenAt', 'lastSeenAt']) {
      const before = (await getJson(h, `/v1/leads?q=page.io&limit=200&sort=${sort}`)).data.map(
        (l: { id: string }) => l.id,
      );
      const seen: string[] = [];
      let cursor: string | null = null;
      let n = 0;
      do {
        const page: { data: { id: string; timestamp: string }[]; nextCursor: string | null } =
          await getJson(
            h,
            `/v1/leads?q=page.io&limit=2&sort=${sort}${cursor ? `&cursor=${cursor}` : ''}`,
          );
        seen.push(...page.data.map((l: { id: string }) => l.id));
        cursor = page.nextCursor;
        if (n++ === 1)
          await identify(h, h.store, `pg-new-${sort}`, { email: `new${sort}@page.io` });
      } while (cursor);
      for (const id of before) expect(seen, sort).toContain(id);
      expect(new Set(seen).size, sort).toBe(seen.length);
    }
  });

  it('PATCH merges traits (null removes) and keeps name in sync; validates', async () => {
    const id = await identify(h, h.store, 'patch-a', {
      email: 'patch@example.com',
      name: 'Old',
      plan: 'free',
    });
    const res = await h.secret(`/v1/leads/${id}`, {
      method: 'PATCH',
      body: JSON.stringify({ traits: { name: 'New Name', plan: null, company: 'Acme' } }),
    });
    expect(res.status).toBe(200);
    const lead = await res.json();
    expect(lead.name).toBe('New Name');
    expect(lead.traits).toEqual({ email: 'patch@example.com', name: 'New Name', company: 'Acme' });
    const bad = await h.secret(`/v1/leads/${id}`, {
      method: 'PATCH',
      body: JSON.stringify({ traits: 'x' }),
    });
    expect(bad.status).toBe(400);
    expect((await bad.json()).errors[0].path).toBe('traits');
    // DESIGN §6 says only "traits": the traits as the body work as well.
    const bare = await h.secret(`/v1/leads/${id}`, {
      method: 'PATCH',
      body: JSON.stringify({ title: 'VP Marketing', plan: 'pro' }),
    });
    expect(bare.status).toBe(200);
    expect((await bare.json()).traits).toMatchObject({ title: 'VP Marketing', plan: 'pro' });
    const list = await h.secret(`/v1/leads/${id}`, { method: 'PATCH', body: '[1]' });
    expect(list.status).toBe(400);
    const taken = await identify(h, h.store, 'patch-b', { email: 'taken@example.com' });
    expect(taken).not.toBe(id);
    const conflict = await h.secret(`/v1/leads/${id}`, {
      method: 'PATCH',
      body: JSON.stringify({ traits: { email: 'Taken@Example.com' } }),
    });
    expect(conflict.status).toBe(409);
    // A new email is an identifier added to the lead: audited, as identify's are.
    const added = await h.secret(`/v1/leads/${id}`, {
      method: 'PATCH',
      body: JSON.stringify({ traits: { email: ' Second@Example.com ' } }),
    });
    expect(added.status).toBe(200);
    const { rows } = await h.store.query<{ action: string; kind: string; value: string }>(
      `select action, kind, value, source from identity_audit
        where lead_id = $1 and value = 'second@example.com'`,
      [id],
    );
    expect(rows).toEqual([
      { action: 'identifier', kind: 'email', value: 'second@example.com', source: 'api' },
    ]);
    // Found by the new address and by the one it replaced (still an identity of the lead).
    for (const q of ['second@', 'patch@example'])
      expect((await getJson(h, `/v1/leads?q=${q}`)).data.map((x: { id: string }) => x.id)).toEqual([
        id,
      ]);
  });

  it('merge: identities, browsers, events, traits, furthest stage move to the survivor; old id answers with it', async () => {
    const s = await identify(h, h.store, 'm-s', {
      email: 'survivor@example.com',
      name: 'Sur',
      company: '',
    });
    const l = await identify(h, h.store, 'm-l', {
      email: 'loser@example.com',
      name: 'Los',
      company: 'Acme',
      title: 'CTO',
    });
    await send(h, event({ anonymousId: 'm-l', url: 'https://www.example.com/pricing' }));
    await h.store.query(`update leads set stage = 'sql' where lead_id = $1`, [l]);
    const res = await h.secret(`/v1/leads/${s}/merge`, {
      method: 'POST',
      body: JSON.stringify({ leadId: l }),
    });
    expect(res.status).toBe(200);
    const merged = await res.json();
    expect(merged.id).toBe(s);
    expect(merged.stage).toBe('sql');
    expect(merged.name).toBe('Sur');
    expect(merged.traits).toMatchObject({
      name: 'Sur',
      company: 'Acme',
      title: 'CTO',
      email: 'survivor@example.com',
    });
    expect(merged.anonymousIds.sort()).toEqual(['m-l', 'm-s']);
    expect(merged.identities.map((i: { value: string }) => i.value).sort()).toEqual([
      'loser@example.com',
      'survivor@example.com',
    ]);
    expect(merged.stageHistory.at(-1)).toMatchObject({ from: 'lead', to: 'sql', actor: 'api' });
    expect(merged.stageHistory.length).toBeGreaterThanOrEqual(3);
    expect((await getJson(h, `/v1/leads/${l}`)).id).toBe(s);
    const tl = await getJson(h, `/v1/leads/${l}/timeline`);
    expect(
      tl.data.some((e: { url: string | null }) => e.url === 'https://www.example.com/pricing'),
    ).toBe(true);
    // The loser is gone from the list; its email, now the survivor's, finds the survivor.
    const list = (await getJson(h, '/v1/leads?q=loser@')).data;
    expect(list.map((x: { id: string }) => x.id)).toEqual([s]);
    // Identifying with the loser's email now reaches the survivor.
    expect(await identify(h, h.store, 'm-new', { email: 'loser@example.com' })).toBe(s);
    const hooks = await h.store.query(
      `select 1 from webhook_events where type = 'lead.merged' and data->>'leadId' = $1`,
      [s],
    );
    expect(hooks.rows.length).toBe(1);
    const again = await h.secret(`/v1/leads/${s}/merge`, {
      method: 'POST',
      body: JSON.stringify({ leadId: l }),
    });
    expect(again.status).toBe(409);
    const missing = await h.secret(`/v1/leads/${s}/merge`, {
      method: 'POST',
      body: JSON.stringify({ leadId: 'nope' }),
    });
    expect(missing.status).toBe(404);
  });

  it('export.csv streams the filtered list with spreadsheet-safe, quoted cells', async () => {
    await identify(h, h.store, 'csv-a', {
      email: 'csv@export.io',
      name: '=HYPERLINK("http://evil")',
      note: 'a,b\n"c"',
    });
    const res = await h.secret('/v1/leads/export.csv?q=export.io');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/csv');
    const text = await res.text();
    const lines = text.trim().split('\r\n');
    expect(lines[0]).toMatch(/^id,email,name,stage,score/);
    expect(text).toContain(`"'=HYPERLINK(""http://evil"")"`);
    expect(text).not.toMatch(/,=HYPERLINK/);
    expect(text).toContain('csv@export.io');
  });

  it('export.csv has both touches and the CRM traits as columns of their own, after the old ones', async () => {
    const t = Date.now() - 60_000;
    await send(
      h,
      event({
        anonymousId: 'csv-touch',
        sessionId: 'csv-s1',
        timestamp: t,
        url: 'https://www.example.com/?utm_source=newsletter&utm_medium=email&utm_campaign=nov',
      }),
    );
    await identify(h, h.store, 'csv-touch', {
      email: 'touch@csv.io',
      company: 'Công ty Acme',
      title: 'CTO',
      phone: '+84 90 123 4567',
    });
    await send(
      h,
      event({
        anonymousId: 'csv-touch',
        sessionId: 'csv-s2',
        timestamp: Date.now(),
        referrer: 'https://www.google.com/',
        url: 'https://www.example.com/pricing',
      }),
    );
    const text = await (await h.secret('/v1/leads/export.csv?q=touch@csv.io')).text();
    const [header, row] = parseCsv(text);
    const cells = Object.fromEntries(header!.map((c, i) => [c, row![i]]));
    // The columns a file read by position had are where they were.
    expect(header!.slice(0, 13)).toEqual([
      'id',
      'email',
      'name',
      'stage',
      'score',
      'fit',
      'engagement',
      'first_touch_channel',
      'created_at',
      'updated_at',
      'first_seen_at',
      'last_seen_at',
      'traits',
    ]);
    expect(cells).toMatchObject({
      email: 'touch@csv.io',
      first_touch_channel: 'email',
      first_touch_source: 'newsletter',
      first_touch_medium: 'email',
      first_touch_campaign: 'nov',
      last_touch_channel: 'organic_search',
      last_touch_source: 'google',
      company: 'Công ty Acme',
      title: 'CTO',
      // A formula-looking cell is defused, as every cell is.
      phone: "'+84 90 123 4567",
    });
  });

  it('export.csv pages through more leads than one page, each exactly once', async () => {
    await h.store.query(
      `insert into leads (site_id, lead_id, email, created_at)
       select $1, 'bulk_' || i, 'bulk' || i || '@bulk.io', now() - (i % 7) * interval '1 second'
         from generate_series(1, 1234) as i`,
      [h.site.site.id],
    );
    const text = await (await h.secret('/v1/leads/export.csv?q=bulk.io&sort=-createdAt')).text();
    const ids = text
      .trim()
      .split('\r\n')
      .slice(1)
      .map((l) => l.split(',')[0]);
    expect(ids).toHaveLength(1234);
    expect(new Set(ids).size).toBe(1234);
  });

  it('DELETE erases the person from every table; 404 afterwards', async () => {
    await send(h, event({ anonymousId: 'er-a' }), event({ anonymousId: 'er-b' }));
    await addSession(h.store, h.site.site.id, {
      id: 'er-s',
      anon: 'er-a',
      at: new Date(),
      channel: 'direct',
    });
    const id = await identify(h, h.store, 'er-a', {
      email: 'erase.me@example.com',
      userId: 'u-erase',
    });
    await identify(h, h.store, 'er-b', { email: 'erase.me@example.com' });
    const other = await identify(h, h.store, 'er-other', { email: 'other.er@example.com' });
    // Someone else's identify naming this email: refused, but audited under their lead.
    const bystander = await identify(h, h.store, 'bys-x', { userId: 'u-bys' });
    await identify(h, h.store, 'bys-x', { userId: 'u-bys', email: 'erase.me@example.com' });
    await h.secret(`/v1/leads/${id}/merge`, {
      method: 'POST',
      body: JSON.stringify({ leadId: other }),
    });
    // Tables another feature might add: one keyed by lead, one referencing the outbox.
    await h.store.query(
      'create table if not exists lead_notes (site_id text, note_id text, lead_id text, body text, primary key (site_id, note_id))',
    );
    await h.store.query(`insert into lead_notes values ($1, 'n1', $2, 'called erase.me')`, [
      h.site.site.id,
      id,
    ]);
    await h.store.query(
      `create table if not exists test_deliveries (site_id text, delivery_id text, event_id text,
         primary key (site_id, delivery_id), foreign key (site_id, event_id) references webhook_events (site_id, event_id))`,
    );
    await h.store.query(
      `insert into test_deliveries select site_id, 'd-' || event_id, event_id from webhook_events where data->>'leadId' = $1`,
      [id],
    );
    const res = await h.secret(`/v1/leads/${id}`, { method: 'DELETE' });
    expect(res.status).toBe(204);
    expect((await h.secret(`/v1/leads/${id}`)).status).toBe(404);
    expect((await h.secret(`/v1/leads/${other}`)).status).toBe(404);
    expect((await h.store.query('select 1 from test_deliveries')).rows).toEqual([]);
    const needles = [
      id,
      other,
      'er-a',
      'er-b',
      'er-other',
      'erase.me@example.com',
      'other.er@example.com',
      'u-erase',
    ];
    const { rows: tables } = await h.store.query<{ table_name: string }>(
      `select table_name from information_schema.tables where table_schema = current_schema() and table_type = 'BASE TABLE'`,
    );
    for (const { table_name } of tables) {
      const { rows } = await h.store.query<{ t: string }>(
        `select t::text as t from "${table_name}" t`,
      );
      for (const r of rows)
        for (const n of needles) expect(r.t, `${table_name} still holds ${n}`).not.toContain(n);
    }
    expect((await h.secret(`/v1/leads/${id}`, { method: 'DELETE' })).status).toBe(404);
    expect((await h.secret(`/v1/leads/${bystander}`)).status).toBe(200);
  });

  it('every lead route answers a lead that does not exist with the same problem type', async () => {
    const known = await identify(h, h.store, 'nf-a', { email: 'nf@example.com' });
    const json = (method: string, body: unknown) => ({ method, body: JSON.stringify(body) });
    const calls: [string, RequestInit][] = [
      ['/v1/leads/nope', {}],
      ['/v1/leads/nope/timeline', {}],
      ['/v1/leads/nope', json('PATCH', { traits: {} })],
      ['/v1/leads/nope', { method: 'DELETE' }],
      ['/v1/leads/nope/merge', json('POST', { leadId: known })],
      [`/v1/leads/${known}/merge`, json('POST', { leadId: 'nope' })],
      ['/v1/leads/nope/stage', json('POST', { stage: 'mql' })],
      ['/v1/leads/nope/events', json('POST', { name: 'purchase' })],
      ['/v1/leads/nope/export', {}],
    ];
    for (const [path, init] of calls) {
      const res = await h.secret(path, init);
      const what = `${init.method ?? 'GET'} ${path}`;
      expect(res.status, what).toBe(404);
      expect(res.headers.get('content-type'), what).toContain('application/problem+json');
      expect(((await res.json()) as { type: string }).type, what).toBe(
        'https://touchpoint.dev/problems/lead-not-found',
      );
    }
  });

  it('another site cannot see, change or erase a lead (404)', async () => {
    const id = await identify(h, h.store, 'iso-a', { email: 'iso@example.com' });
    const other = await harness(h.store);
    const res = await other.secret(`/v1/leads/${id}`);
    expect(res.status).toBe(404);
    expect((await other.secret(`/v1/leads/${id}/timeline`)).status).toBe(404);
    expect((await other.secret(`/v1/leads/${id}`, { method: 'DELETE' })).status).toBe(404);
    expect(
      (await other.secret(`/v1/leads/${id}`, { method: 'PATCH', body: '{"traits":{}}' })).status,
    ).toBe(404);
    const list = await other.secret('/v1/leads');
    expect((await list.json()).data).toEqual([]);
    expect((await h.secret(`/v1/leads/${id}`)).status).toBe(200);
  });
});
