/**
 * Stored data for the growth and read benchmarks, generated with set-based SQL (generate_series,
 * insert … select) straight into PostgreSQL: a million events take seconds this way, hours
 * through HTTP.
 */
import pg from 'pg';

/** The lead whose browser carries the first `HEAVY_EVENTS` events (the 10k-event timeline). */
export const HEAVY_LEAD = 'ld_bench_0';
export const HEAVY_EVENTS = 10_000;

const CHANNELS = `array['direct','organic_search','paid_search','email','referral','organic_social']`;
const STAGES = `array['lead','lead','lead','lead','mql','mql','sql','opportunity','customer','lost']`;

/** Runs `fn` with a connection to `url`, closed afterwards. */
export async function withClient<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

/**
 * Events `from` … `to - 1` of site `siteId`: pageviews over the last 90 days, the first
 * `HEAVY_EVENTS` on the heavy lead's browser, the rest spread over `browsers` anonymous ids.
 *
 * @example await seedEvents(client, siteId, 0, 100_000, 100_000);
 */
export async function seedEvents(
  c: pg.Client,
  siteId: string,
  from: number,
  to: number,
  browsers: number,
): Promise<void> {
  // In slices, so one statement never holds a huge sort or WAL burst.
  const slice = 250_000;
  for (let lo = from; lo < to; lo += slice) {
    const hi = Math.min(to, lo + slice) - 1;
    await c.query(
      `insert into events (site_id, event_id, anonymous_id, session_id, type, ts, client_ts,
                           received_at, url, referrer, title, properties, context)
       select $1, 'seed-' || n, an, 'se_' || an, 'pageview', t, t, t,
              'https://bench.example.com/' || (array['pricing','docs','blog/post','careers','home'])[1 + n % 5],
              'https://www.google.com/', 'Bench page', '{"path":"/"}', '{}'
         from generate_series($2::int, $3::int) n,
              lateral (select case when n < ${HEAVY_EVENTS} then 'an_0'
                                   else 'an_' || (n % $4::int) end as an,
                              now() - (n % 7776000) * interval '1 second' as t) x`,
      [siteId, lo, hi, browsers],
    );
  }
  await c.query('analyze events');
}

/**
 * `n` identified leads, each with one email, one browser (`an_<i>`, linked for its whole past),
 * a visitor row, one session with a channel, and a stage history that ends in its stage.
 *
 * @example await seedLeads(client, siteId, 100_000);
 */
export async function seedLeads(c: pg.Client, siteId: string, n: number): Promise<void> {
  await c.query(
    `insert into leads (site_id, lead_id, email, name, traits, stage, stage_changed_at, score_total,
                        score_fit, score_engagement, created_at, updated_at, first_seen_at, last_seen_at)
     select $1, 'ld_bench_' || i, 'user' || i || '@bench' || (i % 50) || '.example',
            'User ' || i, jsonb_build_object('email', 'user' || i || '@bench' || (i % 50) || '.example',
                                             'title', (array['Director','Engineer','VP Sales','Head of Ops'])[1 + i % 4]),
            (${STAGES})[1 + i % 10], t, (i * 7919) % 100, (i * 31) % 50, (i * 7919) % 100 - (i * 31) % 50,
            t, t, t, t + interval '1 day'
       from generate_series(0, $2::int - 1) i,
            lateral (select now() - (i % 7776000) * interval '1 second' - interval '1 day' as t) x`,
    [siteId, n],
  );
  await c.query(
    `insert into identities (site_id, kind, value, lead_id)
     select site_id, 'email', email, lead_id from leads where site_id = $1 and lead_id like 'ld_bench_%'`,
    [siteId],
  );
  await c.query(
    `insert into anonymous_links (site_id, anonymous_id, valid_from, lead_id)
     select $1, 'an_' || i, '-infinity', 'ld_bench_' || i from generate_series(0, $2::int - 1) i`,
    [siteId, n],
  );
  await c.query(
    `insert into visitors (site_id, anonymous_id, first_seen_at, last_seen_at, first_touch, last_touch)
     select $1, 'an_' || i, t, t, jsonb_build_object('channel', ch), jsonb_build_object('channel', ch)
       from generate_series(0, $2::int - 1) i,
            lateral (select now() - interval '90 days' as t, (${CHANNELS})[1 + i % 6] as ch) x
     on conflict do nothing`,
    [siteId, n],
  );
  await c.query(
    `insert into sessions (site_id, session_id, anonymous_id, started_at, last_seen_at, events,
                           pageviews, channel, landing_url)
     select $1, 'se_an_' || i, 'an_' || i, t, t, 10, 10, (${CHANNELS})[1 + i % 6],
            'https://bench.example.com/'
       from generate_series(0, $2::int - 1) i,
            lateral (select now() - interval '90 days' as t) x
     on conflict do nothing`,
    [siteId, n],
  );
  await c.query(
    `insert into stage_history (site_id, lead_id, from_stage, to_stage, at, reason, actor)
     select site_id, lead_id, 'visitor', 'lead', created_at, null, 'system'
       from leads where site_id = $1 and lead_id like 'ld_bench_%'
     union all
     select site_id, lead_id, 'lead', stage, stage_changed_at + interval '1 hour',
            case when stage = 'lost' then 'no budget' end, 'system'
       from leads where site_id = $1 and lead_id like 'ld_bench_%' and stage <> 'lead'`,
    [siteId],
  );
  // What autovacuum does after a bulk load (inserts trigger it since PostgreSQL 13): statistics
  // and the visibility map, so covering indexes serve index-only scans as on a live store.
  await c.query('vacuum analyze');
}
