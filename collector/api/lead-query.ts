/** Lead list filters and sorts → SQL, with keyset cursors; shared by the list and the CSV export. */
import { storableString } from '../../shared/json-limits.ts';
import type { LeadFilterInput, LeadSort } from '../../shared/lead-schemas.ts';
import { HttpProblem } from '../http/problem.ts';
import { inLinkRange } from '../identity/index.ts';
import type { Queryable, Store } from '../store/index.ts';
import { knownChannel } from './reports-sql.ts';
import { foldForSearch } from './search.ts';
import { cursorTimestamp } from './timeline.ts';

/** A lead filter as SQL understands it (the list's query parameters, or a segment's filter). */
export type LeadFilter = Omit<LeadFilterInput, 'segment'>;

/**
 * Resolves a saved segment id to its filter (null: no such segment on this site). The segments
 * feature provides it; without one, `segment=` answers 400.
 */
export type SegmentResolver = (
  db: Queryable,
  siteId: string,
  segmentId: string,
) => Promise<LeadFilter | null>;

/** Sort column expressions; `::text` of each is what a cursor carries (exact, microseconds too). */
const SORTS = {
  score: { expr: 'l.score_total', type: 'double precision' },
  createdAt: { expr: 'l.created_at', type: 'timestamptz' },
  lastSeenAt: { expr: 'coalesce(l.last_seen_at, l.created_at)', type: 'timestamptz' },
} as const;

/**
 * The first-touch channel of lead `l`: its earliest session, else its first visitor touch. The
 * write path keeps it as `leads.first_channel`; this is the definition (export, tests).
 */
export const FIRST_CHANNEL_SQL = `coalesce(
  (select s.channel from anonymous_links al join sessions s on ${inLinkRange('s', 'started_at')}
    where al.site_id = l.site_id and al.lead_id = l.lead_id
    order by s.started_at, s.session_id limit 1),
  (select v.first_touch->>'channel' from anonymous_links al
     join visitors v on v.site_id = al.site_id and v.anonymous_id = al.anonymous_id
    where al.site_id = l.site_id and al.lead_id = l.lead_id and al.valid_from = '-infinity'
      and v.first_touch is not null
    order by v.first_seen_at limit 1))`;

/**
 * The `channel` filter. leads.first_channel is FIRST_CHANNEL_SQL kept at write time (migration
 * 011): an indexed equality instead of a correlated first-session lookup per lead (and, to keep
 * rare channels fast, hashing every link of the site first: 160 ms on 100k leads). `other` is
 * read as the reports read it (`knownChannel`): a lead with no first touch (null) or a channel
 * off the documented list is `other` too, so the list and `by=channel` count the same leads; the
 * other channels keep their plain equality, and so the index.
 */
function channelWhere(channel: string, p: (v: unknown) => string): string {
  if (channel === 'other') return `${knownChannel('l.first_channel')} = 'other'`;
  return `l.first_channel = ${p(channel)}`;
}

/** Escapes LIKE wildcards so `q` is matched literally. */
const likeLiteral = (s: string) => `%${s.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** A lead list's position: the sort it was read with, that sort's key, and the lead id. */
interface Cursor {
  /** The sort of the list that issued it: a cursor of another sort is refused. */
  s: LeadSort;
  /** The last row's sort key as the store wrote it (`sort_key`: a number or a timestamptz). */
  k: string;
  /** The last row's lead id. */
  i: string;
}

/**
 * A `double precision::text` as the stores write it (`42`, `-12.5`, `1e+20`, `1.5e-07`), finite.
 * The key is then sent as the number it reads as: `1e-400` is 0 here, but PostgreSQL refuses it
 * as out of range.
 */
const NUMERIC_KEY = /^-?\d+(?:\.\d+)?(?:e[+-]?\d+)?$/;

/** Whether `k` can be the key of a cursor of `sort`, as {@link leadPage} writes it. */
const validKey = (sort: LeadSort, k: string): boolean =>
  SORTS[sort.replace('-', '') as keyof typeof SORTS].type === 'double precision'
    ? NUMERIC_KEY.test(k) && Number.isFinite(Number(k))
    : cursorTimestamp(k);

/**
 * An opaque cursor of the lead list (base64url JSON).
 *
 * @example encodeCursor({ s: '-score', k: '42', i: 'lead_1' })
 */
export function encodeCursor(c: Cursor): string {
  return Buffer.from(JSON.stringify(c)).toString('base64url');
}

/**
 * The cursor `raw` of a list read with `sort`; a 400 problem at `cursor` for anything the list
 * did not issue. Every part is checked here, so nothing the database would refuse (a 500)
 * reaches it: the key as the sort's column prints it, the id storable (no NUL, no lone surrogate).
 */
function decodeCursor(raw: string, sort: LeadSort): Cursor {
  try {
    const c: unknown = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
    if (typeof c === 'object' && c !== null) {
      const { s, k, i } = c as Record<string, unknown>;
      if (
        s === sort &&
        typeof k === 'string' &&
        typeof i === 'string' &&
        validKey(sort, k) &&
        storableString(i)
      )
        return { s: sort, k, i };
    }
  } catch {}
  throw new HttpProblem(400, 'invalid-cursor', 'The cursor is not from this list and sort', [
    { path: 'cursor', message: 'not a cursor of this list and sort' },
  ]);
}

/**
 * One page of live (not merged) leads of a site: `select l.*, sort_key from leads l …`, filtered
 * by every filter in `filters` (AND), ordered by the sort and then `lead_id`, after `cursor`.
 * Keyset pagination: leads inserted while paging cause no duplicates or gaps.
 *
 * @example const { sql, params } = leadPageSql('site_1', [{ stage: ['mql'] }], '-score', undefined, 50);
 */
/** The `where` terms of `filters` on `leads l`, with their parameters and a way to add more. */
function filterSql(siteId: string, filters: LeadFilter[]) {
  const params: unknown[] = [siteId];
  const p = (v: unknown) => {
    params.push(v);
    return `$${params.length}`;
  };
  const where = ['l.site_id = $1', 'l.merged_into is null'];
  for (const f of filters) {
    if (f.stage) where.push(`l.stage = any(${p(f.stage)}::text[])`);
    if (f.minScore !== undefined) where.push(`l.score_total >= ${p(f.minScore)}`);
    if (f.maxScore !== undefined) where.push(`l.score_total <= ${p(f.maxScore)}`);
    // Name and every email the lead holds, case and accents ignored (migrations 014 and 015: one
    // folded column).
    if (f.q) where.push(`l.search_text like ${p(likeLiteral(foldForSearch(f.q)))}`);
    if (f.channel) where.push(channelWhere(f.channel, p));
    if (f.createdAfter) where.push(`l.created_at >= ${p(f.createdAfter.toISOString())}`);
    if (f.createdBefore) where.push(`l.created_at < ${p(f.createdBefore.toISOString())}`);
  }
  return { where, params, p };
}

/**
 * How many leads match `filters` (every page of the list together).
 *
 * @example const total = await leadCount(db, siteId, [{ stage: ['mql'] }]);
 */
export async function leadCount(
  db: Queryable,
  siteId: string,
  filters: LeadFilter[],
): Promise<number> {
  const { where, params } = filterSql(siteId, filters);
  const { rows } = await db.query<{ n: number }>(
    `select count(*)::int as n from leads l where ${where.join(' and ')}`,
    params,
  );
  return rows[0]!.n;
}

export function leadPageSql(
  siteId: string,
  filters: LeadFilter[],
  sort: LeadSort,
  cursor: string | undefined,
  limit: number,
): { sql: string; params: unknown[] } {
  const { where, params, p } = filterSql(siteId, filters);
  const desc = sort.startsWith('-');
  const s = SORTS[sort.replace('-', '') as keyof typeof SORTS];
  if (cursor) {
    const c = decodeCursor(cursor, sort);
    const key = s.type === 'double precision' ? Number(c.k) : c.k;
    where.push(`(${s.expr}, l.lead_id) ${desc ? '<' : '>'} (${p(key)}::${s.type}, ${p(c.i)})`);
  }
  const dir = desc ? 'desc' : 'asc';
  return {
    sql: `select l.*, (${s.expr})::text as sort_key from leads l
           where ${where.join(' and ')}
           order by ${s.expr} ${dir}, l.lead_id ${dir} limit ${p(limit)}`,
    params,
  };
}

/** A lead row with the sort key of the page it was read for. */
export interface LeadRow {
  lead_id: string;
  email: string | null;
  name: string | null;
  traits: Record<string, unknown>;
  stage: string;
  score_total: number;
  score_fit: number;
  score_engagement: number;
  created_at: Date;
  updated_at: Date;
  first_seen_at: Date | null;
  last_seen_at: Date | null;
  sort_key: string;
}

/**
 * Reads one page: `limit` rows and the cursor of the next page (null on the last).
 *
 * @example const { rows, nextCursor } = await leadPage(db, siteId, [filter], '-score', cursor, 50);
 */
export async function leadPage(
  db: Store,
  siteId: string,
  filters: LeadFilter[],
  sort: LeadSort,
  cursor: string | undefined,
  limit: number,
): Promise<{ rows: LeadRow[]; nextCursor: string | null }> {
  const q = leadPageSql(siteId, filters, sort, cursor, limit + 1);
  const { rows } = await db.query<LeadRow>(q.sql, q.params);
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    rows: page,
    nextCursor:
      rows.length > limit && last
        ? encodeCursor({ s: sort, k: last.sort_key, i: last.lead_id })
        : null,
  };
}

/** The filters of a request: its own, plus its segment's (404 for an unknown segment). */
export async function requestFilters(
  db: Queryable,
  siteId: string,
  input: LeadFilterInput,
  resolveSegment: SegmentResolver | undefined,
): Promise<LeadFilter[]> {
  const { segment, ...own } = input;
  if (!segment) return [own];
  if (!resolveSegment) {
    throw new HttpProblem(400, 'segments-unavailable', 'Segments are not available', [
      { path: 'segment', message: 'segments are not available' },
    ]);
  }
  const seg = await resolveSegment(db, siteId, segment);
  if (!seg) throw new HttpProblem(404, 'unknown-segment', 'No such segment on this site');
  return [own, seg];
}
