/** `GET /v1/leads/export.csv`: the lead list's filters, streamed page by page (constant memory). */
import type { LeadSort } from '../../shared/lead-schemas.ts';
import type { Queryable, Store } from '../store/index.ts';
import { csvLine } from './csv.ts';
import { FIRST_CHANNEL_SQL, type LeadFilter, leadPage } from './lead-query.ts';

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
];

const PAGE = 500;

/**
 * A CSV stream of every lead matching `filters`, read in keyset pages of {@link PAGE}, so memory
 * stays flat whatever the number of leads. The header row comes first.
 *
 * @example return new Response(leadCsv(db, siteId, filters, '-createdAt'), { headers });
 */
export function leadCsv(
  db: Store,
  siteId: string,
  filters: LeadFilter[],
  sort: LeadSort,
): ReadableStream<Uint8Array> {
  const enc = new TextEncoder();
  let cursor: string | undefined;
  let started = false;
  let done = false;
  return new ReadableStream({
    async pull(controller) {
      if (!started) {
        started = true;
        controller.enqueue(enc.encode(csvLine(COLUMNS)));
        return;
      }
      if (done) return controller.close();
      const page = await leadPage(db, siteId, filters, sort, cursor, PAGE);
      const channels = await firstChannels(
        db,
        siteId,
        page.rows.map((r) => r.lead_id),
      );
      const lines = page.rows.map((r) =>
        csvLine([
          r.lead_id,
          r.email,
          r.name,
          r.stage,
          r.score_total,
          r.score_fit,
          r.score_engagement,
          channels.get(r.lead_id) ?? null,
          iso(r.created_at),
          iso(r.updated_at),
          iso(r.first_seen_at),
          iso(r.last_seen_at),
          r.traits,
        ]),
      );
      if (lines.length > 0) controller.enqueue(enc.encode(lines.join('')));
      cursor = page.nextCursor ?? undefined;
      done = page.nextCursor === null;
    },
  });
}

const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);

async function firstChannels(db: Queryable, siteId: string, ids: string[]) {
  if (ids.length === 0) return new Map<string, string>();
  const { rows } = await db.query<{ lead_id: string; channel: string | null }>(
    `select l.lead_id, ${FIRST_CHANNEL_SQL} as channel from leads l
      where l.site_id = $1 and l.lead_id = any($2::text[])`,
    [siteId, ids],
  );
  return new Map(rows.map((r) => [r.lead_id, r.channel ?? '']));
}
