/** The one write path for events, whoever sends them: tag, server-side API, forms. */
import { isbot } from 'isbot';
import type { WireEvent } from '../../shared/wire.ts';
import type { Metrics } from '../http/metrics.ts';
import type { Site } from '../sites/index.ts';
import type { GroupCommitter, Queryable } from '../store/index.ts';
import { type EventWritten, insertEventsMany, type NewEvent } from './events.ts';
import { type EventProcessor, runProcessors, type StoredEvent } from './pipeline.ts';

/** Where a batch came from, as the HTTP layer saw it. */
export interface Origin {
  userAgent?: string;
  /** Client IP already truncated/hashed by the caller: raw IPs are never stored. */
  ipHash?: string;
  /** Collector clock when the request arrived. */
  receivedAt: Date;
  /** Client clock when the batch was sent (`sentAt`), for skew correction. */
  sentAt?: number;
  trusted: boolean;
}

/** Clock skews smaller than this are network delay, not a wrong clock: left uncorrected. */
const SKEW_TOLERANCE_MS = 2_000;

/**
 * Turns wire events into events to store: server time from the client's with the batch skew
 * removed (never in the future), the bot flag from the site's policy. Returns null for events
 * the policy drops.
 */
export function toNewEvents(site: Site, events: WireEvent[], origin: Origin): NewEvent[] {
  const received = origin.receivedAt.getTime();
  const rawSkew = origin.sentAt === undefined ? 0 : received - origin.sentAt;
  const skew = Math.abs(rawSkew) < SKEW_TOLERANCE_MS ? 0 : rawSkew;
  const uaBot = origin.userAgent ? isbot(origin.userAgent) : false;
  const out: NewEvent[] = [];
  for (const e of events) {
    const automated = uaBot || e.properties?.webdriver === true;
    const isBot = automated && site.botPolicy !== 'allow';
    if (isBot && site.botPolicy === 'drop') continue;
    out.push({
      eventId: e.id,
      anonymousId: e.anonymousId,
      sessionId: e.sessionId ?? null,
      type: e.type,
      name: e.name ?? null,
      // Never in the future, never before 1970: a wildly wrong clock still yields a storable time.
      ts: new Date(Math.max(0, Math.min(e.timestamp + skew, received))),
      clientTs: new Date(e.timestamp),
      receivedAt: origin.receivedAt,
      skewMs: skew,
      url: e.url ?? null,
      referrer: e.referrer ?? null,
      title: e.title ?? null,
      properties: e.properties ?? {},
      traits: e.traits ?? null,
      context: {
        ...(origin.userAgent ? { userAgent: origin.userAgent } : {}),
        ...(origin.ipHash ? { ipHash: origin.ipHash } : {}),
      },
      isBot,
      trusted: origin.trusted,
    });
  }
  return out;
}

/**
 * Stores events and runs the pipeline in one group-committed transaction; resolves only after
 * the commit. `dropped` events (bot policy `drop`) count as accepted so the tag stops resending.
 *
 * @example const { accepted, duplicates } = await ingest(deps, site, events, dropped);
 */
export async function ingest(
  deps: {
    committer: GroupCommitter;
    processors: readonly EventProcessor[];
    clock: () => Date;
    metrics?: Metrics;
  },
  site: Site,
  events: NewEvent[],
  dropped = 0,
  after?: (tx: Queryable, inserted: StoredEvent[]) => Promise<void>,
): Promise<{ accepted: number; duplicates: number; inserted: StoredEvent[] }> {
  // The insert is combined with the other requests of the group transaction (one statement);
  // the pipeline then runs per request on its own new events.
  const { inserted, duplicates } = await deps.committer.runCombined({
    combiner: insertEventsMany,
    input: { siteId: site.id, events },
    work: async (tx, res: EventWritten) => {
      if (res.inserted.length > 0) {
        await runProcessors(tx, deps.processors, {
          site,
          events: res.inserted,
          now: deps.clock(),
          changedLeads: new Set(),
        });
      }
      if (after) await after(tx, res.inserted);
      return res;
    },
  });
  const m = deps.metrics;
  m?.counter('touchpoint_events_accepted_total', 'Events stored (or dropped by bot policy)').inc(
    { trusted: events[0]?.trusted ?? false },
    inserted.length + dropped,
  );
  m?.counter('touchpoint_events_duplicate_total', 'Replayed events counted once').inc(
    { trusted: events[0]?.trusted ?? false },
    duplicates,
  );
  return { accepted: inserted.length + dropped, duplicates, inserted };
}
