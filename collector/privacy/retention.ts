/**
 * Retention of anonymous visitors who were never identified: their events, sessions, visitor
 * row and every other row keyed by their anonymous id are deleted once their last activity is
 * older than the site's `retentionDays` (default 395, about 13 months).
 */
import type { Log } from '../deps.ts';
import type { Queryable, Store } from '../store/index.ts';
import { ident, personTables } from './tables.ts';

export const DEFAULT_RETENTION_DAYS = 395;
const DAY_MS = 86_400_000;
/** Visitors purged per transaction: short transactions never hold ingest up for long. */
const CHUNK = 500;

/** The retention of a site from its settings (`retentionDays`, a whole number ≥ 1). */
export function retentionDays(settings: Record<string, unknown> | null | undefined): number {
  const v = settings?.retentionDays;
  return typeof v === 'number' && Number.isInteger(v) && v >= 1 ? v : DEFAULT_RETENTION_DAYS;
}

/**
 * Deletes expired never-identified visitors of every site, and IP salts of past days.
 * Anonymous ids linked to a lead are kept whatever their age (they are part of a person).
 *
 * @example const { visitors } = await purgeExpired(store, new Date());
 */
export async function purgeExpired(
  store: Store,
  now: Date,
): Promise<{ visitors: number; rows: number }> {
  const tables = (await personTables(store)).filter((t) => t.hasAnonymousId);
  const { rows: sites } = await store.query<{
    site_id: string;
    settings: Record<string, unknown>;
  }>('select site_id, settings from sites order by site_id');
  let visitors = 0;
  let rows = 0;
  for (const site of sites) {
    const cutoff = new Date(now.getTime() - retentionDays(site.settings) * DAY_MS);
    for (;;) {
      const res = await store.transaction((tx) => purgeChunk(tx, site.site_id, cutoff, tables));
      visitors += res.visitors;
      rows += res.rows;
      if (res.visitors < CHUNK) break;
    }
  }
  // Yesterday's salts go: IP hashes of past days can no longer be recomputed or joined.
  await store.query('delete from ip_salts where day < $1::date', [now.toISOString().slice(0, 10)]);
  return { visitors, rows };
}

async function purgeChunk(
  tx: Queryable,
  siteId: string,
  cutoff: Date,
  tables: { name: string }[],
): Promise<{ visitors: number; rows: number }> {
  // Locked, so an event arriving for one of them now waits and then finds no visitor row.
  const { rows: doomed } = await tx.query<{ anonymous_id: string }>(
    `select v.anonymous_id from visitors v
      where v.site_id = $1 and v.last_seen_at < $2
        and not exists (select 1 from anonymous_links l
                         where l.site_id = v.site_id and l.anonymous_id = v.anonymous_id)
      order by v.last_seen_at
      limit ${CHUNK}
      for update skip locked`,
    [siteId, cutoff.toISOString()],
  );
  if (doomed.length === 0) return { visitors: 0, rows: 0 };
  const ids = doomed.map((r) => r.anonymous_id);
  let rows = 0;
  for (const t of tables) {
    const res = await tx.query(
      `delete from ${ident(t.name)} where site_id = $1 and anonymous_id = any($2::text[])`,
      [siteId, ids],
    );
    rows += res.rowCount;
  }
  return { visitors: doomed.length, rows };
}

/**
 * Runs {@link purgeExpired} a minute after start and then every day. Any replica may run it:
 * chunks lock their rows with SKIP LOCKED, so two replicas never purge the same visitors.
 *
 * @example const stop = startRetentionJob(store, log); … stop();
 */
export function startRetentionJob(
  store: Store,
  log: Log,
  opts: { firstRunMs?: number; everyMs?: number; clock?: () => Date } = {},
): () => void {
  const clock = opts.clock ?? (() => new Date());
  const run = async () => {
    try {
      const res = await purgeExpired(store, clock());
      if (res.visitors > 0) log.info('retention purge', res);
    } catch (err) {
      log.warn('retention purge failed', { error: String(err) });
    }
  };
  let every: NodeJS.Timeout | undefined;
  const first = setTimeout(() => {
    void run();
    every = setInterval(() => void run(), opts.everyMs ?? DAY_MS);
    every.unref();
  }, opts.firstRunMs ?? 60_000);
  first.unref();
  return () => {
    clearTimeout(first);
    if (every) clearInterval(every);
  };
}
