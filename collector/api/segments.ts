/** Saved segments (`GET/POST /v1/segments`): named lead filters of one site, applied with `segment=ID`. */
import { Hono } from 'hono';
import { INSTANT_RANGE } from '../../shared/lead-schemas.ts';
import type { Deps, Env } from '../deps.ts';
import { requireSecretKey } from '../http/auth.ts';
import { HttpProblem } from '../http/problem.ts';
import { readJson } from '../http/validate.ts';
import { randomId } from '../sites/index.ts';
import type { Queryable } from '../store/index.ts';
import { createSegmentSchema, type Segment, type SegmentFilter } from './segments-schema.ts';

/** More saved segments than this per site is a client bug, not a marketer's list. */
const MAX_SEGMENTS = 500;

interface SegmentRow {
  segment_id: string;
  name: string;
  filter: SegmentFilter;
  created_at: Date;
}

/**
 * A stored filter as it is applied. Dates outside years 0001–9999 were saved before they were
 * refused (`createdAfter: "0000-01-01"`), and the stores cannot compare with them: read as what
 * they meant, a bound that keeps every lead (`createdAfter` before year 1, `createdBefore` after
 * 9999) is dropped and one that keeps none is pinned to the range's end. The pair stays ordered:
 * `createdAfter` is pinned only when `createdBefore`, later still, is dropped, and the reverse.
 *
 * @example storedFilter({ createdAfter: '0000-01-01', stage: 'mql' }) // { stage: 'mql' }
 */
export function storedFilter(f: SegmentFilter): SegmentFilter {
  const after = f.createdAfter === undefined ? Number.NaN : Date.parse(f.createdAfter);
  const before = f.createdBefore === undefined ? Number.NaN : Date.parse(f.createdBefore);
  const { min, max } = INSTANT_RANGE;
  if (!(after < min || after > max || before < min || before > max)) return f;
  const { createdAfter, createdBefore, ...out } = f;
  const pinned: SegmentFilter = out;
  if (createdAfter !== undefined && !(after < min))
    pinned.createdAfter = after > max ? new Date(max).toISOString() : createdAfter;
  if (createdBefore !== undefined && !(before > max))
    pinned.createdBefore = before < min ? new Date(min).toISOString() : createdBefore;
  return pinned;
}

const toSegment = (r: SegmentRow): Segment => ({
  id: r.segment_id,
  name: r.name,
  filter: storedFilter(r.filter),
  createdAt: new Date(r.created_at).toISOString(),
});

// The answer never echoes the id: another site's id must read exactly like a made-up one.
const unknownSegment = () =>
  new HttpProblem(404, 'unknown-segment', 'This site has no segment with this id', [
    { path: 'segment', message: 'unknown segment' },
  ]);

/**
 * The stored filter of a segment of `siteId`, as it is applied ({@link storedFilter}); a 404
 * problem when the site has no such segment (another site's segment id is unknown here too).
 *
 * @example const filter = await segmentFilter(store, site.id, query.segment);
 */
export async function segmentFilter(
  db: Queryable,
  siteId: string,
  segmentId: string,
): Promise<SegmentFilter> {
  const { rows } = await db.query<{ filter: SegmentFilter }>(
    'select filter from segments where site_id = $1 and segment_id = $2',
    [siteId, segmentId],
  );
  if (!rows[0]) throw unknownSegment();
  return storedFilter(rows[0].filter);
}

export function segmentRoutes(deps: Deps) {
  const app = new Hono<Env>();
  const auth = requireSecretKey(deps.store);
  app.use('/v1/segments', auth);
  app.use('/v1/segments/*', auth);

  app.get('/v1/segments', async (c) => {
    const { rows } = await deps.store.query<SegmentRow>(
      `select segment_id, name, filter, created_at from segments
        where site_id = $1 order by created_at, segment_id`,
      [c.get('site').id],
    );
    return c.json({ data: rows.map(toSegment) });
  });

  app.post('/v1/segments', async (c) => {
    const input = await readJson(c, createSegmentSchema);
    const siteId = c.get('site').id;
    const row = await deps.store.transaction(async (tx) => {
      // One site's creations are serialized so the cap holds under concurrent POSTs.
      await tx.query('select pg_advisory_xact_lock(hashtext($1))', [`segments:${siteId}`]);
      const { rows } = await tx.query<{ n: number }>(
        'select count(*)::int as n from segments where site_id = $1',
        [siteId],
      );
      if (rows[0]!.n >= MAX_SEGMENTS)
        throw new HttpProblem(409, 'too-many-segments', `A site keeps at most ${MAX_SEGMENTS}`);
      const created = await tx.query<SegmentRow>(
        `insert into segments (site_id, segment_id, name, filter, created_at)
         values ($1, $2, $3, $4, $5) returning segment_id, name, filter, created_at`,
        [siteId, `seg_${randomId(12)}`, input.name, JSON.stringify(input.filter), deps.clock()],
      );
      return created.rows[0]!;
    });
    c.header('Location', `/v1/segments/${row.segment_id}`);
    return c.json(toSegment(row), 201);
  });

  app.get('/v1/segments/:id', async (c) => {
    const { rows } = await deps.store.query<SegmentRow>(
      `select segment_id, name, filter, created_at from segments
        where site_id = $1 and segment_id = $2`,
      [c.get('site').id, c.req.param('id')],
    );
    if (!rows[0]) throw unknownSegment();
    return c.json(toSegment(rows[0]));
  });

  app.delete('/v1/segments/:id', async (c) => {
    const { rowCount } = await deps.store.query(
      'delete from segments where site_id = $1 and segment_id = $2',
      [c.get('site').id, c.req.param('id')],
    );
    if (rowCount === 0) throw unknownSegment();
    return c.body(null, 204);
  });
  return app;
}
