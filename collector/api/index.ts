/** Marketer API (DESIGN §6): leads, visitors, reports, segments, export — secret key, one site. */
import { Hono } from 'hono';
import { leadFilterSchema } from '../../shared/lead-schemas.ts';
import type { Deps, Env } from '../deps.ts';
import { openapiRoutes } from '../openapi/index.ts';
import type { SegmentResolver } from './lead-query.ts';
import { leadRoutes } from './leads.ts';
import { reportRoutes } from './reports.ts';
import { segmentFilter, segmentRoutes } from './segments.ts';
import { visitorRoutes } from './visitors.ts';

export type { LeadFilter, SegmentResolver } from './lead-query.ts';
export { type Lead, readLead, scoreBreakdowns, toLeads } from './lead-view.ts';
export { segmentFilter } from './segments.ts';
export type { SegmentFilter } from './segments-schema.ts';

/** A saved segment's filter in the lead list's terms (the same fields, parsed by the list's schema). */
const resolveSegment: SegmentResolver = async (db, siteId, id) =>
  leadFilterSchema.omit({ segment: true }).parse(await segmentFilter(db, siteId, id));

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
