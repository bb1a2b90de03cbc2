/** Marketer API (DESIGN §6): leads, visitors, reports, segments, export — secret key, one site. */
import { Hono } from 'hono';
import type { Deps, Env } from '../deps.ts';
import type { SegmentResolver } from './lead-query.ts';
import { leadRoutes } from './leads.ts';
import { visitorRoutes } from './visitors.ts';

export type { LeadFilter, SegmentResolver } from './lead-query.ts';
export { type Lead, readLead, scoreBreakdowns, toLeads } from './lead-view.ts';

/**
 * Mounts every marketer API route module. `resolveSegment` (from the segments feature) lets the
 * lead list and export take `segment=ID`.
 */
export function apiRoutes(deps: Deps, opts: { resolveSegment?: SegmentResolver } = {}) {
  const app = new Hono<Env>();
  app.route('/', leadRoutes(deps, { resolveSegment: opts.resolveSegment }));
  app.route('/', visitorRoutes(deps));
  return app;
}
