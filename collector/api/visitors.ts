/** Marketer API for anonymous prospects (DESIGN §6): visitors, their sessions, events and lead. */
import { Hono } from 'hono';
import { visitorListQuerySchema } from '../../shared/lead-schemas.ts';
import type { Deps, Env } from '../deps.ts';
import { requireSecretKey } from '../http/auth.ts';
import { HttpProblem } from '../http/problem.ts';
import { readQuery } from '../http/validate.ts';
import { browserAnonymousIdSql } from '../identity/index.ts';
import type { Queryable } from '../store/index.ts';
import { storedTouch, type Touch } from './lead-view.ts';
import { type EventRow, eventCursor, readEventCursor, toApiEvent } from './timeline.ts';

interface VisitorRow {
  anonymous_id: string;
  first_seen_at: Date;
  last_seen_at: Date;
  first_touch: Touch | null;
  last_touch: Touch | null;
  is_bot: boolean;
  lead_id: string | null;
  k: string;
}

/** The visitor row with the lead its current link points at (merges followed: one hop). */
const VISITOR_SQL = `select v.*, v.last_seen_at::text as k,
    (select coalesce(l.merged_into, l.lead_id) from anonymous_links al
       join leads l on l.site_id = al.site_id and l.lead_id = al.lead_id
      where al.site_id = v.site_id and al.anonymous_id = v.anonymous_id
      order by al.valid_from desc limit 1) as lead_id
  from visitors v`;

/**
 * Visitors are browsers: the ids the collector makes up for server-side events (`lead:…`,
 * `uid:…`) have visitor rows too, but no one visited; the reports do not count them either.
 */
const IS_BROWSER = browserAnonymousIdSql('v.anonymous_id');

const toVisitor = (v: VisitorRow) => ({
  anonymousId: v.anonymous_id,
  firstSeenAt: new Date(v.first_seen_at).toISOString(),
  lastSeenAt: new Date(v.last_seen_at).toISOString(),
  firstTouch: v.first_touch && storedTouch(v.first_touch),
  lastTouch: v.last_touch && storedTouch(v.last_touch),
  isBot: v.is_bot,
  leadId: v.lead_id,
});

const EVENTS_PER_VISITOR = 100;

async function sessionsOf(db: Queryable, siteId: string, anon: string) {
  const { rows } = await db.query<{
    session_id: string;
    started_at: Date;
    last_seen_at: Date;
    events: number;
    pageviews: number;
    channel: string;
    source: string | null;
    medium: string | null;
    campaign: string | null;
    referrer: string | null;
    landing_url: string | null;
  }>(
    `select * from sessions where site_id = $1 and anonymous_id = $2 order by started_at desc limit 100`,
    [siteId, anon],
  );
  return rows.map((s) => ({
    id: s.session_id,
    startedAt: new Date(s.started_at).toISOString(),
    lastSeenAt: new Date(s.last_seen_at).toISOString(),
    events: s.events,
    pageviews: s.pageviews,
    channel: s.channel,
    touch: {
      channel: s.channel,
      source: s.source,
      medium: s.medium,
      campaign: s.campaign,
      referrer: s.referrer,
      landingUrl: s.landing_url,
      at: new Date(s.started_at).toISOString(),
    },
  }));
}

/**
 * Visitor routes behind the secret key: `GET /v1/visitors` (browsers, most recently seen first,
 * cursor pages, `identified=true|false`) and `GET /v1/visitors/{anonymousId}` (sessions with
 * their touch and channel, the latest events, and `leadId` once identified; 404 for a
 * server-side id).
 *
 * @example app.route('/', visitorRoutes(deps));
 */
export function visitorRoutes(deps: Deps) {
  const app = new Hono<Env>();
  const db = deps.store;
  app.use('/v1/visitors', requireSecretKey(db));
  app.use('/v1/visitors/*', requireSecretKey(db));

  app.get('/v1/visitors', async (c) => {
    const q = readQuery(c, visitorListQuerySchema);
    const params: unknown[] = [c.get('site').id, q.limit + 1];
    const where = ['v.site_id = $1', IS_BROWSER];
    if (q.cursor) {
      const [k, id] = readEventCursor(q.cursor);
      params.push(k, id);
      where.push('(v.last_seen_at, v.anonymous_id) < ($3::timestamptz, $4)');
    }
    const linked = `exists (select 1 from anonymous_links al where al.site_id = v.site_id and al.anonymous_id = v.anonymous_id)`;
    if (q.identified === 'true') where.push(linked);
    if (q.identified === 'false') where.push(`not ${linked}`);
    const { rows } = await db.query<VisitorRow>(
      `${VISITOR_SQL} where ${where.join(' and ')}
        order by v.last_seen_at desc, v.anonymous_id desc limit $2`,
      params,
    );
    const page = rows.slice(0, q.limit);
    const last = page.at(-1);
    return c.json({
      data: page.map(toVisitor),
      nextCursor: rows.length > q.limit && last ? eventCursor(last.k, last.anonymous_id) : null,
    });
  });

  app.get('/v1/visitors/:anonymousId', async (c) => {
    const anon = c.req.param('anonymousId');
    const siteId = c.get('site').id;
    const { rows } = await db.query<VisitorRow>(
      `${VISITOR_SQL} where v.site_id = $1 and v.anonymous_id = $2 and ${IS_BROWSER}`,
      [siteId, anon],
    );
    if (!rows[0]) throw new HttpProblem(404, 'visitor-not-found', 'No such visitor on this site');
    const events = await db.query<EventRow>(
      `select * from events where site_id = $1 and anonymous_id = $2 order by ts desc, event_id desc limit $3`,
      [siteId, anon, EVENTS_PER_VISITOR],
    );
    const sessions = await sessionsOf(db, siteId, anon);
    const visitor = toVisitor(rows[0]);
    return c.json({
      ...visitor,
      // Sessions are newest first; they stand in when the visitor row keeps no touches.
      firstTouch: visitor.firstTouch ?? sessions.at(-1)?.touch ?? null,
      lastTouch: visitor.lastTouch ?? sessions[0]?.touch ?? null,
      sessions,
      events: events.rows.map(toApiEvent),
    });
  });

  return app;
}
