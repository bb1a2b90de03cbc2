/** Admin API: create sites (DESIGN §6). */
import { Hono } from 'hono';
import { createSiteSchema } from '../../shared/schemas.ts';
import type { Deps, Env } from '../deps.ts';
import { requireAdmin } from '../http/auth.ts';
import { readJson } from '../http/validate.ts';
import { createSite } from './index.ts';

export function adminRoutes(deps: Deps) {
  const app = new Hono<Env>();
  app.use('/v1/admin/*', requireAdmin(deps.config.adminToken));
  app.post('/v1/admin/sites', async (c) => {
    const input = await readJson(c, createSiteSchema);
    const created = await deps.store.transaction((tx) => createSite(tx, input));
    return c.json(
      {
        site: {
          id: created.site.id,
          name: created.site.name,
          allowedOrigins: created.site.allowedOrigins,
          botPolicy: created.site.botPolicy,
        },
        publicKey: created.publicKey,
        secretKey: created.secretKey,
      },
      201,
    );
  });
  return app;
}
