/** `GET /v1/reports/{funnel,channels,forms}`: the marketer's reports (secret key, one site). */
import { Hono } from 'hono';
import type { Deps, Env } from '../deps.ts';
import { requireSecretKey } from '../http/auth.ts';
import { HttpProblem } from '../http/problem.ts';
import { readQuery } from '../http/validate.ts';
import { channelsReport } from './reports-channels.ts';
import { formsReport } from './reports-forms.ts';
import { funnelReport } from './reports-funnel.ts';
import { reportQuerySchema } from './reports-schema.ts';
import { reportWindow } from './reports-sql.ts';

/** Reports over a window longer than this are refused: they would scan years of history. */
const MAX_WINDOW_DAYS = 3 * 366;

export function reportRoutes(deps: Deps) {
  const app = new Hono<Env>();
  app.use('/v1/reports/*', requireSecretKey(deps.store));

  const windowOf = (c: Parameters<typeof readQuery>[0]) => {
    const q = readQuery(c, reportQuerySchema);
    const w = reportWindow(q, deps.clock());
    if (w.from >= w.to)
      throw new HttpProblem(400, 'invalid', 'The window is empty', [
        { path: 'from', message: 'from must be before to' },
      ]);
    if (w.to.getTime() - w.from.getTime() > MAX_WINDOW_DAYS * 86_400_000)
      throw new HttpProblem(400, 'invalid', 'The window is too long', [
        { path: 'from', message: `at most ${MAX_WINDOW_DAYS} days before to` },
      ]);
    return { q, w };
  };

  app.get('/v1/reports/funnel', async (c) => {
    const { q, w } = windowOf(c);
    return c.json(await funnelReport(deps.store, c.get('site').id, w, q.by === 'channel'));
  });
  app.get('/v1/reports/channels', async (c) => {
    const { w } = windowOf(c);
    return c.json(await channelsReport(deps.store, c.get('site').id, w));
  });
  app.get('/v1/reports/forms', async (c) => {
    const { w } = windowOf(c);
    return c.json(await formsReport(deps.store, c.get('site').id, w));
  });
  return app;
}
