/** Set-based SQL of the sessions step: one statement upserts the batch's sessions and their visitors' touches. */
import { classify } from '../../shared/channel.ts';
import type { StoredEvent } from '../ingest/pipeline.ts';
import type { Queryable } from '../store/index.ts';

/** One session's share of a batch, as a row for `jsonb_to_recordset`. */
export interface SessionRow {
  session_id: string;
  anonymous_id: string;
  started_at: string;
  last_seen_at: string;
  events: number;
  pageviews: number;
  channel: string;
  source: string | null;
  medium: string | null;
  campaign: string | null;
  referrer: string | null;
  landing_url: string | null;
}

/**
 * Groups new events by session. The touch comes from the session's first pageview in the batch
 * (its landing page and the referrer that brought it), else from its first event.
 *
 * @example sessionRows(batch.events) // [{ session_id: 's1', channel: 'organic_search', … }]
 */
export function sessionRows(events: readonly StoredEvent[]): SessionRow[] {
  const by = new Map<string, { row: SessionRow; touchAt: number; fromPageview: boolean }>();
  for (const e of events) {
    if (!e.sessionId) continue;
    const t = e.ts.getTime();
    const pv = e.type === 'pageview';
    let s = by.get(e.sessionId);
    if (!s) {
      s = {
        row: {
          session_id: e.sessionId,
          anonymous_id: e.anonymousId,
          started_at: e.ts.toISOString(),
          last_seen_at: e.ts.toISOString(),
          events: 0,
          pageviews: 0,
          ...touchRow(e),
        },
        touchAt: t,
        fromPageview: pv,
      };
      by.set(e.sessionId, s);
    }
    const r = s.row;
    r.events++;
    if (pv) r.pageviews++;
    if (t < Date.parse(r.started_at)) r.started_at = e.ts.toISOString();
    if (t > Date.parse(r.last_seen_at)) r.last_seen_at = e.ts.toISOString();
    // A pageview beats any other event as the landing; among equals the earlier one wins.
    if ((pv && !s.fromPageview) || (pv === s.fromPageview && t < s.touchAt)) {
      Object.assign(r, touchRow(e));
      s.touchAt = t;
      s.fromPageview = pv;
    }
  }
  // In session id order: concurrent transactions upsert (and lock) the rows in the same order.
  return [...by.values()].map((s) => s.row).sort((a, b) => (a.session_id < b.session_id ? -1 : 1));
}

function touchRow(e: StoredEvent) {
  const t = classify(e.url, e.referrer);
  return {
    channel: t.channel,
    source: t.source,
    medium: t.medium,
    campaign: t.campaign,
    referrer: t.referrer,
    landing_url: t.landingUrl,
  };
}

const TOUCH_COLUMNS = ['channel', 'source', 'medium', 'campaign', 'referrer', 'landing_url'];
/** A session's columns the visitor touches are computed from. */
const SESSION_TOUCH = `session_id, anonymous_id, started_at, ${TOUCH_COLUMNS.join(', ')}`;
/** The incoming batch carries an earlier landing pageview than the stored session. */
const TAKE_TOUCH = `excluded.pageviews > 0 and (sessions.pageviews = 0 or excluded.started_at < sessions.started_at)`;

/**
 * Inserts or extends the sessions, and sets `first_touch` (earliest session) and `last_touch`
 * (latest non-direct session, else the latest) of their visitors, as `{ channel, source, medium,
 * campaign, referrer, landingUrl, at }` — one statement: the touches read the upserted sessions
 * (`returning`) next to the visitors' other sessions as stored.
 *
 * Counters add up (the pipeline sees each event once); the touch is replaced only by an earlier
 * landing pageview, so batches arriving out of order (a retried offline batch) still leave the
 * session with its real landing page. A visitor whose touches stay the same (most events: a page
 * of a session already stored) is not written: a new row version would update every visitors
 * index.
 */
export async function upsertSessions(tx: Queryable, siteId: string, rows: SessionRow[]) {
  await tx.query(
    `with up as (
       insert into sessions (site_id, session_id, anonymous_id, started_at, last_seen_at, events,
                             pageviews, channel, source, medium, campaign, referrer, landing_url)
       select $1, x.session_id, x.anonymous_id, x.started_at, x.last_seen_at, x.events, x.pageviews,
              x.channel, x.source, x.medium, x.campaign, x.referrer, x.landing_url
         from jsonb_to_recordset($2::jsonb) as x(session_id text, anonymous_id text,
              started_at timestamptz, last_seen_at timestamptz, events integer, pageviews integer,
              channel text, source text, medium text, campaign text, referrer text, landing_url text)
       on conflict (site_id, session_id) do update set
         started_at = least(sessions.started_at, excluded.started_at),
         last_seen_at = greatest(sessions.last_seen_at, excluded.last_seen_at),
         events = sessions.events + excluded.events,
         pageviews = sessions.pageviews + excluded.pageviews,
         ${TOUCH_COLUMNS.map((c) => `${c} = case when ${TAKE_TOUCH} then excluded.${c} else sessions.${c} end`).join(',\n')}
       returning ${SESSION_TOUCH}
     ),
     s as (
       select ${SESSION_TOUCH} from up
       union all
       select ${SESSION_TOUCH} from sessions
        where site_id = $1 and anonymous_id = any($3::text[]) and session_id <> all($4::text[])
     ),
     t as (
       select anonymous_id, started_at, channel = 'direct' as direct,
              jsonb_build_object('channel', channel, 'source', source, 'medium', medium,
                                 'campaign', campaign, 'referrer', referrer,
                                 'landingUrl', landing_url, 'at', started_at) as touch
         from s),
     f as (select distinct on (anonymous_id) anonymous_id, touch from t
            order by anonymous_id, started_at),
     l as (select distinct on (anonymous_id) anonymous_id, touch from t
            order by anonymous_id, direct, started_at desc)
     update visitors v set first_touch = f.touch, last_touch = l.touch
       from f join l using (anonymous_id)
      where v.site_id = $1 and v.anonymous_id = any($3::text[]) and v.anonymous_id = f.anonymous_id
        and (v.first_touch is distinct from f.touch or v.last_touch is distinct from l.touch)`,
    // The ids as parameters too: the planner cannot estimate `up`, and would scan the site.
    [
      siteId,
      JSON.stringify(rows),
      [...new Set(rows.map((r) => r.anonymous_id))],
      rows.map((r) => r.session_id),
    ],
  );
}
