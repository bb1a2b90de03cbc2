/** A small hand-computed population for the reports tests (figures worked out in reports.test.ts). */
import type { Queryable } from '../../collector/store/index.ts';

const d = (s: string) => new Date(`2026-${s}Z`).toISOString();

interface FixtureLead {
  id: string;
  stage: string;
  created: string;
  anon?: string;
  history: [from: string | null, to: string, at: string, reason?: string][];
}

export const LEADS: FixtureLead[] = [
  {
    id: 'L1',
    stage: 'customer',
    created: '01-02T00:00:00',
    anon: 'a1',
    history: [
      [null, 'lead', '01-02T00:00:00'],
      ['lead', 'mql', '01-04T00:00:00'],
      ['mql', 'sql', '01-05T00:00:00'],
      ['sql', 'opportunity', '01-10T00:00:00'],
      ['opportunity', 'customer', '01-20T00:00:00'],
    ],
  },
  {
    id: 'L2',
    stage: 'lost',
    created: '01-03T00:00:00',
    anon: 'a2',
    history: [
      [null, 'lead', '01-03T00:00:00'],
      ['lead', 'mql', '01-07T00:00:00'],
      ['mql', 'lost', '01-09T00:00:00', 'budget'],
    ],
  },
  {
    id: 'L3',
    stage: 'disqualified',
    created: '01-05T00:00:00',
    anon: 'a3',
    history: [
      [null, 'lead', '01-05T00:00:00'],
      ['lead', 'disqualified', '01-06T00:00:00', 'student'],
    ],
  },
  {
    id: 'L4',
    stage: 'mql',
    created: '01-10T00:00:00',
    anon: 'a4',
    history: [
      [null, 'lead', '01-10T00:00:00'],
      ['lead', 'mql', '01-16T00:00:00'],
    ],
  },
  {
    id: 'L5',
    stage: 'sql',
    created: '2025-12-20T00:00:00',
    anon: 'a5',
    history: [
      [null, 'lead', '2025-12-20T00:00:00'],
      ['lead', 'mql', '01-02T00:00:00'],
      ['mql', 'sql', '02-05T00:00:00'],
    ],
  },
  {
    id: 'L6',
    stage: 'lost',
    created: '01-15T00:00:00',
    history: [
      [null, 'lead', '01-15T00:00:00'],
      ['lead', 'lost', '01-25T00:00:00', ' budget '],
    ],
  },
  {
    id: 'L7',
    stage: 'lead',
    created: '01-20T00:00:00',
    anon: 'a7',
    history: [[null, 'lead', '01-20T00:00:00']],
  },
];

/** [anonymousId, firstSeen, linkedAt | null, isBot, sessions: [channel, startedAt][]] */
export const VISITORS: [string, string, string | null, boolean, [string, string][]][] = [
  ['a1', '2025-12-30T00:00:00', '01-02T00:00:00', false, [['paid_search', '2025-12-30T00:00:00']]],
  ['a2', '01-02T00:00:00', '01-03T00:00:00', false, [['organic_search', '01-02T00:00:00']]],
  ['a3', '01-04T00:00:00', '01-05T00:00:00', false, [['organic_search', '01-04T00:00:00']]],
  [
    'a4',
    '01-09T00:00:00',
    '01-10T00:00:00',
    false,
    [
      ['paid_search', '01-09T00:00:00'],
      ['email', '01-09T12:00:00'],
      // Back by typing the address before identifying: last touch stays the email click.
      ['direct', '01-09T18:00:00'],
      ['direct', '01-11T00:00:00'],
    ],
  ],
  ['a5', '2025-12-15T00:00:00', '2025-12-20T00:00:00', false, [['email', '2025-12-15T00:00:00']]],
  ['a7', '01-19T00:00:00', '01-20T00:00:00', false, [['email', '01-19T00:00:00']]],
  ['v8', '01-12T00:00:00', null, false, [['direct', '01-12T00:00:00']]],
  ['v9', '01-25T00:00:00', null, false, [['referral', '01-25T00:00:00']]],
  ['v10', '01-13T00:00:00', null, true, [['direct', '01-13T00:00:00']]],
];

/** [anonymousId, type, formId, at, isBot] */
export const FORM_EVENTS: [string, string, string, string, boolean][] = [
  ['a1', 'form_view', 'demo', '01-03T00:00:00', false],
  ['a1', 'form_view', 'demo', '01-04T00:00:00', false],
  ['a2', 'form_view', 'demo', '01-05T00:00:00', false],
  ['a2', 'form_submit', 'demo', '01-05T00:01:00', false],
  ['a1', 'form_dismiss', 'demo', '01-04T00:01:00', false],
  ['a3', 'form_view', 'newsletter', '01-06T00:00:00', false],
  ['a4', 'form_view', 'newsletter', '01-07T00:00:00', false],
  ['a3', 'form_submit', 'newsletter', '01-06T00:01:00', false],
  ['a4', 'form_submit', 'newsletter', '01-07T00:01:00', false],
  ['v10', 'form_view', 'demo', '01-13T00:00:00', true],
  ['a7', 'form_view', 'demo', '02-03T00:00:00', false],
];

const at = (s: string) => (s.startsWith('20') ? `${s}Z` : d(s));

/** Inserts the fixture for `siteId` with plain SQL (the pipeline is not what is under test). */
export async function seedFixture(db: Queryable, siteId: string): Promise<void> {
  for (const l of LEADS) {
    await db.query(
      `insert into leads (site_id, lead_id, email, name, stage, stage_changed_at, created_at)
       values ($1, $2, $3, $2, $4, $5, $6)`,
      [
        siteId,
        l.id,
        `${l.id.toLowerCase()}@example.com`,
        l.stage,
        at(l.history.at(-1)![2]),
        at(l.created),
      ],
    );
    for (const [from, to, when, reason] of l.history) {
      await db.query(
        `insert into stage_history (site_id, lead_id, from_stage, to_stage, at, reason, actor)
         values ($1, $2, $3, $4, $5, $6, 'test')`,
        [siteId, l.id, from, to, at(when), reason ?? null],
      );
    }
  }
  for (const [anon, first, linked, bot, sessions] of VISITORS) {
    const last = sessions.at(-1)![1];
    await db.query(
      `insert into visitors (site_id, anonymous_id, first_seen_at, last_seen_at, is_bot)
       values ($1, $2, $3, $4, $5)`,
      [siteId, anon, at(first), at(last), bot],
    );
    for (const [i, [channel, started]] of sessions.entries()) {
      await db.query(
        `insert into sessions (site_id, session_id, anonymous_id, started_at, last_seen_at, channel)
         values ($1, $2, $3, $4, $4, $5)`,
        [siteId, `${anon}-s${i}`, anon, at(started), channel],
      );
    }
    const lead = LEADS.find((l) => l.anon === anon);
    if (linked && lead) {
      await db.query(
        `insert into anonymous_links (site_id, anonymous_id, valid_from, lead_id, linked_at)
         values ($1, $2, '-infinity', $3, $4)`,
        [siteId, anon, lead.id, at(linked)],
      );
    }
  }
  for (const [i, [anon, type, form, when, bot]] of FORM_EVENTS.entries()) {
    await db.query(
      `insert into events (site_id, event_id, anonymous_id, type, name, ts, client_ts, received_at, is_bot)
       values ($1, $2, $3, $4, $5, $6, $6, $6, $7)`,
      [siteId, `fe-${i}`, anon, type, form, at(when), bot],
    );
  }
}
