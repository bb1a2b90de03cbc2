/** Marketer API (DESIGN §6): leads, visitors, reports, segments, export — secret key, one site. */
import { Hono } from 'hono';
import type { Deps, Env } from '../deps.ts';
import { openapiRoutes } from '../openapi/index.ts';
import type { SegmentResolver } from './lead-query.ts';
import { leadRoutes } from './leads.ts';
import { reportRoutes } from './reports.ts';
import { segmentFilter, segmentRoutes } from './segments.ts';
import { segmentFilterSchema } from './segments-schema.ts';
import { visitorRoutes } from './visitors.ts';

export type { LeadFilter, SegmentResolver } from './lead-query.ts';
export { type Lead, readLead, scoreBreakdowns, toLeads } from './lead-view.ts';
export { segmentFilter } from './segments.ts';
export type { SegmentFilter } from './segments-schema.ts';

/**
 * A saved segment's filter in the lead list's terms: its stages as a list (one stage or several,
 * as saved), its dates as instants. The stored filter is parsed with the segment schema, which
 * still takes what older segments saved (a single stage).
 */
const resolveSegment: SegmentResolver = async (db, siteId, id) => {
  const { stage, createdAfter, createdBefore, ...rest } = segmentFilterSchema.parse(
    await segmentFilter(db, siteId, id),
  );
  return {
    ...rest,
    stage: typeof stage === 'string' ? [stage] : stage,
    createdAfter: createdAfter ? new Date(createdAfter) : undefined,
    createdBefore: createdBefore ? new Date(createdBefore) : undefined,
  };
};

/** Mounts every marketer API route module; the lead list and export take `segment=ID`. */
export function apiRoutes(deps: Deps) {
  const app = new Hono<Env>();
  app.route('/', leadRoutes(deps, { resolveSegment }));
  app.route('/', visitorRoutes(deps));
  app.route('/', reportRoutes(deps));
  app.route('/', segmentRoutes(deps));
  app.route('/', openapiRoutes(deps));
  return app;
}
