/** `GET /openapi.json` and the `/docs` reference page. */
import { Hono } from 'hono';
import type { Deps, Env } from '../deps.ts';

export function openapiRoutes(_deps: Deps) {
  const app = new Hono<Env>();
  return app;
}
