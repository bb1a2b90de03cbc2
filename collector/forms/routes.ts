/** Forms: marketer CRUD, public site config, public submissions (DESIGN §5). */
import { Hono } from 'hono';
import { z } from 'zod';
import type { FormDefinition } from '../../shared/forms.ts';
import {
  formCreateSchema,
  formDefinitionSchema,
  formIdFrom,
  siteConfigQuery,
  submissionBodySchema,
  submissionListQuery,
} from '../../shared/forms-schema.ts';
import type { Deps, Env } from '../deps.ts';
import { requireSecretKey } from '../http/auth.ts';
import { etagMatches } from '../http/etag.ts';
import { HttpProblem } from '../http/problem.ts';
import { DEFAULT_FORM_LIMITS } from '../http/rate-limit.ts';
import { parse, readJson, readQuery } from '../http/validate.ts';
import { publicPreflight, publicWriteGate } from '../ingest/public-write.ts';
import { SiteCache } from '../sites/cache.ts';
import { siteConfig } from './config.ts';
import { deleteForm, getForm, insertForm, listForms, putForm } from './definitions.ts';
import { overlayForms } from './popups.ts';
import { hasSubmissions, listSubmissions } from './submission-list.ts';
import { cleanValues, keyedByField, recordSubmission } from './submissions.ts';

// The detail never echoes the id: a 404 says nothing about what exists on another site.
const notFound = () => new HttpProblem(404, 'unknown-form', 'No such form on this site');

/**
 * The routes; `clientIp` reads the peer address, `sites` is the app's site cache (see
 * `createApp`): the one a key revocation clears, so a revoked public key stops here at once too.
 */
export function formRoutes(
  deps: Deps,
  clientIp: (c: unknown) => string | undefined = () => undefined,
  sites = new SiteCache(deps.store, () => deps.clock().getTime()),
) {
  const app = new Hono<Env>();
  // The same gate as /v1/collect (origin, salted IP hash), with stricter limits for forms.
  const admit = publicWriteGate(deps, sites, clientIp, DEFAULT_FORM_LIMITS);
  const auth = requireSecretKey(deps.store);

  // --- public: the tag reads the config (any origin may read it: it holds nothing secret) ---
  app.options('/v1/sites/:publicKey/config', (c) => {
    c.header('Access-Control-Allow-Origin', '*');
    c.header('Access-Control-Allow-Methods', 'GET, OPTIONS');
    c.header('Access-Control-Allow-Headers', 'If-None-Match');
    c.header('Access-Control-Max-Age', '86400');
    return c.body(null, 204);
  });

  app.get('/v1/sites/:publicKey/config', async (c) => {
    c.header('Access-Control-Allow-Origin', '*');
    c.header('Access-Control-Expose-Headers', 'ETag');
    const site = await sites.byPublicKey(c.req.param('publicKey'));
    if (!site) throw new HttpProblem(404, 'unknown-site', 'No site has this public key');
    // Each parameter at most once (a repeated one is a 400, as on every GET), and `anonymousId`
    // a browser's: a server-side `uid:` id would reveal which users the site knows.
    const { anonymousId: anon, url, device } = readQuery(c, siteConfigQuery);
    // The tag names its page (`url`, `device`): only forms that may show there come back.
    const page = url === undefined ? undefined : { url, device };
    const { body, etag } = await siteConfig(deps.store, site, anon, page);
    // Short: a changed form reaches pages within a minute; per-visitor answers stay private.
    c.header('Cache-Control', anon ? 'private, max-age=30' : 'public, max-age=60');
    c.header('ETag', etag);
    c.header('Vary', 'Origin');
    if (etagMatches(c.req.header('if-none-match'), etag)) return c.body(null, 304);
    return c.json(body);
  });

  // --- public: submissions from the tag's durable queue ---
  app.options('/v1/forms/:formId/submissions', publicPreflight);

  app.post('/v1/forms/:formId/submissions', async (c) => {
    const { body, site, receivedAt, userAgent, ipHash, repaired } = await admit(
      c,
      submissionBodySchema,
    ).catch((e: unknown) => {
      throw keyedByField(e);
    });
    const def = await getForm(deps.store, site.id, c.req.param('formId'));
    if (!def) throw notFound();
    const values = cleanValues(def, body.values);
    await recordSubmission(deps, {
      site,
      def,
      body,
      values,
      receivedAt,
      userAgent,
      ipHash,
      repaired,
    });
    // The same answer for every accepted, quarantined or replayed submission, known email or not.
    return c.json({ id: body.id, received: true }, 202);
  });

  // --- marketer API (secret key) ---
  app.get('/v1/forms', auth, async (c) =>
    c.json({ data: await listForms(deps.store, c.get('site').id) }),
  );

  app.post('/v1/forms', auth, async (c) => {
    const { id, ...rest } = await readJson(c, formCreateSchema);
    const siteId = c.get('site').id;
    let def: FormDefinition | undefined;
    if (id !== undefined) {
      def = { id, ...rest };
      if (!(await insertForm(deps.store, siteId, def, deps.clock())))
        throw new HttpProblem(
          409,
          'form-exists',
          `A form with id ${id} exists; PUT /v1/forms/${id} replaces it`,
        );
    } else {
      // No id given: one from the name, `-2`, `-3`… when taken (by a form or a concurrent POST).
      const base = formIdFrom(rest.name);
      for (let n = 1; !def; n++) {
        const candidate = { id: n === 1 ? base : `${base}-${n}`, ...rest };
        if (await insertForm(deps.store, siteId, candidate, deps.clock())) def = candidate;
      }
    }
    overlayForms(deps.store).forget(siteId);
    return c.json(def, 201);
  });

  app.get('/v1/forms/:id', auth, async (c) => {
    const def = await getForm(deps.store, c.get('site').id, c.req.param('id'));
    if (!def) throw notFound();
    return c.json(def);
  });

  app.put('/v1/forms/:id', auth, async (c) => {
    const id = c.req.param('id');
    const raw = await readJson(c, z.looseObject({}));
    if (raw.id !== undefined && raw.id !== id)
      throw new HttpProblem(400, 'invalid', 'The body id differs from the path', [
        { path: 'id', message: `must be ${id} (the id in the path)` },
      ]);
    const def = parse(formDefinitionSchema, { ...raw, id });
    const created = await putForm(deps.store, c.get('site').id, def, deps.clock());
    overlayForms(deps.store).forget(c.get('site').id);
    return c.json(def, created ? 201 : 200);
  });

  app.delete('/v1/forms/:id', auth, async (c) => {
    const deleted = await deleteForm(deps.store, c.get('site').id, c.req.param('id'));
    overlayForms(deps.store).forget(c.get('site').id);
    if (!deleted) throw notFound();
    return c.body(null, 204);
  });

  // `:formId`, as on the public POST: OpenAPI forbids two templates of one path that differ only
  // in a parameter's name.
  app.get('/v1/forms/:formId/submissions', auth, async (c) => {
    const q = readQuery(c, submissionListQuery);
    const siteId = c.get('site').id;
    const id = c.req.param('formId');
    // A deleted form's submissions stay listable (they are the record of what visitors sent);
    // an id with neither a form nor a submission is unknown, as on the other form routes.
    if (!(await getForm(deps.store, siteId, id)) && !(await hasSubmissions(deps.store, siteId, id)))
      throw notFound();
    return c.json(await listSubmissions(deps.store, siteId, id, q));
  });

  return app;
}
