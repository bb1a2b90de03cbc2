/** Marketer API (DESIGN §6): leads, visitors, reports, segments, export — secret key, one site. */
import { Hono } from 'hono';
import type { Deps, Env } from '../deps.ts';
import { openapiRoutes } from '../openapi/index.ts';
import { reportRoutes } from './reports.ts';
import { segmentRoutes } from './segments.ts';

export { segmentFilter } from './segments.ts';
export type { SegmentFilter } from './segments-schema.ts';

export function apiRoutes(deps: Deps) {
  const app = new Hono<Env>();
  app.route('/', reportRoutes(deps));
  app.route('/', segmentRoutes(deps));
  app.route('/', openapiRoutes(deps));
  return app;
}
