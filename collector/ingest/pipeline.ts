/** What happens to newly stored events, in the same transaction: sessions, identity, scoring, lifecycle. */
import type { Props } from '../../shared/wire.ts';
import type { Site } from '../sites/index.ts';
import type { Queryable } from '../store/index.ts';

/** An event as committed to the log, handed to each processor once (replays never reach them). */
export interface StoredEvent {
  siteId: string;
  eventId: string;
  anonymousId: string;
  sessionId: string | null;
  type: string;
  name: string | null;
  /** Event time on the collector's clock (client time corrected by the batch's skew). */
  ts: Date;
  /** Event time as the client's clock said. */
  clientTs: Date;
  /** Server receive time. */
  receivedAt: Date;
  /** Collector clock minus client clock at send time (ms), from the batch's `sentAt`. */
  skewMs: number;
  url: string | null;
  referrer: string | null;
  title: string | null;
  properties: Props;
  traits: Props | null;
  context: Props;
  isBot: boolean;
  /** Sent with a secret key (server-side API); only trusted events may record purchases. */
  trusted: boolean;
}

/**
 * Newly stored events of one site: every request of one group-commit transaction for that site,
 * in request order, so each step runs its statements once per transaction, not once per request.
 */
export interface ProcessBatch {
  site: Site;
  events: StoredEvent[];
  now: Date;
  /**
   * Leads whose inputs changed in this batch, filled by earlier steps for later ones: identity
   * adds leads it created, linked an anonymous id to (its past events now count) or changed
   * traits of; scoring adds leads whose score it updated; lifecycle moves those that qualify.
   */
  changedLeads: Set<string>;
  /**
   * The lead each event belongs to (by event id; events of anonymous visitors are absent), as
   * the links stand once identity has run. Set by identity (or by the first later step that
   * needs it, when a pipeline runs without identity); later steps read it instead of asking the
   * store again.
   */
  owners?: Map<string, string>;
}

/**
 * One step of the ingest pipeline. Runs inside the group transaction, after the events are
 * inserted and only for events that were new, so its writes commit or roll back with them.
 * Each step should cost a fixed number of statements per batch, whatever its size.
 */
export interface EventProcessor {
  name: string;
  process(tx: Queryable, batch: ProcessBatch): Promise<void>;
}

/** Runs the processors in order. */
export async function runProcessors(
  tx: Queryable,
  processors: readonly EventProcessor[],
  batch: ProcessBatch,
): Promise<void> {
  if (batch.events.length === 0) return;
  // Steps run in order and see what earlier ones recorded in `changedLeads`.
  for (const p of processors) await p.process(tx, batch);
}
