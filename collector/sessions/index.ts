/** Sessions and touches: channel of each session, first and last touch of each visitor. */
import type { EventProcessor } from '../ingest/pipeline.ts';
import { sessionRows, upsertSessions } from './touch.ts';

export { sessionRows } from './touch.ts';

/**
 * Pipeline step (first): upserts the sessions of the batch with their touch and channel and
 * recomputes the first and last touch of their visitors. One statement per batch.
 */
export const sessionsProcessor: EventProcessor = {
  name: 'sessions',
  async process(tx, batch) {
    const rows = sessionRows(batch.events);
    if (rows.length === 0) return;
    await upsertSessions(tx, batch.site.id, rows);
  },
};
