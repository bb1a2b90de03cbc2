/**
 * GET/POST /v1/webhooks, PATCH/DELETE /v1/webhooks/{id}, GET /v1/webhooks/{id}/deliveries, and
 * by hand: POST /v1/webhooks/{id}/secret (rotate), /test, /deliveries/{deliveryId}/retry.
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
  rotateSecret,
  updateEndpoint,
  updateEndpointSchema,
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

  const noEndpoint = () => new HttpProblem(404, 'not-found', 'No webhook endpoint with this id');

  app.patch('/v1/webhooks/:id', async (c) => {
    const patch = await readJson(c, updateEndpointSchema);
    const ep = await updateEndpoint(deps.store, c.get('site').id, c.req.param('id'), patch);
    if (!ep) throw noEndpoint();
    return c.json(ep);
  });

  app.post('/v1/webhooks/:id/secret', async (c) => {
    const ep = await rotateSecret(deps.store, c.get('site').id, c.req.param('id'));
    if (!ep) throw noEndpoint();
    return c.json(ep);
  });

  app.delete('/v1/webhooks/:id', async (c) => {
    if (!(await deleteEndpoint(deps.store, c.get('site').id, c.req.param('id'))))
      throw noEndpoint();
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
    if (!page) throw noEndpoint();
    return c.json(page);
  });

  app.post('/v1/webhooks/:id/test', async (c) => {
    const delivery = await sendTestEvent(
      deps.store,
      c.get('site').id,
      c.req.param('id'),
      deps.clock(),
    );
    if (!delivery) throw noEndpoint();
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
