/** GET/PUT /v1/scoring and GET /v1/scoring/jobs/{id}: the site's rules and rescoring progress. */
import { Hono } from 'hono';
import { scoringRulesSchema } from '../../shared/scoring-schema.ts';
import type { Deps, Env } from '../deps.ts';
import { requireSecretKey } from '../http/auth.ts';
import { etagMatches } from '../http/etag.ts';
import { HttpProblem } from '../http/problem.ts';
import { readJson } from '../http/validate.ts';
import { createRescoreJob, jobStatus } from '../jobs/rescore.ts';
import { currentRules, lockRules, rulesEtag, saveRules } from './rules.ts';

export function scoringRoutes(deps: Deps) {
  const app = new Hono<Env>();
  app.use('/v1/scoring', requireSecretKey(deps.store));
  app.use('/v1/scoring/*', requireSecretKey(deps.store));

  // The rules exactly as a PUT takes them (so GET → edit → PUT round-trips); the version is in
  // the `ETag` and `Touchpoint-Rules-Version` headers (`If-None-Match` answers 304).
  app.get('/v1/scoring', async (c) => {
    const rv = await currentRules(deps.store, c.get('site').id);
    c.header('ETag', rulesEtag(rv.version));
    c.header('Touchpoint-Rules-Version', String(rv.version));
    c.header('Cache-Control', 'no-store');
    if (etagMatches(c.req.header('if-none-match'), rulesEtag(rv.version))) return c.body(null, 304);
    return c.json(rv.rules);
  });

  // A new version, and a background job that rescores every lead under it. With `If-Match` (the
  // ETag of the GET the edit started from) two people editing at once cannot overwrite each
  // other: the second save gets 412 instead of silently replacing the first one's rules.
  app.put('/v1/scoring', async (c) => {
    const site = c.get('site');
    const rules = await readJson(c, scoringRulesSchema);
    const ifMatch = c.req.header('if-match');
    const now = deps.clock();
    const res = await deps.store.transaction(async (tx) => {
      if (ifMatch !== undefined) {
        // Under the lock saveRules takes (re-entrant in one transaction): no save in between.
        await lockRules(tx, site.id);
        const current = await currentRules(tx, site.id);
        if (!etagMatches(ifMatch, rulesEtag(current.version), false))
          throw new HttpProblem(
            412,
            'rules-changed',
            `The rules changed since they were read (now ${rulesEtag(current.version)}); GET them again and reapply the edit`,
          );
      }
      const rv = await saveRules(tx, site.id, rules, now);
      const job = await createRescoreJob(tx, site.id, rv.version, now);
      return { rv, job };
    });
    c.header('ETag', rulesEtag(res.rv.version));
    return c.json(
      {
        rules: res.rv.rules,
        version: res.rv.version,
        job: { id: res.job.id, status: res.job.status },
      },
      202,
    );
  });

  app.get('/v1/scoring/jobs/:id', async (c) => {
    const job = await jobStatus(deps.store, c.get('site').id, c.req.param('id'));
    if (!job) throw new HttpProblem(404, 'not-found', 'No rescoring job with this id');
    return c.json(job);
  });

  return app;
}
