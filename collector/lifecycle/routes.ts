/** POST /v1/leads/{id}/stage (manual moves) and POST /v1/leads/{id}/events (trusted server-side events). */
import { randomUUID } from 'node:crypto';
import { Hono } from 'hono';
import type { Deps, Env } from '../deps.ts';
import { requireSecretKey } from '../http/auth.ts';
import { HttpProblem } from '../http/problem.ts';
import { readJson } from '../http/validate.ts';
import { ingest, toNewEvents } from '../ingest/accept.ts';
import { readScore } from '../scoring/index.ts';
import type { Queryable } from '../store/index.ts';
import { stageHistory } from './history.ts';
import { stageMoveSchema, trustedEventSchema } from './schemas.ts';
import { EXITS, moveStage, stageRank } from './stages.ts';

/**
 * The anonymous id that carries a lead's server-side events: linked to the lead from
 * `-infinity`, so every such event belongs to it. (Segment userId-only messages use `uid:…`.)
 */
export const leadAnonymousId = (leadId: string) => `lead:${leadId}`;

/** The lead an id answers for (a merged lead's old id answers with the survivor), or 404. */
async function resolveLead(db: Queryable, siteId: string, id: string, lock = false) {
  let leadId = id;
  for (let hops = 0; hops < 5; hops++) {
    const { rows } = await db.query<{ stage: string; merged_into: string | null }>(
      `select stage, merged_into from leads where site_id = $1 and lead_id = $2${lock ? ' for update' : ''}`,
      [siteId, leadId],
    );
    const row = rows[0];
    if (!row) break;
    if (!row.merged_into) return { leadId, stage: row.stage };
    leadId = row.merged_into;
  }
  throw new HttpProblem(404, 'lead-not-found', 'No such lead on this site');
}

export function lifecycleRoutes(deps: Deps) {
  const app = new Hono<Env>();
  app.use('/v1/leads/:id/stage', requireSecretKey(deps.store));
  app.use('/v1/leads/:id/events', requireSecretKey(deps.store));

  app.post('/v1/leads/:id/stage', async (c) => {
    const site = c.get('site');
    const body = await readJson(c, stageMoveSchema);
    const now = deps.clock();
    const res = await deps.store.transaction(async (tx) => {
      const lead = await resolveLead(tx, site.id, c.req.param('id'), true);
      if (lead.stage === body.stage) return { ...lead, moved: false };
      const exit = (EXITS as readonly string[]).includes(body.stage);
      const backward = stageRank(body.stage) < stageRank(lead.stage);
      if ((exit || backward) && !body.reason) {
        throw new HttpProblem(
          400,
          'reason-required',
          exit
            ? `Moving a lead to ${body.stage} needs a reason`
            : `Moving a lead back from ${lead.stage} to ${body.stage} needs a reason`,
          [{ path: 'reason', message: 'required for backward moves, lost and disqualified' }],
        );
      }
      await moveStage(tx, {
        siteId: site.id,
        leadId: lead.leadId,
        from: lead.stage,
        to: body.stage,
        at: now,
        reason: body.reason ?? null,
        actor: 'api',
      });
      return { leadId: lead.leadId, stage: body.stage, moved: true };
    });
    return c.json({
      id: res.leadId,
      stage: res.stage,
      moved: res.moved,
      stageHistory: await stageHistory(deps.store, site.id, res.leadId),
    });
  });

  app.post('/v1/leads/:id/events', async (c) => {
    const site = c.get('site');
    const body = await readJson(c, trustedEventSchema);
    const { leadId } = await resolveLead(deps.store, site.id, c.req.param('id'));
    const anonymousId = leadAnonymousId(leadId);
    await deps.store.query(
      `insert into anonymous_links (site_id, anonymous_id, valid_from, lead_id)
       values ($1, $2, '-infinity', $3) on conflict do nothing`,
      [site.id, anonymousId, leadId],
    );
    const receivedAt = deps.clock();
    const events = toNewEvents(
      site,
      [
        {
          id: body.id ?? `srv_${randomUUID()}`,
          type: body.type,
          anonymousId,
          timestamp: body.timestamp ?? receivedAt.getTime(),
          ...(body.name !== undefined ? { name: body.name } : {}),
          ...(body.url !== undefined ? { url: body.url } : {}),
          ...(body.properties !== undefined ? { properties: body.properties } : {}),
        },
      ],
      { receivedAt, trusted: true },
    );
    const res = await ingest(deps, site, events);
    const { rows } = await deps.store.query<{ stage: string }>(
      'select stage from leads where site_id = $1 and lead_id = $2',
      [site.id, leadId],
    );
    return c.json(
      {
        accepted: res.accepted,
        duplicates: res.duplicates,
        lead: {
          id: leadId,
          stage: rows[0]?.stage ?? null,
          score: await readScore(deps.store, site.id, leadId, receivedAt),
        },
      },
      202,
    );
  });

  return app;
}
