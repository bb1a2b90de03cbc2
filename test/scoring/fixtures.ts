/** Test fixtures for scoring and lifecycle: leads and anonymous links written directly with SQL. */

import type { Deps } from '../../collector/deps.ts';
import { ingest, toNewEvents } from '../../collector/ingest/accept.ts';
import type { Site } from '../../collector/sites/index.ts';
import type { Queryable } from '../../collector/store/index.ts';
import type { WireEvent } from '../../shared/wire.ts';

let n = 0;

/**
 * A lead linked to `anonymousIds` from -infinity (the identity engineer's first-link shape).
 *
 * @example const leadId = await makeLead(store, site.id, { anon: ['a1'], email: 'lan@acme.vn' });
 */
export async function makeLead(
  db: Queryable,
  siteId: string,
  opts: { anon?: string[]; email?: string; traits?: Record<string, unknown>; stage?: string } = {},
): Promise<string> {
  const leadId = `lead_t${++n}_${Math.random().toString(36).slice(2, 8)}`;
  await db.query(
    `insert into leads (site_id, lead_id, email, traits, stage) values ($1, $2, $3, $4, $5)`,
    [siteId, leadId, opts.email ?? null, JSON.stringify(opts.traits ?? {}), opts.stage ?? 'lead'],
  );
  for (const a of opts.anon ?? []) await link(db, siteId, a, leadId, '-infinity');
  return leadId;
}

/** Links `anonymousId` to `leadId` from `validFrom` on. */
export async function link(
  db: Queryable,
  siteId: string,
  anonymousId: string,
  leadId: string,
  validFrom: string,
): Promise<void> {
  await db.query(
    `insert into anonymous_links (site_id, anonymous_id, valid_from, lead_id) values ($1, $2, $3, $4)`,
    [siteId, anonymousId, validFrom, leadId],
  );
}

/** Ingests wire events through the real pipeline, as the browser (untrusted) or a server. */
export function ingestAs(
  deps: Deps,
  site: Site,
  events: WireEvent[],
  opts: { trusted?: boolean; context?: Record<string, unknown> } = {},
) {
  const now = deps.clock();
  const stored = toNewEvents(site, events, { receivedAt: now, trusted: opts.trusted ?? false });
  if (opts.context) for (const e of stored) e.context = { ...e.context, ...opts.context };
  return ingest(deps, site, stored);
}

let m = 0;
/** A wire event at the clock's time unless given. */
export function ev(over: Partial<WireEvent> & { timestamp: number }): WireEvent {
  return {
    id: `e${++m}-${Math.random().toString(36).slice(2, 10)}`,
    type: 'pageview',
    anonymousId: 'anon',
    url: 'https://www.example.com/',
    ...over,
  };
}
