/** Marketer API (DESIGN §6): leads, visitors, reports, segments, export — secret key, one site. */
import { Hono } from 'hono';
import type { Deps, Env } from '../deps.ts';

export function apiRoutes(_deps: Deps) {
  const app = new Hono<Env>();
  return app;
}
