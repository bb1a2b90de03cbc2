/**
 * GET/POST /v1/webhooks, DELETE /v1/webhooks/{id}, GET /v1/webhooks/{id}/deliveries, and by hand:
 * POST /v1/webhooks/{id}/test, POST /v1/webhooks/{id}/deliveries/{deliveryId}/retry.
 */
import { Hono } from 'hono';
import { z } from 'zod';
import type { Deps, Env } from '../deps.ts';
import { requireSecretKey } from '../http/auth.ts';
import { HttpProblem } from '../http/problem.ts';
import { readJson, readQuery } from '../http/validate.ts';
import {
  createEndpoint,
  createEndpointSchema,
  deleteEndpoint,
  listDeliveries,
  listEndpoints,
} from './endpoints.ts';
import { redeliver, sendTestEvent } from './manual.ts';

/** `GET /v1/webhooks/{id}/deliveries`: `limit` (1–100, default 50) and a `cursor` from the previous page. */
export const deliveriesQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(50),
  cursor: z.string().optional(),
});

export function webhookRoutes(deps: Deps) {
  const app = new Hono<Env>();
  app.use('/v1/webhooks', requireSecretKey(deps.store));
  app.use('/v1/webhooks/*', requireSecretKey(deps.store));

  app.get('/v1/webhooks', async (c) =>
    c.json({ data: await listEndpoints(deps.store, c.get('site').id) }),
  );

  app.post('/v1/webhooks', async (c) => {
    const input = await readJson(c, createEndpointSchema);
    return c.json(await createEndpoint(deps.store, c.get('site').id, input, deps.clock()), 201);
  });

  app.delete('/v1/webhooks/:id', async (c) => {
    if (!(await deleteEndpoint(deps.store, c.get('site').id, c.req.param('id'))))
      throw new HttpProblem(404, 'not-found', 'No webhook endpoint with this id');
    return c.body(null, 204);
  });

  app.get('/v1/webhooks/:id/deliveries', async (c) => {
    const { limit, cursor } = readQuery(c, deliveriesQuery);
    const page = await listDeliveries(
      deps.store,
      c.get('site').id,
      c.req.param('id'),
      limit,
      cursor,
    );
    if (!page) throw new HttpProblem(404, 'not-found', 'No webhook endpoint with this id');
    return c.json(page);
  });

  app.post('/v1/webhooks/:id/test', async (c) => {
    const delivery = await sendTestEvent(
      deps.store,
      c.get('site').id,
      c.req.param('id'),
      deps.clock(),
    );
    if (!delivery) throw new HttpProblem(404, 'not-found', 'No webhook endpoint with this id');
    return c.json(delivery, 202);
  });

  app.post('/v1/webhooks/:id/deliveries/:deliveryId/retry', async (c) => {
    const delivery = await redeliver(
      deps.store,
      c.get('site').id,
      c.req.param('id'),
      c.req.param('deliveryId'),
      deps.clock(),
    );
    if (!delivery) throw new HttpProblem(404, 'not-found', 'This endpoint has no such delivery');
    return c.json(delivery, 202);
  });

  return app;
}
