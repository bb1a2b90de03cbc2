/** Static files: /tp.js (long cache + ETag), the demo website at /demo/ and the dashboard at /dashboard/. */
import { Hono } from 'hono';
import type { Deps, Env } from '../deps.ts';

export function staticRoutes(_deps: Deps) {
  const app = new Hono<Env>();
  return app;
}
