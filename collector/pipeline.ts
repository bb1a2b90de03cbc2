/** The ingest pipeline in order (DESIGN §1): sessions → identity → scoring → lifecycle. */

import { identityProcessor } from './identity/index.ts';
import type { EventProcessor } from './ingest/pipeline.ts';
import { lifecycleProcessor } from './lifecycle/index.ts';
import { scoringProcessor } from './scoring/index.ts';
import { sessionsProcessor } from './sessions/index.ts';

/** The steps every stored event goes through, in the transaction that stores it. */
export function defaultProcessors(): EventProcessor[] {
  return [sessionsProcessor, identityProcessor, scoringProcessor, lifecycleProcessor];
}
