/** SQL fragments the reports share: stage ranks, channels, grouping, report windows. */
import { CHANNELS, LIFECYCLE } from '../../shared/funnel.ts';
import { browserAnonymousIdSql } from '../identity/index.ts';
import { defaultReportFrom, type ReportQuery, reportEnd } from './reports-schema.ts';

const quoted = (xs: readonly string[]) => xs.map((s) => `'${s}'`).join(', ');

/** Rank of a stage column in the forward lifecycle (1 = visitor), 0 for exits. Constants only. */
export const rankOf = (col: string) =>
  `coalesce(array_position(array[${quoted(LIFECYCLE)}]::text[], ${col}), 0)`;

/** A channel column folded onto the documented list (anything unexpected reads as `other`). */
export const knownChannel = (col: string) =>
  `case when ${col} = any (array[${quoted(CHANNELS)}]::text[]) then ${col} else 'other' end`;

/**
 * The visitors rows a report counts, for the `visitors` table under `alias` (none: unqualified
 * columns): browsers only (`browserAnonymousIdSql`: a trusted purchase or a userId-only Segment
 * message is not a new visitor), bot-flagged ones left out.
 *
 * @example `select count(*) from visitors v where v.site_id = $1 and ${countedVisitor('v')}`
 */
export const countedVisitor = (alias?: string) => {
  const col = (c: string) => (alias ? `${alias}.${c}` : c);
  return `not ${col('is_bot')} and ${browserAnonymousIdSql(col('anonymous_id'))}`;
};

/** `case when grouping(col) = 1 then null else col end`: null marks the all-channels rows. */
export const groupedChannel = (col: string) =>
  `case when grouping(${col}) = 1 then null else ${col} end`;

/**
 * The window `[from, to)` of a report: `to` defaults to now (a date-only `to` runs through that
 * day, {@link reportEnd}), `from` to 30 days before `to` ({@link defaultReportFrom}). Both stay in
 * years 0001–9999 for a query `reportQuerySchema` accepted: it checks this same window.
 */
export function reportWindow(q: ReportQuery, now: Date): { from: Date; to: Date } {
  const to = q.to ? reportEnd(q.to) : now;
  const from = q.from ? new Date(q.from) : defaultReportFrom(to);
  return { from, to };
}
