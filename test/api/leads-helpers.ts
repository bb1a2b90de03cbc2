/** Shared set-up for the lead API tests: identify through the real ingest path, read through the API. */
import { expect } from 'vitest';
import type { Store } from '../../collector/store/index.ts';
import { event, type harness } from '../helpers/app.ts';

export type Harness = Awaited<ReturnType<typeof harness>>;

/** Sends events through /v1/collect and expects them accepted. */
export async function send(h: Harness, ...events: ReturnType<typeof event>[]) {
  const res = await h.collect(events, { sentAt: Date.now() });
  expect(res.status).toBe(202);
}

/** Identifies `anon` with traits; returns the lead id it resolved to. */
export async function identify(
  h: Harness,
  store: Store,
  anonymousId: string,
  traits: Record<string, unknown>,
  timestamp = Date.now(),
): Promise<string> {
  await send(h, event({ type: 'identify', anonymousId, traits, timestamp }));
  const { rows } = await store.query<{ lead_id: string }>(
    `select lead_id from anonymous_links where anonymous_id = $1 order by valid_from desc limit 1`,
    [anonymousId],
  );
  return rows[0]!.lead_id;
}

/** GET with the site's secret key, expecting 200; returns the JSON. */
// biome-ignore lint/suspicious/noExplicitAny: tests read loosely typed JSON answers
export async function getJson<T = any>(h: Harness, path: string): Promise<T> {
  const res = await h.secret(path);
  expect(res.status, `${path}: ${await res.clone().text()}`).toBe(200);
  return (await res.json()) as T;
}

/** Adds a session row (what the sessions step records) with a channel. */
export async function addSession(
  store: Store,
  siteId: string,
  s: { id: string; anon: string; at: Date; channel: string; source?: string; landingUrl?: string },
) {
  await store.query(
    `insert into sessions (site_id, session_id, anonymous_id, started_at, last_seen_at, channel, source, landing_url)
     values ($1, $2, $3, $4, $4, $5, $6, $7)`,
    [siteId, s.id, s.anon, s.at.toISOString(), s.channel, s.source ?? null, s.landingUrl ?? null],
  );
}
