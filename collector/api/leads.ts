/** Marketer API for leads (DESIGN §6): list, export, read, timeline, traits, merge, erase. */
import { Hono } from 'hono';
import { z } from 'zod';
import {
  leadExportQuerySchema,
  leadListQuerySchema,
  mergeLeadSchema,
  pageQuerySchema,
  patchLeadSchema,
} from '../../shared/lead-schemas.ts';
import type { Deps, Env } from '../deps.ts';
import { requireSecretKey } from '../http/auth.ts';
import { HttpProblem } from '../http/problem.ts';
import { parse, readJson, readQuery } from '../http/validate.ts';
import { eraseLead, mergeLeads } from '../identity/index.ts';
import { refreshLeads } from '../lifecycle/index.ts';
import { leadCsv } from './export.ts';
import { leadCount, leadPage, requestFilters, type SegmentResolver } from './lead-query.ts';
import { liveLeadId, readLead, toLeads } from './lead-view.ts';
import { updateTraits } from './patch-traits.ts';
import { timelinePage } from './timeline.ts';

/** Lead-list parameters that may be repeated: their values join as the comma form (`stage=mql,sql`). */
const LEAD_LIST_LISTS = ['stage'] as const;

// 404s never echo the asked id: another site's id must look exactly like a made-up one.
const notFound = (_id: string) =>
  new HttpProblem(404, 'lead-not-found', 'No such lead on this site');

/**
 * Lead routes, all behind the site's secret key; a lead of another site is simply not found.
 * `resolveSegment` turns `segment=ID` into a filter (the segments feature provides it).
 *
 * @example app.route('/', leadRoutes(deps, { resolveSegment }));
 */
export function leadRoutes(deps: Deps, opts: { resolveSegment?: SegmentResolver } = {}) {
  const app = new Hono<Env>();
  const db = deps.store;
  app.use('/v1/leads', requireSecretKey(db));
  app.use('/v1/leads/*', requireSecretKey(db));

  app.get('/v1/leads', async (c) => {
    const q = readQuery(c, leadListQuerySchema, LEAD_LIST_LISTS);
    const site = c.get('site');
    const filters = await requestFilters(db, site.id, q, opts.resolveSegment);
    const [page, total] = await Promise.all([
      leadPage(db, site.id, filters, q.sort, q.cursor, q.limit),
      q.count === 'true' ? leadCount(db, site.id, filters) : undefined,
    ]);
    return c.json({
      data: await toLeads(db, site.id, page.rows, deps.clock()),
      nextCursor: page.nextCursor,
      ...(total === undefined ? {} : { total }),
    });
  });

  app.get('/v1/leads/export.csv', async (c) => {
    const q = readQuery(c, leadExportQuerySchema, LEAD_LIST_LISTS);
    const site = c.get('site');
    const filters = await requestFilters(db, site.id, q, opts.resolveSegment);
    // Awaited: the first page is read before the 200 is sent, so a failing store is a problem.
    return new Response(await leadCsv(db, site.id, filters, q.sort, deps.log), {
      headers: {
        'Content-Type': 'text/csv; charset=utf-8',
        'Content-Disposition': 'attachment; filename="leads.csv"',
        'Cache-Control': 'no-store',
      },
    });
  });

  app.get('/v1/leads/:id', async (c) => {
    const id = c.req.param('id');
    const lead = await readLead(db, c.get('site').id, id, deps.clock());
    if (!lead) throw notFound(id);
    return c.json(lead);
  });

  app.get('/v1/leads/:id/timeline', async (c) => {
    const id = c.req.param('id');
    const q = readQuery(c, pageQuerySchema);
    const site = c.get('site');
    const live = await liveLeadId(db, site.id, id);
    if (!live) throw notFound(id);
    return c.json(await timelinePage(db, site.id, live, q.cursor, q.limit));
  });

  app.patch('/v1/leads/:id', async (c) => {
    const id = c.req.param('id');
    const body = parse(patchLeadSchema, asTraitsPatch(await readJson(c, z.unknown())));
    const site = c.get('site');
    const now = deps.clock();
    // Fit rules read traits: the lead is rescored in the same transaction as the edit.
    const live = await deps.store.transaction(async (tx) => {
      const leadId = await updateTraits(tx, site.id, id, body.traits, now);
      if (leadId) await refreshLeads(tx, site.id, [leadId], now);
      return leadId;
    });
    if (!live) throw notFound(id);
    return c.json(await readLead(db, site.id, live, now));
  });

  app.post('/v1/leads/:id/merge', async (c) => {
    const id = c.req.param('id');
    const body = await readJson(c, mergeLeadSchema);
    const site = c.get('site');
    const now = deps.clock();
    // The survivor's score now counts the loser's events and traits: rescored in the same transaction.
    const res = await deps.store.transaction(async (tx) => {
      const merged = await mergeLeads(tx, {
        siteId: site.id,
        survivorId: id,
        loserId: body.leadId,
        now,
        actor: 'api',
      });
      if (merged.ok) await refreshLeads(tx, site.id, [merged.survivorId], now);
      return merged;
    });
    if (!res.ok && res.reason === 'not-found') {
      throw new HttpProblem(
        404,
        'lead-not-found',
        'One of the two leads does not exist on this site',
      );
    }
    if (!res.ok) {
      throw new HttpProblem(409, 'same-lead', 'Both ids are already the same lead', [
        { path: 'leadId', message: 'already the same lead' },
      ]);
    }
    return c.json(await readLead(db, site.id, res.survivorId, now));
  });

  app.delete('/v1/leads/:id', async (c) => {
    const id = c.req.param('id');
    const site = c.get('site');
    const erased = await deps.store.transaction((tx) => eraseLead(tx, site.id, id));
    if (!erased) throw notFound(id);
    return c.body(null, 204);
  });

  return app;
}

/**
 * The body of `PATCH /v1/leads/{id}` as `{ traits }`: DESIGN §6 says only "traits", so the traits
 * themselves are taken as the body too (`{ "title": "VP" }`). A body whose only key is `traits`
 * is the documented wrapper (and validated as one: `{ "traits": "x" }` is a 400 at `traits`).
 *
 * @example asTraitsPatch({ title: 'VP' }) // { traits: { title: 'VP' } }
 */
export function asTraitsPatch(body: unknown): unknown {
  const wrapped =
    typeof body === 'object' &&
    body !== null &&
    !Array.isArray(body) &&
    Object.keys(body).join() === 'traits';
  return wrapped || typeof body !== 'object' || body === null ? body : { traits: body };
}
