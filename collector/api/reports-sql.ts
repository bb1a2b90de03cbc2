/** SQL fragments the reports share: stage ranks, the lead → first-touch channel, report windows. */
import { CHANNELS, LIFECYCLE } from '../../shared/funnel.ts';
import type { ReportQuery } from './reports-schema.ts';

const quoted = (xs: readonly string[]) => xs.map((s) => `'${s}'`).join(', ');

/** Rank of a stage column in the forward lifecycle (1 = visitor), 0 for exits. Constants only. */
export const rankOf = (col: string) =>
  `coalesce(array_position(array[${quoted(LIFECYCLE)}]::text[], ${col}), 0)`;

/** A channel column folded onto the documented list (anything unexpected reads as `other`). */
export const knownChannel = (col: string) =>
  `case when ${col} = any (array[${quoted(CHANNELS)}]::text[]) then ${col} else 'other' end`;

/**
 * `lc`: the site's live (not merged-away) leads with their first-touch channel: the channel of
 * the earliest session of any anonymous id linked to the lead; `other` when it has none (leads
 * created server-side). Expects `$1` = site id. Set-based (one hash join and one sort for the
 * whole site) and materialized once per query: a lateral lookup per lead cost 30 s for the funnel
 * at 100k leads, run once per stay row (bench, EXPLAIN ANALYZE).
 */
export const LEAD_CHANNEL_CTE = `lc as materialized (
  select l.lead_id, l.stage, l.created_at, ${knownChannel("coalesce(fs.channel, 'other')")} as channel
    from leads l
    left join (
      select distinct on (a.lead_id) a.lead_id, s.channel
        from anonymous_links a
        join sessions s on s.site_id = a.site_id and s.anonymous_id = a.anonymous_id
       where a.site_id = $1
       order by a.lead_id, s.started_at) fs on fs.lead_id = l.lead_id
   where l.site_id = $1 and l.merged_into is null)`;

/**
 * \`h\`: every stay in a stage up to \`$3\` (the window's end), with when it was left and the
 * furthest lifecycle stage reached after it. A lead whose entry into the lifecycle was never
 * recorded in stage_history counts as entering \`lead\` when it was created. Expects \`$1\` site,
 * \`$3\` to.
 */
export const STAYS_CTE = `h0 as (
  select x.lead_id, x.to_stage as stage, x.at, x.seq
    from stage_history x
   where x.site_id = $1 and x.at < $3
  union all
  select l.lead_id, 'lead', l.created_at, 0
    from leads l
   where l.site_id = $1 and l.created_at < $3
     and not exists (select 1 from stage_history y
                      where y.site_id = l.site_id and y.lead_id = l.lead_id
                        and (y.from_stage is null or y.from_stage = 'visitor'))),
h as (
  select h0.lead_id, h0.stage, h0.at,
         lead(h0.at) over (partition by h0.lead_id order by h0.at, h0.seq) as left_at,
         max(${rankOf('h0.stage')}) over (partition by h0.lead_id order by h0.at, h0.seq
             rows between 1 following and unbounded following) as later_rank
    from h0)`;

/** `case when grouping(col) = 1 then null else col end`: null marks the all-channels rows. */
export const groupedChannel = (col: string) =>
  `case when grouping(${col}) = 1 then null else ${col} end`;

/** The window of a report: `to` defaults to now, `from` to 30 days before `to`. */
export function reportWindow(q: ReportQuery, now: Date): { from: Date; to: Date } {
  const to = q.to ? new Date(q.to) : now;
  const from = q.from ? new Date(q.from) : new Date(to.getTime() - 30 * 86_400_000);
  return { from, to };
}
