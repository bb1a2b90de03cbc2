/** `GET /v1/leads/export.csv`: the lead list's filters, streamed page by page (constant memory). */
import type { LeadSort } from '../../shared/lead-schemas.ts';
import type { Log } from '../deps.ts';
import type { Store } from '../store/index.ts';
import { csvLine } from './csv.ts';
import { type LeadFilter, leadPage } from './lead-query.ts';
import { leadTouches } from './lead-view.ts';

/** The traits a CRM import maps to its own fields, as columns of their own (also in `traits`). */
const TRAIT_COLUMNS = ['company', 'title', 'phone'] as const;

/** The touch columns after the first-touch channel: source, medium, campaign of each touch. */
const TOUCH_PARTS = ['source', 'medium', 'campaign'] as const;

// New columns go after the old ones: a spreadsheet or import reading by position keeps working.
const COLUMNS = [
  'id',
  'email',
  'name',
  'stage',
  'score',
  'fit',
  'engagement',
  'first_touch_channel',
  'created_at',
  'updated_at',
  'first_seen_at',
  'last_seen_at',
  'traits',
  ...TOUCH_PARTS.map((p) => `first_touch_${p}`),
  'last_touch_channel',
  ...TOUCH_PARTS.map((p) => `last_touch_${p}`),
  ...TRAIT_COLUMNS,
];

const PAGE = 500;

/**
 * A CSV stream of every lead matching `filters`, read in keyset pages of {@link PAGE}, so memory
 * stays flat whatever the number of leads. The header row comes first. The first page is read
 * before the stream exists: a store failing then rejects this promise, and the request gets a
 * problem (503 for an unreachable store), not a 200 that stops after the header row. A later
 * page that fails is logged on `log` and errors the stream, so the client sees an incomplete
 * transfer, never a short file that looks whole.
 *
 * @example return new Response(await leadCsv(db, siteId, filters, sort, deps.log), { headers });
 */
export async function leadCsv(
  db: Store,
  siteId: string,
  filters: LeadFilter[],
  sort: LeadSort,
  log: Log,
): Promise<ReadableStream<Uint8Array>> {
  const enc = new TextEncoder();
  const first = await csvPage(db, siteId, filters, sort, undefined);
  let cursor = first.nextCursor;
  let pages = 1;
  return new ReadableStream({
    start(controller) {
      controller.enqueue(enc.encode(csvLine(COLUMNS) + first.text));
      if (cursor === null) controller.close();
    },
    async pull(controller) {
      if (cursor === null) return;
      try {
        const page = await csvPage(db, siteId, filters, sort, cursor);
        if (page.text) controller.enqueue(enc.encode(page.text));
        cursor = page.nextCursor;
        pages++;
        if (cursor === null) controller.close();
      } catch (err) {
        log.error('lead export failed mid-stream', {
          siteId,
          pagesSent: pages,
          error: String(err),
          stack: (err as Error).stack,
        });
        controller.error(err);
      }
    },
  });
}

/** One page of the export as CSV lines, and the cursor of the next (null on the last). */
async function csvPage(
  db: Store,
  siteId: string,
  filters: LeadFilter[],
  sort: LeadSort,
  cursor: string | undefined,
): Promise<{ text: string; nextCursor: string | null }> {
  const page = await leadPage(db, siteId, filters, sort, cursor, PAGE);
  const { first, last } = await leadTouches(
    db,
    siteId,
    page.rows.map((r) => r.lead_id),
  );
  const lines = page.rows.map((r) => {
    const [f, l] = [first.get(r.lead_id), last.get(r.lead_id)];
    const traits = (r.traits ?? {}) as Record<string, unknown>;
    return csvLine([
      r.lead_id,
      r.email,
      r.name,
      r.stage,
      r.score_total,
      r.score_fit,
      r.score_engagement,
      f?.channel ?? '',
      iso(r.created_at),
      iso(r.updated_at),
      iso(r.first_seen_at),
      iso(r.last_seen_at),
      r.traits,
      ...TOUCH_PARTS.map((p) => f?.[p] ?? null),
      l?.channel ?? '',
      ...TOUCH_PARTS.map((p) => l?.[p] ?? null),
      ...TRAIT_COLUMNS.map((k) => traits[k]),
    ]);
  });
  return { text: lines.join(''), nextCursor: page.nextCursor };
}

const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);
