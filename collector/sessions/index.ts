/** Sessions and touches: channel of each session, first and last touch of each visitor. */
import type { EventProcessor } from '../ingest/pipeline.ts';

export const sessionsProcessor: EventProcessor = {
  name: 'sessions',
  async process() {},
};
