/** GET/PUT /v1/scoring and GET /v1/scoring/jobs/{id}: the site's rules and rescoring progress. */
import { Hono } from 'hono';
import { scoringRulesSchema } from '../../shared/scoring-schema.ts';
import type { Deps, Env } from '../deps.ts';
import { requireSecretKey } from '../http/auth.ts';
import { HttpProblem } from '../http/problem.ts';
import { readJson } from '../http/validate.ts';
import { createRescoreJob, jobStatus } from '../jobs/rescore.ts';
import { currentRules, saveRules } from './rules.ts';

export function scoringRoutes(deps: Deps) {
  const app = new Hono<Env>();
  app.use('/v1/scoring', requireSecretKey(deps.store));
  app.use('/v1/scoring/*', requireSecretKey(deps.store));

  // The rules exactly as a PUT takes them (so GET → edit → PUT round-trips); the version is in
  // the `ETag` and `Touchpoint-Rules-Version` headers.
  app.get('/v1/scoring', async (c) => {
    const rv = await currentRules(deps.store, c.get('site').id);
    c.header('ETag', `"rules-v${rv.version}"`);
    c.header('Touchpoint-Rules-Version', String(rv.version));
    c.header('Cache-Control', 'no-store');
    return c.json(rv.rules);
  });

  // A new version, and a background job that rescores every lead under it.
  app.put('/v1/scoring', async (c) => {
    const site = c.get('site');
    const rules = await readJson(c, scoringRulesSchema);
    const now = deps.clock();
    const res = await deps.store.transaction(async (tx) => {
      const rv = await saveRules(tx, site.id, rules, now);
      const job = await createRescoreJob(tx, site.id, rv.version, now);
      return { rv, job };
    });
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
