/**
 * Hostile cursors and dates on every list, report and export: a 400 problem+json naming the
 * field, never a 500 and never a 200 that is cut short; the cursors the server issues still page.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Log } from '../../collector/deps.ts';
import type { Store } from '../../collector/store/index.ts';
import { LEAD_SORTS } from '../../shared/lead-schemas.ts';
import { harness } from '../helpers/app.ts';
import { suiteHarness } from '../helpers/fixture.ts';
import { storeCases } from '../helpers/stores.ts';
import { getJson, type Harness } from './leads-helpers.ts';

const b64 = (s: string) => Buffer.from(s).toString('base64url');
const json64 = (v: unknown) => b64(JSON.stringify(v));

/** Expects a 400 problem+json whose errors name `path`. */
async function expectProblemAt(res: Response, path: string) {
  const body = await res.text();
  expect(res.status, body).toBe(400);
  expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  const problem = JSON.parse(body) as { errors?: { path: string }[] };
  expect(problem.errors?.map((e) => e.path)).toContain(path);
}

/** Leads with fractional scores and microsecond times, so keys are what the stores print. */
async function insertLeads(store: Store, siteId: string, prefix: string, n: number) {
  await store.query(
    `insert into leads (site_id, lead_id, email, stage, score_total, created_at, updated_at, last_seen_at)
     select $1, $2 || '-' || g, $2 || g || '@hostile.test', 'lead', (g % 4) + 0.1 * g,
            now() - (g * 1.000123 || ' seconds')::interval, now(),
            case when g % 3 = 0 then null else now() - (g * 7.000321 || ' seconds')::interval end
       from generate_series(1, $3::int) g`,
    [siteId, prefix, n],
  );
}

/** Walks a list page by page (limit 2) with the cursors it issues; returns the ids seen. */
async function walk(h: Harness, path: string, id: (row: Record<string, unknown>) => string) {
  const seen: string[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const sep = path.includes('?') ? '&' : '?';
    const page: { data: Record<string, unknown>[]; nextCursor: string | null } = await getJson(
      h,
      `${path}${sep}limit=2${cursor ? `&cursor=${cursor}` : ''}`,
    );
    seen.push(...page.data.map(id));
    cursor = page.nextCursor;
    pages++;
  } while (cursor && pages < 50);
  return seen;
}

describe.each(storeCases)('hostile cursors and dates on $name', (sc) => {
  let leadId: string;
  let endpointId: string;
  const N = 7;
  const h = suiteHarness(sc);

  beforeAll(async () => {
    const site = h.site.site.id;
    await insertLeads(h.store, site, 'hl', N);
    leadId = 'hl-1';
    // A timeline (one stitched browser), visitors, form submissions and webhook deliveries,
    // all with microsecond times.
    await h.store.query(
      `insert into anonymous_links (site_id, anonymous_id, valid_from, lead_id)
       values ($1, 'anon-hl', '-infinity', $2)`,
      [site, leadId],
    );
    await h.store.query(
      `insert into events (site_id, event_id, anonymous_id, type, ts, client_ts, received_at)
       select $1, 'ev-' || g, 'anon-hl', 'pageview', now() - (g * 1.000007 || ' seconds')::interval,
              now(), now()
         from generate_series(1, $2::int) g`,
      [site, N],
    );
    await h.store.query(
      `insert into visitors (site_id, anonymous_id, first_seen_at, last_seen_at)
       select $1, 'anon-v' || g, now() - interval '1 day',
              now() - (g * 3.000011 || ' seconds')::interval
         from generate_series(1, $2::int) g`,
      [site, N],
    );
    await h.store.query(
      `insert into form_submissions (site_id, submission_id, form_id, anonymous_id, status, created_at)
       select $1, 'sub-' || g, 'f1', 'anon-v1', 'accepted', now() - (g || ' seconds')::interval
         from generate_series(1, $2::int) g`,
      [site, N],
    );
    const ep = await h.secret('/v1/webhooks', {
      method: 'POST',
      body: JSON.stringify({ url: 'https://hooks.example.com/tp', events: ['lead.created'] }),
    });
    expect(ep.status).toBe(201);
    endpointId = ((await ep.json()) as { id: string }).id;
    await h.store.query(
      `insert into webhook_events (site_id, event_id, type, data, created_at)
       select $1, 'whe-' || g, 'lead.created', '{}', now() from generate_series(1, $2::int) g`,
      [site, N],
    );
    await h.store.query(
      `insert into webhook_deliveries
         (site_id, delivery_id, endpoint_id, event_id, type, body, status, next_attempt_at, created_at)
       select $1, 'dlv-' || g, $3, 'whe-' || g, 'lead.created', '{}', 'delivered', now(),
              now() - (g * 2.000013 || ' seconds')::interval
         from generate_series(1, $2::int) g`,
      [site, N, endpointId],
    );
  });

  /** Every paginated list, with a cursor to put on it. */
  const lists = () => [
    ...LEAD_SORTS.map((s) => `/v1/leads?sort=${s}`),
    `/v1/leads/${leadId}/timeline`,
    '/v1/visitors',
    '/v1/forms/f1/submissions',
    `/v1/webhooks/${endpointId}/deliveries`,
  ];

  it.each(LEAD_SORTS)('server-issued lead cursors still page by %s', async (sort) => {
    const seen = await walk(h, `/v1/leads?sort=${sort}`, (r) => r.id as string);
    expect(seen.toSorted()).toEqual(Array.from({ length: N }, (_, i) => `hl-${i + 1}`).toSorted());
  });

  it('server-issued cursors still page the timeline, visitors, submissions and deliveries', async () => {
    const ids = (p: string, n: number) => Array.from({ length: n }, (_, i) => `${p}${i + 1}`);
    expect(await walk(h, `/v1/leads/${leadId}/timeline`, (r) => r.id as string)).toEqual(
      ids('ev-', N),
    );
    expect(await walk(h, '/v1/visitors', (r) => r.anonymousId as string)).toEqual(ids('anon-v', N));
    expect(await walk(h, '/v1/forms/f1/submissions', (r) => r.id as string)).toEqual(
      ids('sub-', N),
    );
    expect(await walk(h, `/v1/webhooks/${endpointId}/deliveries`, (r) => r.id as string)).toEqual(
      ids('dlv-', N),
    );
  });

  it.each([
    ['-score', { s: '-score', k: 'abc', i: 'x' }],
    ['-score', { s: '-score', k: '1e309', i: 'x' }],
    ['score', { s: 'score', k: 'NaN', i: 'x' }],
    ['-score', { s: '-score', k: '1', i: 'a\u0000b' }],
    ['-score', { s: '-score', k: '1', i: '\ud800' }],
    ['-createdAt', { s: '-createdAt', k: 'notadate', i: 'x' }],
    ['-createdAt', { s: '-createdAt', k: '2020', i: 'x' }],
    ['createdAt', { s: 'createdAt', k: '2026-02-31 00:00:00+00', i: 'x' }],
    ['createdAt', { s: 'createdAt', k: '0000-12-31 23:00:00-02', i: 'x' }],
    ['lastSeenAt', { s: 'lastSeenAt', k: '9999-12-31 23:00:00-02', i: 'x' }],
    ['-lastSeenAt', { s: '-lastSeenAt', k: '+275760-09-13T00:00:00Z', i: 'x' }],
  ])('a made-up lead cursor on %s is a 400 at cursor (%j)', async (sort, cursor) => {
    await expectProblemAt(
      await h.secret(`/v1/leads?sort=${sort}&cursor=${json64(cursor)}`),
      'cursor',
    );
  });

  it('a score key PostgreSQL would find out of range is read as the number it is', async () => {
    const res = await h.secret(
      `/v1/leads?sort=-score&cursor=${json64({ s: '-score', k: '1e-400', i: 'x' })}`,
    );
    expect(res.status).toBe(200);
  });

  it.each([
    ['1', 'x'],
    ['2020', 'x'],
    ['March 7', 'x'],
    ['+275760-09-13T00:00:00Z', 'x'],
    ['-000001-01-01T00:00:00Z', 'x'],
    ['2026-01-15 10:00:00+00', 'a\u0000b'],
    ['2026-02-30 10:00:00+00', 'x'],
  ])('an event-list cursor [%j, %j] is a 400 at cursor on every event list', async (k, id) => {
    const cursor = json64([k, id]);
    for (const path of [
      `/v1/visitors?cursor=${cursor}`,
      `/v1/leads/${leadId}/timeline?cursor=${cursor}`,
      `/v1/webhooks/${endpointId}/deliveries?cursor=${cursor}`,
    ])
      await expectProblemAt(await h.secret(path), 'cursor');
  });

  it.each([
    '2020|id',
    'March 7|id',
    '+275760-09-13T00:00:00.000Z|id',
    '-000001-01-01T00:00:00.000Z|id',
    '0000-01-01T00:00:00.000Z|id',
    '2026-02-30T00:00:00.000Z|id',
    '2026-01-15T00:00:00.000Z|a\u0000b',
    '2026-01-15T00:00:00.000Z',
  ])('a submissions cursor %j is a 400 at cursor', async (text) => {
    await expectProblemAt(await h.secret(`/v1/forms/f1/submissions?cursor=${b64(text)}`), 'cursor');
  });

  it('the audit’s literal cursors are 400s', async () => {
    await expectProblemAt(await h.secret('/v1/visitors?cursor=WyIxIiwieCJd'), 'cursor');
    await expectProblemAt(await h.secret('/v1/forms/f1/submissions?cursor=MjAyMHxpZA'), 'cursor');
  });

  it.each([
    ['createdAfter=0000-01-01', 'createdAfter'],
    ['createdBefore=9999-12-31T23:59:59-12:00', 'createdBefore'],
  ])('the lead list and export refuse %s at %s', async (query, path) => {
    await expectProblemAt(await h.secret(`/v1/leads?${query}`), path);
    await expectProblemAt(await h.secret(`/v1/leads/export.csv?${query}`), path);
  });

  it('dates at the ends of the range are taken', async () => {
    const all = await getJson(
      h,
      '/v1/leads?createdAfter=0001-01-01&createdBefore=9999-12-31T23:59:59.999Z',
    );
    expect(all.data).toHaveLength(N);
  });

  it.each(['funnel', 'channels', 'forms'])(
    'the %s report refuses windows out of range',
    async (r) => {
      await expectProblemAt(await h.secret(`/v1/reports/${r}?to=9999-12-31`), 'to');
      await expectProblemAt(await h.secret(`/v1/reports/${r}?to=9999-12-31T23:00:00-02:00`), 'to');
      await expectProblemAt(await h.secret(`/v1/reports/${r}?to=0001-01-01`), 'from');
      await expectProblemAt(
        await h.secret(`/v1/reports/${r}?from=0000-12-01&to=0001-01-10`),
        'from',
      );
      // The ends of the range themselves are fine.
      expect((await h.secret(`/v1/reports/${r}?to=9999-12-30`)).status).toBe(200);
      expect((await h.secret(`/v1/reports/${r}?from=0001-01-01&to=0001-01-01`)).status).toBe(200);
    },
  );

  it('a segment with a date out of range is refused at filter.createdAfter', async () => {
    const res = await h.secret('/v1/segments', {
      method: 'POST',
      body: JSON.stringify({ name: 'x', filter: { createdAfter: '0000-01-01' } }),
    });
    await expectProblemAt(res, 'filter.createdAfter');
  });

  it.each([
    [{ createdAfter: '0000-01-01' }, N, {}],
    [{ createdBefore: '9999-12-31T23:59:59-12:00' }, N, {}],
    [
      { createdAfter: '9999-12-31T23:59:59-12:00' },
      0,
      { createdAfter: '9999-12-31T23:59:59.999Z' },
    ],
    [
      { createdAfter: '0000-01-01', createdBefore: '0000-06-01' },
      0,
      { createdBefore: '0001-01-01T00:00:00.000Z' },
    ],
  ])(
    'a segment saved before the check (%j) lists and exports as it meant',
    async (filter, n, shown) => {
      // Stored as the old code did: straight into the table.
      const id = `seg_old_${Math.random().toString(36).slice(2, 10)}`;
      await h.store.query(
        `insert into segments (site_id, segment_id, name, filter, created_at) values ($1, $2, 'old', $3, now())`,
        [h.site.site.id, id, JSON.stringify(filter)],
      );
      const list = await getJson(h, `/v1/leads?segment=${id}`);
      expect(list.data).toHaveLength(n);
      const csv = await h.secret(`/v1/leads/export.csv?segment=${id}`);
      expect(csv.status).toBe(200);
      expect((await csv.text()).trim().split('\n')).toHaveLength(n + 1);
      expect((await getJson(h, `/v1/segments/${id}`)).filter).toEqual(shown);
    },
  );

  it('no cursor made of arbitrary strings or blobs gives a 5xx on any list', async () => {
    const year = fc.oneof(fc.integer({ min: 0, max: 10_001 }), fc.constantFrom(0, 1, 9999, 10_000));
    const two = (max: number) => fc.integer({ min: 0, max }).map((n) => String(n).padStart(2, '0'));
    const pgTime = fc
      .tuple(
        year,
        two(13),
        two(32),
        two(25),
        two(61),
        two(61),
        fc.constantFrom('', '.5', '.999999'),
      )
      .chain(([y, mo, d, hh, mi, ss, frac]) =>
        fc
          .tuple(fc.constantFrom('+', '-'), two(16), fc.constantFrom('', ':30', ':59:59'))
          .map(
            ([sign, oh, om]) =>
              `${String(y).padStart(4, '0')}-${mo}-${d} ${hh}:${mi}:${ss}${frac}${sign}${oh}${om}`,
          ),
      );
    const isoTime = fc
      .date({ noInvalidDate: false })
      .map((d) => (Number.isNaN(d.getTime()) ? 'Invalid Date' : d.toISOString()));
    const numeric = fc.oneof(
      fc.double().map(String),
      fc.constantFrom('1e309', '-1e309', '1e-400', 'NaN', 'Infinity', '0x10', '1_000'),
    );
    const key = fc.oneof(fc.string(), pgTime, isoTime, numeric, fc.constant(''));
    const id = fc.oneof(fc.string({ unit: 'binary' }), fc.constant('a\u0000b'), fc.constant('x'));
    const cursor = fc.oneof(
      fc.string({ maxLength: 600 }),
      fc.string({ unit: 'binary' }).map(b64),
      fc.uint8Array({ maxLength: 300 }).map((a) => Buffer.from(a).toString('base64url')),
      fc.record({ s: fc.constantFrom(...LEAD_SORTS, 'x'), k: key, i: id }).map(json64),
      fc.tuple(key, id).map(json64),
      fc.anything().map((v) => b64(JSON.stringify(v) ?? 'undefined')),
      fc.tuple(key, id).map(([k, i]) => b64(`${k}|${i}`)),
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...lists()), cursor, async (path, c) => {
        const sep = path.includes('?') ? '&' : '?';
        const res = await h.secret(`${path}${sep}cursor=${encodeURIComponent(c)}`);
        const body = await res.text();
        expect(res.status, `${path} ${c}: ${body}`).toBeLessThan(500);
        if (res.status >= 400)
          expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      }),
      { numRuns: 400 },
    );
  }, 120_000);
});

describe.each(storeCases)('an export whose store fails on $name', (sc) => {
  /**
   * A store that really closes (the database going away) just before the `nth` page of the
   * lead list is read; every other query passes through.
   */
  function closingBefore(store: Store, nth: number): Store {
    let pages = 0;
    return Object.assign(Object.create(store) as Store, {
      query: (sql: string, params?: unknown[]) => {
        if (sql.includes('as sort_key') && ++pages === nth) {
          return store.close().then(() => store.query(sql, params));
        }
        return store.query(sql, params);
      },
    });
  }

  const captured = (): Log & { errors: string[] } => {
    const errors: string[] = [];
    return { errors, info() {}, warn() {}, error: (msg) => errors.push(msg) };
  };

  it('answers a problem, not a 200, when the first page fails', async () => {
    const { store, close } = await sc.open();
    try {
      const h = await harness(closingBefore(store, 1));
      const res = await h.secret('/v1/leads/export.csv');
      expect(res.status).toBe(503);
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    } finally {
      await close();
    }
  });

  it('logs and errors the stream when a later page fails', async () => {
    const { store, close } = await sc.open();
    try {
      const h = await harness(closingBefore(store, 2));
      const log = captured();
      h.deps.log = log;
      await insertLeads(store, h.site.site.id, 'big', 600);
      const res = await h.secret('/v1/leads/export.csv');
      expect(res.status).toBe(200);
      await expect(res.text()).rejects.toThrow();
      expect(log.errors).toEqual(['lead export failed mid-stream']);
    } finally {
      await close();
    }
  });
});
