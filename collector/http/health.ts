/** Liveness and readiness. */
import { Hono } from 'hono';
import type { Deps, Env } from '../deps.ts';

export function healthRoutes(deps: Deps) {
  const app = new Hono<Env>();
  app.get('/healthz', (c) => c.json({ status: 'ok' }));
  app.get('/readyz', async (c) => {
    const ok = await deps.store.ping();
    return c.json(
      { status: ok ? 'ready' : 'store unreachable', store: deps.store.kind },
      ok ? 200 : 503,
    );
  });
  return app;
}
