/** Server-side ingestion compatible with the Segment HTTP Tracking API (DESIGN §4): /v1/batch, /v1/identify, /v1/track, /v1/page. */
import { Hono } from 'hono';
import type { Deps, Env } from '../deps.ts';

export function segmentRoutes(_deps: Deps) {
  const app = new Hono<Env>();
  return app;
}
