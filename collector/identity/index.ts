/** Identity stitching (DESIGN §7): identify events link anonymous ids to leads. */
import type { EventProcessor } from '../ingest/pipeline.ts';

export const identityProcessor: EventProcessor = {
  name: 'identity',
  async process() {},
};
