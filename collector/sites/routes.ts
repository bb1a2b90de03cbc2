/** Admin API: create, list and change sites, issue and revoke their keys (DESIGN §6). */
import { Hono } from 'hono';
import { z } from 'zod';
import { pageQuerySchema } from '../../shared/lead-schemas.ts';
import { createSiteSchema, patchSiteSchema } from '../../shared/schemas.ts';
import { eventCursor, readEventCursor } from '../api/timeline.ts';
import type { Deps, Env } from '../deps.ts';
import { requireAdmin } from '../http/auth.ts';
import { HttpProblem } from '../http/problem.ts';
import { readJson, readQuery } from '../http/validate.ts';
import type { SiteCache } from './cache.ts';
import { createSite, listSites, type SiteRecord, siteRecord, updateSite } from './index.ts';
import { issueKey, listKeys, revokeKey } from './rotation.ts';

/** `POST /v1/admin/sites/{id}/keys`: which kind of key to issue. */
export const issueKeySchema = z.object({ kind: z.enum(['public', 'secret']) });

/**
 * A site as the admin API answers it (created, listed, read, changed): never its keys (see
 * `…/keys`), of which only hashes are stored anyway.
 */
export const adminSiteSchema = z.object({
  id: z.string(),
  name: z.string(),
  allowedOrigins: z.array(z.string()),
  botPolicy: z.enum(['flag', 'drop', 'allow']),
  settings: z.looseObject({ retentionDays: z.int().optional() }).meta({
    description:
      'the settings set on the site (`retentionDays`); one left out takes its default. Keys set outside the API are shown as stored',
  }),
  createdAt: z.iso.datetime(),
});

/**
 * The answer to `POST /v1/admin/sites`, as the OpenAPI document shows it; the handler's answer
 * `satisfies` it, so a field added to one and not the other fails the type check.
 */
export const createdSiteSchema = z.object({
  site: adminSiteSchema,
  publicKey: z.string().meta({ description: 'the public key `pk_…` for the tag' }),
  publicKeyId: z.string().meta({
    description:
      'the public key’s id, to revoke it (`DELETE …/keys/{keyId}`); a secret key carries its id: `sk_<keyId>_…`',
  }),
  secretKey: z.string().meta({ description: 'the secret key `sk_…`, shown only here' }),
});

/** `GET /v1/admin/sites`: a page of sites, newest first. */
export const siteListSchema = z.object({
  data: z.array(adminSiteSchema),
  nextCursor: z.string().nullable(),
});

type AdminSite = z.infer<typeof adminSiteSchema>;

const noSite = () => new HttpProblem(404, 'unknown-site', 'No site has this id');

export function adminRoutes(deps: Deps, sites?: SiteCache) {
  const app = new Hono<Env>();
  app.use('/v1/admin/*', requireAdmin(deps.config.adminToken));
  app.post('/v1/admin/sites', async (c) => {
    const input = await readJson(c, createSiteSchema);
    const created = await deps.store.transaction((tx) => createSite(tx, input));
    const answer = {
      site: toAdminSite(created.site),
      publicKey: created.publicKey,
      // Key ids for rotation (DELETE …/keys/{keyId}); a secret key carries its id: sk_<keyId>_….
      publicKeyId: created.publicKeyId,
      secretKey: created.secretKey,
    } satisfies z.infer<typeof createdSiteSchema>;
    return c.json(answer, 201);
  });

  app.get('/v1/admin/sites', async (c) => {
    const q = readQuery(c, pageQuerySchema);
    const page = await listSites(
      deps.store,
      q.limit,
      q.cursor ? readEventCursor(q.cursor) : undefined,
    );
    const answer = {
      data: page.sites.map(toAdminSite),
      nextCursor: page.next ? eventCursor(...page.next) : null,
    } satisfies z.infer<typeof siteListSchema>;
    return c.json(answer);
  });

  app.get('/v1/admin/sites/:id', async (c) => {
    const site = await siteRecord(deps.store, c.req.param('id'));
    if (!site) throw noSite();
    return c.json(toAdminSite(site));
  });

  app.patch('/v1/admin/sites/:id', async (c) => {
    const patch = await readJson(c, patchSiteSchema);
    const site = await updateSite(deps.store, c.req.param('id'), patch);
    if (!site) throw noSite();
    // Like a revocation: this replica at once, the others within their site cache's TTL (5 s).
    sites?.clear();
    return c.json(toAdminSite(site));
  });

  // Rotation: issue a new key (shown once), move clients to it, then revoke the old one.
  app.post('/v1/admin/sites/:id/keys', async (c) => {
    const { kind } = await readJson(c, issueKeySchema);
    const issued = await issueKey(deps.store, c.req.param('id'), kind);
    if (!issued) throw noSite();
    return c.json(issued, 201);
  });

  app.get('/v1/admin/sites/:id/keys', async (c) => {
    const keys = await listKeys(deps.store, c.req.param('id'));
    if (keys.length === 0) throw noSite();
    return c.json({ data: keys });
  });

  app.delete('/v1/admin/sites/:id/keys/:keyId', async (c) => {
    const revoked = await revokeKey(deps.store, c.req.param('id'), c.req.param('keyId'));
    if (!revoked) throw new HttpProblem(404, 'unknown-key', 'This site has no key with this id');
    // This replica forgets at once; the others within their site cache's TTL (5 s).
    sites?.clear();
    return c.body(null, 204);
  });
  return app;
}

/**
 * The answer's form of a site. Settings are stored only through the validated schemas (or by
 * hand in SQL), so they are shown as stored.
 */
function toAdminSite(site: SiteRecord): AdminSite {
  return {
    id: site.id,
    name: site.name,
    allowedOrigins: site.allowedOrigins,
    botPolicy: site.botPolicy,
    settings: site.settings as AdminSite['settings'],
    createdAt: site.createdAt.toISOString(),
  };
}
