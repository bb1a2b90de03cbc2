/** The one write path for events, whoever sends them: tag, server-side API, forms. */
import { isbot } from 'isbot';
import type { FittedEvent } from '../../shared/schemas.ts';
import type { WireEvent } from '../../shared/wire.ts';
import type { Metrics } from '../http/metrics.ts';
import type { Site } from '../sites/index.ts';
import type { Combiner, GroupCommitter, Queryable } from '../store/index.ts';
import { ingestCounter } from './counters.ts';
import { type EventWritten, insertEventsMany, type NewEvent } from './events.ts';
import {
  type EventProcessor,
  type ProcessBatch,
  runProcessors,
  type StoredEvent,
} from './pipeline.ts';

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
 * removed (never in the future), the bot flag from the site's policy, the paths validation cut
 * (`context.truncated`) and those made storable (`context.repaired`: lone surrogates or NUL
 * replaced by U+FFFD, a leading U+FEFF removed).
 * Leaves out events the policy drops.
 */
export function toNewEvents(
  site: Site,
  events: FittedEvent<WireEvent>[],
  origin: Origin,
): NewEvent[] {
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
        ...(e.truncated ? { truncated: e.truncated } : {}),
        ...(e.repaired?.length ? { repaired: e.repaired } : {}),
      },
      isBot,
      trusted: origin.trusted,
    });
  }
  return out;
}

/** One request's events, with the pipeline (and clock) of the collector that received them. */
interface IngestInput {
  site: Site;
  events: NewEvent[];
  processors: readonly EventProcessor[];
  clock: () => Date;
}

/**
 * The first step of every ingest unit, combined across the group transaction: one insert for
 * all requests' events, then each pipeline step once per site over all of the group's new
 * events (request order kept), instead of once per request. A group of 50 one-event requests
 * thus runs a handful of statements rather than 50 times as many.
 *
 * Sites are processed in id order: identity takes its per-identifier locks site by site, so
 * every transaction acquires them in the same global order (no deadlock across replicas).
 */
const ingestMany: Combiner<IngestInput, EventWritten> = async (tx, inputs) => {
  const written = await insertEventsMany(
    tx,
    inputs.map((i) => ({ siteId: i.site.id, events: i.events })),
  );
  // Tests run several pipelines on one committer: each input is processed by its own.
  const byPipeline = new Map<readonly EventProcessor[], Map<string, ProcessBatch>>();
  for (const [k, input] of inputs.entries()) {
    const inserted = written[k]!.inserted;
    if (inserted.length === 0) continue;
    let sites = byPipeline.get(input.processors);
    if (!sites) {
      sites = new Map();
      byPipeline.set(input.processors, sites);
    }
    const batch = sites.get(input.site.id);
    if (batch) batch.events.push(...inserted);
    else {
      const now = input.clock();
      sites.set(input.site.id, {
        site: input.site,
        events: [...inserted],
        now,
        changedLeads: new Set(),
      });
    }
  }
  for (const [processors, sites] of byPipeline) {
    const ordered = [...sites.values()].sort((a, b) => (a.site.id < b.site.id ? -1 : 1));
    for (const batch of ordered) await runProcessors(tx, processors, batch);
  }
  return written;
};

/**
 * Stores events and runs the pipeline in one group-committed transaction; resolves only after
 * the commit. `dropped` events (bot policy `drop`) count as accepted so the tag stops resending.
 * `after` runs in the same transaction once the whole group went through the pipeline.
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
  // A failing unit fails the combined step: the committer then runs every unit on its own, in
  // its own savepoint, so only the failing request is rolled back.
  const { inserted, duplicates } = await deps.committer.runCombined({
    combiner: ingestMany,
    input: { site, events, processors: deps.processors, clock: deps.clock },
    work: async (tx, res: EventWritten) => {
      if (after) await after(tx, res.inserted);
      return res;
    },
  });
  const m = deps.metrics;
  if (m) {
    const trusted = events[0]?.trusted ?? false;
    ingestCounter(m, 'accepted').inc({ trusted }, inserted.length + dropped);
    ingestCounter(m, 'duplicate').inc({ trusted }, duplicates);
    // Here, not per route: the tag's events, form submissions and the Segment API all repair.
    const repaired = inserted.filter((e) => e.context.repaired).length;
    if (repaired) ingestCounter(m, 'repaired').inc({ trusted }, repaired);
  }
  return { accepted: inserted.length + dropped, duplicates, inserted };
}
