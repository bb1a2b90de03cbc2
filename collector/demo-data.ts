/**
 * Believable demo data for the demo site: a few hundred visitors and leads over the past six
 * weeks, across channels and lifecycle stages, so `npm start` shows a living funnel at once.
 */
import type { Channel } from '../shared/funnel.ts';
import type { ScoreEvent, ScoringRules } from '../shared/scoring.ts';
import { DEFAULT_RULES } from '../shared/scoring-defaults.ts';
import { type DemoMove, mqlCrossing, withAutomaticMql } from './demo-lifecycle.ts';
import type { Deps } from './deps.ts';
import { currentRules, recomputeLeads, scoringTraits } from './scoring/index.ts';
import type { Queryable } from './store/index.ts';

const DAY = 86_400_000;
const HOUR = 3_600_000;
const VISITORS = 480;
const SPAN_DAYS = 42;

/** Deterministic randomness (mulberry32): the same demo every time, for screenshots and docs. */
function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  return {
    next,
    chance: (p: number) => next() < p,
    pick: <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]!,
    weighted: <T>(xs: readonly (readonly [T, number])[]): T => {
      let r = next() * xs.reduce((n, [, w]) => n + w, 0);
      for (const [x, w] of xs) {
        r -= w;
        if (r < 0) return x;
      }
      return xs[0]![0];
    },
    /** Exponential wait with the given mean, in ms. */
    wait: (meanDays: number) => -Math.log(1 - next()) * meanDays * DAY,
  };
}

const CHANNEL_MIX: [Channel, number][] = [
  ['organic_search', 30],
  ['direct', 17],
  ['paid_search', 14],
  ['organic_social', 10],
  ['paid_social', 8],
  ['email', 8],
  ['referral', 9],
  ['display', 2],
  ['affiliate', 2],
];

/** How a touch of each channel looks: source, medium, campaign, referrer. */
const TOUCH: Record<Channel, [string | null, string | null, string | null, string | null]> = {
  organic_search: ['google', 'organic', null, 'https://www.google.com/'],
  direct: [null, null, null, null],
  paid_search: ['google', 'cpc', 'brand-q4', 'https://www.google.com/'],
  organic_social: ['linkedin', 'social', null, 'https://www.linkedin.com/'],
  paid_social: ['facebook', 'paid_social', 'retargeting', 'https://m.facebook.com/'],
  email: ['newsletter', 'email', 'nov-digest', null],
  referral: ['partner-blog.example', 'referral', null, 'https://partner-blog.example/review'],
  display: ['gdn', 'display', 'awareness', 'https://ads.example-news.com/'],
  affiliate: ['affiliate-hub', 'affiliate', 'partner-20', 'https://affiliate-hub.example/'],
  other: [null, null, null, null],
};

const PAGES = ['/', '/features', '/pricing', '/blog/lead-scoring-101', '/customers', '/docs'];
const TITLES_BY_PAGE: Record<string, string> = {
  '/': 'Acme Analytics — know your leads',
  '/features': 'Features',
  '/pricing': 'Pricing',
  '/blog/lead-scoring-101': 'Lead scoring 101',
  '/customers': 'Customer stories',
  '/docs': 'Documentation',
};
const FIRST = ['An', 'Bình', 'Chi', 'Dũng', 'Hà', 'Hương', 'Khoa', 'Lan', 'Minh', 'Ngọc', 'Phúc'];
const FIRST_EN = ['Alice', 'Ben', 'Clara', 'David', 'Emma', 'Felix', 'Grace', 'Hugo', 'Iris'];
const LAST = ['Nguyễn', 'Trần', 'Lê', 'Phạm', 'Hoàng', 'Vũ', 'Đặng', 'Bùi'];
const LAST_EN = ['Smith', 'Jones', 'Martin', 'Keller', 'Novak', 'Silva', 'Berg'];
const COMPANIES = ['Sao Mai Retail', 'Hanoi Logistics', 'Acme Corp', 'BlueRiver Labs', 'Lotus Edu'];
const TITLES = [
  'Marketing Director',
  'Head of Growth',
  'Sales Manager',
  'CEO',
  'Analyst',
  'Student',
];
const LOST = ['budget', 'chose a competitor', 'timing', 'no response'];
const DISQUALIFIED = ['student', 'job seeker', 'competitor', 'spam'];

/**
 * Forward moves: next stage, probability, mean days in the stage before it. The step out of
 * `lead` is the person's interest growing (pricing visits); the MQL move itself comes from the
 * score, as in the live pipeline (see withAutomaticMql).
 */
const FLOW: Record<string, [string, number, number] | undefined> = {
  lead: ['mql', 0.55, 3],
  mql: ['sql', 0.45, 5],
  sql: ['opportunity', 0.65, 4],
  opportunity: ['customer', 0.6, 7],
  customer: ['repeat_customer', 0.4, 9],
};

type Row = Record<string, unknown>;

/**
 * The demo population as rows per table (pure: `now`, the rules and the seed decide
 * everything). Stage moves follow the lifecycle's rules: a lead is moved to `mql` when its score
 * under `rules` reaches the threshold, wherever the story has it then.
 */
export function demoPopulation(
  siteId: string,
  now: Date,
  { rules = DEFAULT_RULES, seed = 7 }: { rules?: ScoringRules; seed?: number } = {},
) {
  const r = prng(seed);
  const end = now.getTime();
  const rows = {
    visitors: [] as Row[],
    sessions: [] as Row[],
    events: [] as Row[],
    submissions: [] as Row[],
  };
  const leads: Row[] = [];
  const links: Row[] = [];
  const history: Row[] = [];
  const identities: Row[] = [];
  const iso = (t: number) => new Date(t).toISOString();
  let ev = 0;
  const event = (anon: string, session: string, t: number, type: string, extra: Row = {}) => {
    // Nothing happens after now: later pages of a session started minutes ago are not there yet.
    if (t > end) return;
    rows.events.push({
      event_id: `demo-${++ev}`,
      anonymous_id: anon,
      session_id: session,
      type,
      ts: iso(t),
      ...extra,
    });
  };
  /** A form submission: its `form_submit` event and the submission row the form editor lists. */
  const submit = (anon: string, session: string, t: number, form: string, values: Row) => {
    if (t > end) return;
    event(anon, session, t, 'form_submit', { name: form, properties: { email: values.email } });
    rows.submissions.push({
      submission_id: `demo-sub-${ev}`,
      form_id: form,
      anonymous_id: anon,
      session_id: session,
      field_values: values,
      url: `https://demo.touchpoint.dev${form === 'demo' ? '/pricing' : '/blog/lead-scoring-101'}`,
      // A person's fill time: 6 to 25 s.
      elapsed_ms: 6_000 + (ev % 20) * 1_000,
      created_at: iso(t),
    });
  };

  for (let i = 0; i < VISITORS; i++) {
    const anon = `demo-anon-${i.toString().padStart(4, '0')}`;
    // Every event from here on is this visitor's (and, if it becomes one, its lead's).
    const firstEvent = rows.events.length;
    // More recent weeks get more traffic: a growing site.
    const first = end - SPAN_DAYS * DAY * r.next() ** 0.8 - 3_600_000;
    const channel = r.weighted(CHANNEL_MIX);
    const bot = r.chance(0.02);
    let t = first;
    let last = first;
    const nSessions = 1 + Math.floor(r.next() ** 2 * 4);
    const touches: Row[] = [];
    for (let s = 0; s < nSessions && t < end; s++) {
      const ch = s === 0 ? channel : r.chance(0.5) ? channel : r.pick(['direct', 'email'] as const);
      const [source, medium, campaign, referrer] = TOUCH[ch];
      const landing = `https://demo.touchpoint.dev${r.pick(PAGES)}${campaign ? `?utm_campaign=${campaign}` : ''}`;
      const sessionId = `${anon}-s${s}`;
      const pages = 1 + Math.floor(r.next() * 5);
      rows.sessions.push({
        session_id: sessionId,
        anonymous_id: anon,
        started_at: iso(t),
        last_seen_at: iso(Math.min(end, t + pages * 60_000)),
        events: pages,
        pageviews: pages,
        channel: ch,
        source,
        medium,
        campaign,
        referrer,
        landing_url: landing,
      });
      touches.push({
        channel: ch,
        source,
        medium,
        campaign,
        referrer,
        landingUrl: landing,
        at: iso(t),
      });
      for (let p = 0; p < pages; p++) {
        const path = p === 0 ? new URL(landing).pathname : r.pick(PAGES);
        const url = p === 0 ? landing : `https://demo.touchpoint.dev${path}`;
        event(anon, sessionId, t + p * 60_000, 'pageview', {
          url,
          title: TITLES_BY_PAGE[path],
          is_bot: bot,
        });
      }
      last = Math.min(end, t + pages * 60_000);
      t += r.wait(4) + 3_600_000;
    }
    rows.visitors.push({
      anonymous_id: anon,
      first_seen_at: iso(first),
      last_seen_at: iso(last),
      first_touch: touches[0],
      // As the sessions step keeps it: the latest non-direct session, else the latest.
      last_touch: touches.findLast((x) => x.channel !== 'direct') ?? touches.at(-1),
      is_bot: bot,
    });
    if (bot || !r.chance(0.42)) {
      // Most people who see a form do not fill it in.
      if (!bot && r.chance(0.35)) {
        const f = r.pick(['newsletter', 'ebook', 'demo'] as const);
        event(anon, `${anon}-s0`, first + 40_000, 'form_view', { name: f });
        if (r.chance(0.4)) event(anon, `${anon}-s0`, first + 50_000, 'form_dismiss', { name: f });
      }
      continue;
    }

    // Identified: a form submission in one of its sessions makes it a lead.
    const leadId = `lead_demo${i.toString().padStart(4, '0')}`;
    const vn = r.chance(0.65);
    const name = vn ? `${r.pick(LAST)} ${r.pick(FIRST)}` : `${r.pick(FIRST_EN)} ${r.pick(LAST_EN)}`;
    const email = `${name
      .normalize('NFD')
      .replace(/[^\p{L} ]/gu, '')
      .replace(/đ/gi, 'd')
      .toLowerCase()
      .split(' ')
      .reverse()
      .join('.')}${i}@${r.pick(['gmail.com', 'saomai.vn', 'acme.com', 'blueriver.io'])}`;
    const created = Math.min(first + r.wait(2), end - 60_000);
    const form = r.weighted([
      ['newsletter', 4],
      ['ebook', 3],
      ['demo', 2],
    ] as const);
    const session = `${anon}-s0`;
    event(anon, session, created - 30_000, 'form_view', { name: form });
    submit(anon, session, created, form, { email, name });
    event(anon, session, created + 1000, 'identify', { traits: { email, name } });
    for (let k = 0; k < 2; k++)
      if (r.chance(0.35))
        event(anon, session, created + k * 7 * DAY, 'form_view', {
          name: r.pick(['demo', 'ebook']),
        });
    if (r.chance(0.2)) event(anon, session, created - 20_000, 'form_dismiss', { name: 'demo' });
    links.push({ anonymous_id: anon, lead_id: leadId, linked_at: iso(created) });
    if (r.chance(0.15) && created + DAY + 400_000 < end) {
      // The same person later on their phone, signed in from the newsletter: a second device.
      const phone = `${anon}-m`;
      const at2 = created + DAY + r.next() * Math.min(10 * DAY, end - created - DAY - 200_000);
      const landing = 'https://demo.touchpoint.dev/pricing?utm_campaign=nov-digest';
      const touch = {
        channel: 'email',
        source: 'newsletter',
        medium: 'email',
        campaign: 'nov-digest',
        referrer: null,
        landingUrl: landing,
        at: iso(at2),
      };
      rows.visitors.push({
        anonymous_id: phone,
        first_seen_at: iso(at2),
        last_seen_at: iso(at2 + 120_000),
        first_touch: touch,
        last_touch: touch,
        is_bot: false,
      });
      rows.sessions.push({
        session_id: `${phone}-s0`,
        anonymous_id: phone,
        started_at: iso(at2),
        last_seen_at: iso(at2 + 120_000),
        events: 3,
        pageviews: 2,
        channel: 'email',
        source: 'newsletter',
        medium: 'email',
        campaign: 'nov-digest',
        referrer: null,
        landing_url: landing,
      });
      event(phone, `${phone}-s0`, at2, 'pageview', { url: landing, title: 'Pricing' });
      event(phone, `${phone}-s0`, at2 + 60_000, 'pageview', {
        url: 'https://demo.touchpoint.dev/customers',
        title: 'Customers',
      });
      event(phone, `${phone}-s0`, at2 + 120_000, 'identify', { traits: { email } });
      links.push({ anonymous_id: phone, lead_id: leadId, linked_at: iso(at2 + 120_000) });
    }
    identities.push({ kind: 'email', value: email, lead_id: leadId, created_at: iso(created) });

    let stage = 'lead';
    let at = created;
    const moves: DemoMove[] = [];
    const move = (to: string, when: number, reason: string | null, actor: string) => {
      // The story's `mql` step only adds what qualifies a person; the move is the score's.
      if (to !== 'mql') moves.push({ to, at: when, reason, actor });
      stage = to;
      at = when;
      // What the person did that led to the move: these events are what the score explains.
      const page = (path: string, t: number, title: string) =>
        event(anon, session, t, 'pageview', { url: `https://demo.touchpoint.dev${path}`, title });
      if (to === 'mql') {
        page('/pricing', when - 2 * HOUR, 'Pricing');
        page('/customers', when - 2 * HOUR + 60_000, 'Customer stories');
        page('/pricing', when - 5 * 60_000, 'Pricing');
      } else if (to === 'sql') {
        event(anon, session, when - 60_000, 'form_view', { name: 'demo' });
        submit(anon, session, when, 'demo', { email, name });
      } else if (to === 'customer' || to === 'repeat_customer') {
        const value = 490 + Math.round(r.next() * 20) * 50;
        event(anon, session, when, 'track', {
          name: 'purchase',
          properties: { value, currency: 'USD' },
          trusted: true,
        });
      } else if (to === 'disqualified' && reason === 'job seeker') {
        page('/careers', when - HOUR, 'Careers');
      }
    };
    for (;;) {
      const flow = FLOW[stage];
      if (!flow) break;
      const [next, p, mean] = flow;
      const when = at + r.wait(mean) + 3_600_000;
      if (when >= end) break;
      if (stage === 'lead' && r.chance(0.08)) {
        move('disqualified', when, r.pick(DISQUALIFIED), 'sales');
        break;
      }
      if (!r.chance(p)) {
        if (stage !== 'lead' && stage !== 'customer' && r.chance(0.45))
          move('lost', when, r.pick(LOST), 'sales');
        break;
      }
      const auto = next === 'customer' || next === 'repeat_customer';
      move(next, when, null, auto ? 'system' : 'sales');
    }
    const company = r.pick(COMPANIES);
    const title = r.pick(TITLES);
    const companySize = r.pick([8, 25, 60, 120, 400, 1500]);
    const phone = r.chance(0.3) ? `+84 9${Math.floor(r.next() * 1e8)}` : undefined;
    // What the person's form asked: the newsletter an email and a name, the e-book the company
    // too, the demo request who they are. Fit points follow: not every lead starts as an MQL.
    const traits = {
      email,
      name,
      ...(form !== 'newsletter' ? { company } : {}),
      ...(form === 'demo' ? { title, companySize, ...(phone ? { phone } : {}) } : {}),
      locale: vn ? 'vi' : 'en',
    };
    // What scoring reads of this lead: every event of its browsers (linked from the start).
    const scored = rows.events.slice(firstEvent).map(
      (e): ScoreEvent => ({
        type: e.type as string,
        name: (e.name as string | undefined) ?? null,
        url: (e.url as string | undefined) ?? null,
        properties: (e.properties as Record<string, unknown> | undefined) ?? {},
        ts: Date.parse(e.ts as string),
      }),
    );
    const crossing = mqlCrossing(
      scored,
      scoringTraits({ email, name, traits }),
      rules,
      created,
      end,
    );
    const entry = { from: null, to: 'lead', at: created, reason: `form ${form}`, actor: 'system' };
    for (const m of [entry, ...withAutomaticMql(moves, crossing, rules.mqlThreshold)]) {
      history.push({
        lead_id: leadId,
        from_stage: m.from,
        to_stage: m.to,
        at: iso(m.at),
        reason: m.reason,
        actor: m.actor,
      });
      stage = m.to;
      at = m.at;
    }
    leads.push({
      lead_id: leadId,
      email,
      name,
      traits,
      stage,
      stage_changed_at: iso(at),
      created_at: iso(created),
      updated_at: iso(at),
      first_seen_at: iso(first),
      last_seen_at: iso(Math.max(last, at)),
    });
  }
  return { siteId, ...rows, leads, links, history, identities };
}

/** One statement per table: rows travel as one JSON parameter and expand on the server. */
const INSERTS: [keyof ReturnType<typeof demoPopulation>, string][] = [
  [
    'visitors',
    `insert into visitors (site_id, anonymous_id, first_seen_at, last_seen_at, first_touch, last_touch, is_bot)
     select $1, x.anonymous_id, x.first_seen_at, x.last_seen_at, x.first_touch, x.last_touch, x.is_bot
       from jsonb_to_recordset($2::jsonb) as x(anonymous_id text, first_seen_at timestamptz,
            last_seen_at timestamptz, first_touch jsonb, last_touch jsonb, is_bot boolean)`,
  ],
  [
    'sessions',
    `insert into sessions (site_id, session_id, anonymous_id, started_at, last_seen_at, events, pageviews,
                           channel, source, medium, campaign, referrer, landing_url)
     select $1, x.session_id, x.anonymous_id, x.started_at, x.last_seen_at, x.events, x.pageviews,
            x.channel, x.source, x.medium, x.campaign, x.referrer, x.landing_url
       from jsonb_to_recordset($2::jsonb) as x(session_id text, anonymous_id text, started_at timestamptz,
            last_seen_at timestamptz, events int, pageviews int, channel text, source text, medium text,
            campaign text, referrer text, landing_url text)`,
  ],
  [
    'events',
    `insert into events (site_id, event_id, anonymous_id, session_id, type, name, ts, client_ts,
                         received_at, url, title, properties, traits, is_bot, trusted)
     select $1, x.event_id, x.anonymous_id, x.session_id, x.type, x.name, x.ts, x.ts, x.ts, x.url,
            x.title, coalesce(x.properties, '{}'), x.traits, coalesce(x.is_bot, false),
            coalesce(x.trusted, false)
       from jsonb_to_recordset($2::jsonb) as x(event_id text, anonymous_id text, session_id text,
            type text, name text, ts timestamptz, url text, title text, properties jsonb, traits jsonb,
            is_bot boolean, trusted boolean)`,
  ],
  [
    'submissions',
    `insert into form_submissions (site_id, submission_id, form_id, anonymous_id, session_id, status,
                                  field_values, url, elapsed_ms, created_at)
     select $1, x.submission_id, x.form_id, x.anonymous_id, x.session_id, 'accepted',
            x.field_values, x.url, x.elapsed_ms, x.created_at
       from jsonb_to_recordset($2::jsonb) as x(submission_id text, form_id text, anonymous_id text,
            session_id text, field_values jsonb, url text, elapsed_ms bigint, created_at timestamptz)`,
  ],
  [
    'leads',
    `insert into leads (site_id, lead_id, email, name, traits, stage, stage_changed_at,
                        created_at, updated_at, first_seen_at, last_seen_at)
     select $1, x.lead_id, x.email, x.name, x.traits, x.stage, x.stage_changed_at,
            x.created_at, x.updated_at, x.first_seen_at, x.last_seen_at
       from jsonb_to_recordset($2::jsonb) as x(lead_id text, email text, name text, traits jsonb,
            stage text, stage_changed_at timestamptz, created_at timestamptz, updated_at timestamptz,
            first_seen_at timestamptz, last_seen_at timestamptz)`,
  ],
  [
    'identities',
    `insert into identities (site_id, kind, value, lead_id, created_at)
     select $1, x.kind, x.value, x.lead_id, x.created_at
       from jsonb_to_recordset($2::jsonb) as x(kind text, value text, lead_id text, created_at timestamptz)`,
  ],
  [
    'links',
    `insert into anonymous_links (site_id, anonymous_id, valid_from, lead_id, linked_at)
     select $1, x.anonymous_id, '-infinity', x.lead_id, x.linked_at
       from jsonb_to_recordset($2::jsonb) as x(anonymous_id text, lead_id text, linked_at timestamptz)`,
  ],
  [
    'history',
    `insert into stage_history (site_id, lead_id, from_stage, to_stage, at, reason, actor)
     select $1, x.lead_id, x.from_stage, x.to_stage, x.at, x.reason, x.actor
       from rows from (jsonb_to_recordset($2::jsonb) as (lead_id text, from_stage text,
            to_stage text, at timestamptz, reason text, actor text))
            with ordinality as x(lead_id, from_stage, to_stage, at, reason, actor, n)
      order by x.at, x.n`,
  ],
];

/**
 * Fills an empty demo site with the {@link demoPopulation}; does nothing when the site already
 * has events or leads. Writes tables directly in one transaction rather than through `ingest()`:
 * the story spans six weeks of history, with sales moves (opportunity, lost) at past times,
 * which the live pipeline would stamp with the collector's clock. The automatic moves are the
 * lifecycle's all the same: MQL where the score under the site's rules reaches the threshold.
 *
 * @example if (config.demo) await seedDemoData(deps, DEMO_SITE_ID);
 */
export async function seedDemoData(
  deps: Pick<Deps, 'store' | 'clock'>,
  siteId: string,
): Promise<{ seeded: boolean; visitors: number; leads: number }> {
  const { rows } = await deps.store.query<{ used: boolean }>(
    `select exists (select 1 from events where site_id = $1)
         or exists (select 1 from leads where site_id = $1) as used`,
    [siteId],
  );
  if (rows[0]?.used) return { seeded: false, visitors: 0, leads: 0 };
  // One instant for the story and the scores, so "reached the threshold by now" agrees.
  const now = deps.clock();
  const pop = await deps.store.transaction(async (tx: Queryable) => {
    const { rules } = await currentRules(tx, siteId);
    const pop = demoPopulation(siteId, now, { rules });
    for (const [table, sql] of INSERTS) {
      const data = pop[table] as Row[];
      if (data.length > 0) await tx.query(sql, [siteId, JSON.stringify(data)]);
    }
    // Scores come from the real scoring: each lead's events and traits under the site's rules,
    // with the breakdown the lead page explains.
    await recomputeLeads(
      tx,
      siteId,
      pop.leads.map((l) => l.lead_id as string),
      now,
    );
    return pop;
  });
  return { seeded: true, visitors: pop.visitors.length, leads: pop.leads.length };
}
