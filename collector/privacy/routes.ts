/** `GET /v1/leads/{id}/export`: everything stored about one person, as JSON (secret key). */
import { Hono } from 'hono';
import type { Deps, Env } from '../deps.ts';
import { requireSecretKey } from '../http/auth.ts';
import { HttpProblem } from '../http/problem.ts';
import { findPerson, personRows } from './person.ts';

/** JSON of database values: bytes as base64, bigints as strings (dates already have toJSON). */
function replacer(_key: string, value: unknown): unknown {
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (typeof value === 'object' && value && (value as { type?: string }).type === 'Buffer') {
    return Buffer.from((value as { data: number[] }).data).toString('base64');
  }
  if (typeof value === 'bigint') return value.toString();
  return value;
}

export function privacyRoutes(deps: Deps) {
  const app = new Hono<Env>();
  app.get('/v1/leads/:id/export', requireSecretKey(deps.store), async (c) => {
    const site = c.get('site');
    // One snapshot: a repeatable-read view would be nicer, a transaction is what both drivers share.
    const body = await deps.store.transaction(async (tx) => {
      const person = await findPerson(tx, site.id, c.req.param('id'));
      if (!person) return null;
      return {
        leadId: person.leadId,
        exportedAt: deps.clock().toISOString(),
        leadIds: person.leadIds,
        anonymousIds: [...person.anonymousIds, ...person.sharedAnonymousIds],
        tables: await personRows(tx, site.id, person),
      };
    });
    if (!body) throw new HttpProblem(404, 'lead-not-found', 'No such lead on this site');
    c.header(
      'Content-Disposition',
      `attachment; filename="lead-${body.leadId.replace(/[^\w.-]/g, '_')}.json"`,
    );
    return c.body(JSON.stringify(body, replacer), 200, { 'Content-Type': 'application/json' });
  });
  return app;
}
