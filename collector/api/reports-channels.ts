/** The channels report: a cohort of new visitors → leads → MQLs → customers, per first and last touch. */
import { lifecycleRank, ratio } from '../../shared/funnel.ts';
import type { Queryable } from '../store/index.ts';
import type { ChannelRow, ChannelsReport } from './reports-schema.ts';
import { countedVisitor, knownChannel, rankOf } from './reports-sql.ts';

// SQL ranks are 1-based (array_position).
const MQL = lifecycleRank('mql') + 1;
const CUSTOMER = lifecycleRank('customer') + 1;
const LEAD = lifecycleRank('lead') + 1;

// The cohort: visitors first seen in the window (countedVisitor: browsers, bots excluded). First
// touch is the channel of a visitor's first session; last touch that of its last non-direct
// session before it was identified (or before the window's end), else of its last one: a return
// by typing the address (or a hop to another subdomain of the site) does not erase the campaign
// that brought the person, as on the lead's own last touch. How far its lead got is read from stage
// history up to `to`.
const CHANNELS_SQL = `with v as (
  select v.anonymous_id, lk.lead_id,
         ${knownChannel("coalesce(ft.channel, 'other')")} as first_channel,
         ${knownChannel("coalesce(lt.channel, ft.channel, 'other')")} as last_channel
    from visitors v
    left join lateral (
      select a.lead_id, a.linked_at from anonymous_links a
       where a.site_id = v.site_id and a.anonymous_id = v.anonymous_id and a.linked_at < $3
       order by a.valid_from limit 1) lk on true
    left join lateral (
      select s.channel from sessions s
       where s.site_id = v.site_id and s.anonymous_id = v.anonymous_id
       order by s.started_at limit 1) ft on true
    left join lateral (
      select s.channel from sessions s
       where s.site_id = v.site_id and s.anonymous_id = v.anonymous_id
         and s.started_at <= coalesce(lk.linked_at, $3)
       order by s.channel = 'direct', s.started_at desc limit 1) lt on true
   where v.site_id = $1 and ${countedVisitor('v')} and v.first_seen_at >= $2 and v.first_seen_at < $3),
reach as (
  select h.lead_id, max(${rankOf('h.to_stage')}) as r
    from stage_history h
   where h.site_id = $1 and h.at < $3 and h.lead_id in (select lead_id from v)
   group by h.lead_id),
vl as (
  select v.*, case when v.lead_id is null then 0 else greatest(coalesce(reach.r, 0), ${LEAD}) end as reached
    from v left join reach using (lead_id))
select grouping(first_channel) = 0 as first,
       case when grouping(first_channel) = 0 then first_channel else last_channel end as channel,
       count(*)::int as visitors,
       count(distinct lead_id)::int as leads,
       count(distinct lead_id) filter (where reached >= ${MQL})::int as mqls,
       count(distinct lead_id) filter (where reached >= ${CUSTOMER})::int as customers
  from vl
 group by grouping sets ((first_channel), (last_channel))
 order by visitors desc, channel`;

/**
 * Visitors → leads → MQLs → customers per channel, for the visitors first seen in [from, to).
 *
 * @example const { firstTouch, lastTouch } = await channelsReport(store, site.id, window);
 */
export async function channelsReport(
  db: Queryable,
  siteId: string,
  window: { from: Date; to: Date },
): Promise<ChannelsReport> {
  const { rows } = await db.query<{
    first: boolean;
    channel: ChannelRow['channel'];
    visitors: number;
    leads: number;
    mqls: number;
    customers: number;
  }>(CHANNELS_SQL, [siteId, window.from.toISOString(), window.to.toISOString()]);
  const toRow = (r: (typeof rows)[number]): ChannelRow => ({
    channel: r.channel,
    visitors: r.visitors,
    leads: r.leads,
    mqls: r.mqls,
    customers: r.customers,
    leadRate: ratio(r.leads, r.visitors),
    mqlRate: ratio(r.mqls, r.leads),
    customerRate: ratio(r.customers, r.leads),
  });
  return {
    from: window.from.toISOString(),
    to: window.to.toISOString(),
    firstTouch: rows.filter((r) => r.first).map(toRow),
    lastTouch: rows.filter((r) => !r.first).map(toRow),
  };
}
