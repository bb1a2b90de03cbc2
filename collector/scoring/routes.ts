/** GET/PUT /v1/scoring and rescoring jobs. */
import { Hono } from 'hono';
import type { Deps, Env } from '../deps.ts';

export function scoringRoutes(_deps: Deps) {
  const app = new Hono<Env>();
  return app;
}
