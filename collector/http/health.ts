/** Liveness, readiness and Prometheus metrics (DESIGN §6). */
import { Hono } from 'hono';
import type { Deps, Env } from '../deps.ts';
import { PING_TIMEOUT_MS } from '../store/index.ts';

/**
 * `/healthz` (the process answers), `/readyz` (the store answers within
 * `config.readyTimeoutMs`, else 503), `/metrics`.
 */
export function healthRoutes(deps: Deps) {
  const app = new Hono<Env>();
  app.get('/healthz', (c) => c.json({ status: 'ok' }));
  app.get('/readyz', async (c) => {
    const ms = deps.config.readyTimeoutMs ?? PING_TIMEOUT_MS;
    // Bounded: a database host that drops packets must not keep the check waiting for the
    // pool's 5 s connection timeout, past the load balancer's own (often 2 s or less).
    // The body keeps the shape probes already read (`status`, `store`), with the bound added.
    if (!(await deps.store.ping(ms)))
      return c.json(
        {
          status: 'store unreachable',
          store: deps.store.kind,
          detail: `The store refused the connection or did not answer within ${ms} ms`,
        },
        503,
      );
    return c.json({ status: 'ready', store: deps.store.kind });
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
