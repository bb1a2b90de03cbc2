/** Lifecycle (DESIGN §8): automatic forward stage moves after scoring. */
import type { EventProcessor } from '../ingest/pipeline.ts';

export {
  advanceStage,
  EXITS,
  isForward,
  moveStage,
  STAGES,
  type Stage,
  stageRank,
} from './stages.ts';

export const lifecycleProcessor: EventProcessor = {
  name: 'lifecycle',
  async process() {},
};
