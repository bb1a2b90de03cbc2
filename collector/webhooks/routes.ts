/** GET/POST /v1/webhooks, DELETE /v1/webhooks/{id}, GET /v1/webhooks/{id}/deliveries. */
import { Hono } from 'hono';
import type { Deps, Env } from '../deps.ts';

export function webhookRoutes(_deps: Deps) {
  const app = new Hono<Env>();
  return app;
}
