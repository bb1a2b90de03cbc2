/** POST /v1/leads/{id}/stage (manual moves) and POST /v1/leads/{id}/events (trusted server-side events). */
import { randomUUID } from 'node:crypto';
import { Hono } from 'hono';
import type { Deps, Env } from '../deps.ts';
import { requireSecretKey } from '../http/auth.ts';
import { HttpProblem } from '../http/problem.ts';
import { readJson } from '../http/validate.ts';
import { leadAnonymousId } from '../identity/index.ts';
import { ingest, toNewEvents } from '../ingest/accept.ts';
import { readScore } from '../scoring/index.ts';
import type { Queryable } from '../store/index.ts';
import { stageHistory } from './history.ts';
import { stageMoveSchema, trustedEventSchema } from './schemas.ts';
import { EXITS, moveStage, stageRank } from './stages.ts';

// Re-exported: the lifecycle's front door has always offered it.
export { leadAnonymousId };

/**
 * The lead an id answers for (a merged lead's old id answers with the survivor), or 404. With
 * `lock`, each row on the way is locked: `update` to move the lead, `share` to write under it —
 * either way an erasure (which takes `for update`) waits, or has already happened and the lead
 * is not found.
 */
async function resolveLead(db: Queryable, siteId: string, id: string, lock?: 'update' | 'share') {
  let leadId = id;
  for (let hops = 0; hops < 5; hops++) {
    const { rows } = await db.query<{ stage: string; merged_into: string | null }>(
      `select stage, merged_into from leads where site_id = $1 and lead_id = $2${lock ? ` for ${lock}` : ''}`,
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
    const res = await deps.store.transaction(async (tx) => {
      const lead = await resolveLead(tx, site.id, c.req.param('id'), 'update');
      // Read under the lock: a move that waited for another is dated after it (moveStage also
      // keeps the dates in order when clocks disagree).
      const now = deps.clock();
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
    // The link is written under the lead's lock: an erasure either went first (404 here) or
    // waits and then erases the link with the lead.
    const linked = await deps.store.transaction(async (tx) => {
      const { leadId } = await resolveLead(tx, site.id, c.req.param('id'), 'share');
      await tx.query(
        `insert into anonymous_links (site_id, anonymous_id, valid_from, lead_id)
         values ($1, $2, '-infinity', $3) on conflict do nothing`,
        [site.id, leadAnonymousId(leadId), leadId],
      );
      return leadId;
    });
    const anonymousId = leadAnonymousId(linked);
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
    // An erasure may have committed between the link and this transaction: the event would then
    // outlive the person. So the ingest transaction takes the lead's lock again and is rolled
    // back with a 404 when the lead is gone; an erasure that comes later waits for it to commit
    // and finds the event. (Assigned on every run: group commit may run the unit again.)
    let lead = { leadId: linked, stage: '' };
    const res = await ingest(deps, site, events, 0, async (tx) => {
      lead = await resolveLead(tx, site.id, linked, 'share');
    });
    return c.json(
      {
        accepted: res.accepted,
        duplicates: res.duplicates,
        lead: {
          id: lead.leadId,
          stage: lead.stage,
          score: await readScore(deps.store, site.id, lead.leadId, receivedAt),
        },
      },
      202,
    );
  });

  return app;
}
