/** The ingest pipeline in order (DESIGN §1): sessions → identity → scoring → lifecycle. */
import type { EventProcessor } from './ingest/pipeline.ts';

/** The steps every stored event goes through, in the transaction that stores it. */
export function defaultProcessors(): EventProcessor[] {
  return [];
}
