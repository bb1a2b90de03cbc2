/** Liveness, readiness and Prometheus metrics (DESIGN §6). */
import { Hono } from 'hono';
import type { Deps, Env } from '../deps.ts';

/** `/healthz` (the process answers), `/readyz` (the store answers), `/metrics`. */
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
  // Operational counters only (no personal data), readable by whoever can reach the port, like
  // /healthz; put it behind the network boundary that scrapes it.
  app.get('/metrics', async (c) =>
    c.body(await deps.metrics.scrape(), 200, {
      'Content-Type': 'text/plain; version=0.0.4; charset=utf-8',
      'Cache-Control': 'no-store',
    }),
  );
  return app;
}
