/** POST /v1/leads/{id}/stage and trusted POST /v1/leads/{id}/events. */
import { Hono } from 'hono';
import type { Deps, Env } from '../deps.ts';

export function lifecycleRoutes(_deps: Deps) {
  const app = new Hono<Env>();
  return app;
}
