/** The funnel report: per lifecycle stage counts, entries, conversion, time in stage, exit reasons. */
import {
  ALL_STAGES,
  type AnyStage,
  CHANNELS,
  type Channel,
  FUNNEL_MODELS,
  ratio,
} from '../../shared/funnel.ts';
import type { Queryable } from '../store/index.ts';
import type { FunnelReport, ModelView, StageRow } from './reports-schema.ts';
import {
  groupedChannel,
  knownChannel,
  LEAD_CHANNEL_CTE,
  rankOf,
  STAYS_CTE,
} from './reports-sql.ts';

/** One row of {@link LEAD_FIGURES}; `n` is entries, people, or a count, by `kind`. */
interface FigureRow {
  kind: 'stage' | 'now' | 'model' | 'exit';
  channel: string | null;
  stage: string | null;
  model: string | null;
  step: string | null;
  reason: string | null;
  n: number;
  converted: number;
  samples: number;
  median: number | null;
  p90: number | null;
}

interface StatRow {
  channel: string | null;
  stage: string;
  entered: number;
  converted: number;
  samples: number;
  median: number | null;
  p90: number | null;
}

const percentiles = (span: string, when: string) => `
  percentile_cont(0.5) within group (order by ${span}) filter (where ${when}) as median,
  percentile_cont(0.9) within group (order by ${span}) filter (where ${when}) as p90`;

// One statement for the lead side, so `lc` and `h` are computed once: entries into each stage
// in the window (how many moved further, completed stays), people per stage now, people entering
// each step of the other models ($4: the mapping as JSON rows) and exit reasons. Every part has
// the all-channels and per-channel figures at once (grouping sets).
const LEAD_FIGURES = `with ${LEAD_CHANNEL_CTE}, ${STAYS_CTE},
hj as materialized (select h.*, lc.channel from h join lc using (lead_id))
select 'stage' as kind, ${groupedChannel('channel')} as channel, stage,
       null::text as model, null::text as step, null::text as reason,
       count(*) filter (where at >= $2)::int as n,
       count(*) filter (where at >= $2 and ${rankOf('stage')} > 0
                          and later_rank > ${rankOf('stage')})::int as converted,
       count(*) filter (where left_at >= $2)::int as samples,
       ${percentiles('extract(epoch from left_at - at)::float8', 'left_at >= $2')}
  from hj group by grouping sets ((stage), (channel, stage))
union all
select 'now', ${groupedChannel('channel')}, stage, null, null, null, count(*)::int, 0, 0,
       null::float8, null::float8
  from lc group by grouping sets ((stage), (channel, stage))
union all
select 'model', ${groupedChannel('hj.channel')}, null, m.model, m.step, null,
       count(distinct hj.lead_id)::int, 0, 0, null::float8, null::float8
  from hj join jsonb_to_recordset($4::jsonb) as m(model text, step text, stage text)
       on m.stage = hj.stage
 where hj.at >= $2
 group by grouping sets ((m.model, m.step), (hj.channel, m.model, m.step))
union all
select 'exit', ${groupedChannel('channel')}, stage, null, null, reason, count(*)::int, 0, 0,
       null::float8, null::float8
  from (select lc.channel, x.to_stage as stage,
               coalesce(nullif(btrim(x.reason), ''), '(no reason)') as reason
          from stage_history x join lc using (lead_id)
         where x.site_id = $1 and x.to_stage in ('lost', 'disqualified')
           and x.at >= $2 and x.at < $3) e
 group by grouping sets ((stage, reason), (channel, stage, reason))
 order by kind, n desc, reason`;

// Visitors are the first stage: anonymous ids (not bots) until one is linked to a lead.
const VISITOR_STATS = `with lk as (
  select anonymous_id, min(linked_at) as linked_at from anonymous_links
   where site_id = $1 group by anonymous_id),
fs as (
  select distinct on (anonymous_id) anonymous_id, channel from sessions
   where site_id = $1 order by anonymous_id, started_at),
v as (
  select v.first_seen_at, lk.linked_at, ${knownChannel("coalesce(fs.channel, 'other')")} as channel
    from visitors v left join lk using (anonymous_id) left join fs using (anonymous_id)
   where v.site_id = $1 and not v.is_bot)
select ${groupedChannel('channel')} as channel,
       count(*) filter (where linked_at is null)::int as count,
       count(*) filter (where first_seen_at >= $2 and first_seen_at < $3)::int as entered,
       count(*) filter (where first_seen_at >= $2 and first_seen_at < $3
                          and linked_at < $3)::int as converted,
       count(*) filter (where linked_at >= $2 and linked_at < $3)::int as samples,
       ${percentiles(
         'greatest(0, extract(epoch from linked_at - first_seen_at))::float8',
         'linked_at >= $2 and linked_at < $3',
       )}
  from v group by grouping sets ((), (channel))`;

const MAPPING = JSON.stringify(
  FUNNEL_MODELS.flatMap((m) =>
    m.steps.flatMap((s) => s.stages.map((stage) => ({ model: m.id, step: s.id, stage }))),
  ),
);

const key = (channel: string | null, ...parts: string[]) => [channel ?? '*', ...parts].join('|');

/**
 * The funnel of `siteId` over [from, to), aggregated in the database: one statement for the
 * leads and one for the visitors, each computing the all-channels and per-channel figures at
 * once with grouping sets.
 *
 * @example const report = await funnelReport(store, site.id, { from, to }, true);
 */
export async function funnelReport(
  db: Queryable,
  siteId: string,
  window: { from: Date; to: Date },
  byChannel: boolean,
): Promise<FunnelReport> {
  const params = [siteId, window.from.toISOString(), window.to.toISOString()];
  const [leadSide, visitors] = await Promise.all([
    db.query<FigureRow>(LEAD_FIGURES, [...params, MAPPING]),
    db.query<Omit<StatRow, 'stage'> & { count: number }>(VISITOR_STATS, params),
  ]);
  const of = (kind: FigureRow['kind']) => leadSide.rows.filter((r) => r.kind === kind);

  const statBy = new Map<string, Omit<StatRow, 'channel' | 'stage'>>();
  for (const r of of('stage')) statBy.set(key(r.channel, r.stage!), { ...r, entered: r.n });
  for (const r of visitors.rows) statBy.set(key(r.channel, 'visitor'), r);
  const countBy = new Map(of('now').map((r) => [key(r.channel, r.stage!), r.n]));
  for (const r of visitors.rows) countBy.set(key(r.channel, 'visitor'), r.count);
  const modelBy = new Map(of('model').map((r) => [key(r.channel, r.model!, r.step!), r.n]));
  const reasons = of('exit');

  const section = (channel: string | null) => {
    const stages: StageRow[] = ALL_STAGES.map((stage) => {
      const s = statBy.get(key(channel, stage));
      const entered = s?.entered ?? 0;
      const converted = s?.converted ?? 0;
      // Exits and the last stage have no next stage to convert to.
      const forward = stage !== 'lost' && stage !== 'disqualified' && stage !== 'repeat_customer';
      return {
        stage,
        count: countBy.get(key(channel, stage)) ?? 0,
        entered,
        converted,
        conversionRate: forward ? ratio(converted, entered) : null,
        timeInStage: {
          samples: s?.samples ?? 0,
          medianSeconds: round(s?.median ?? null),
          p90Seconds: round(s?.p90 ?? null),
        },
      };
    });
    const current = new Map(stages.map((s) => [s.stage, s]));
    const views: ModelView[] = FUNNEL_MODELS.map((m) => {
      const total = m.steps.reduce((n, st) => n + sumCounts(current, st.stages), 0);
      return {
        id: m.id,
        label: m.label,
        seed: m.seed,
        steps: m.steps.map((st) => {
          const c = sumCounts(current, st.stages);
          const visitorEntries = st.stages.includes('visitor')
            ? (current.get('visitor')?.entered ?? 0)
            : 0;
          return {
            id: st.id,
            label: st.label,
            stages: [...st.stages],
            count: c,
            entered: visitorEntries + (modelBy.get(key(channel, m.id, st.id)) ?? 0),
            share: ratio(c, total),
          };
        }),
      };
    });
    const reasonsOf = (stage: 'lost' | 'disqualified') =>
      reasons
        .filter((r) => r.stage === stage && r.channel === channel)
        .map((r) => ({ reason: r.reason!, count: r.n }));
    return {
      stages,
      reasons: { lost: reasonsOf('lost'), disqualified: reasonsOf('disqualified') },
      models: views,
    };
  };

  const report: FunnelReport = {
    from: window.from.toISOString(),
    to: window.to.toISOString(),
    ...section(null),
  };
  if (byChannel) {
    const present = new Set<string>();
    for (const r of [...leadSide.rows, ...visitors.rows])
      if (r.channel !== null) present.add(r.channel);
    report.byChannel = CHANNELS.filter((c) => present.has(c)).map((channel: Channel) => ({
      channel,
      ...section(channel),
    }));
  }
  return report;
}

function sumCounts(current: Map<AnyStage, StageRow>, stages: readonly AnyStage[]): number {
  return stages.reduce((n, s) => n + (current.get(s)?.count ?? 0), 0);
}

/** Seconds to one decimal: sub-second noise from timestamps is not information. */
function round(x: number | null): number | null {
  return x === null ? null : Math.round(Number(x) * 10) / 10;
}
