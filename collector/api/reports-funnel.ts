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

// Entries into each stage in the window, how many of them moved further, and completed stays.
const STAGE_STATS = `with ${LEAD_CHANNEL_CTE}, ${STAYS_CTE}
select ${groupedChannel('lc.channel')} as channel, h.stage,
       count(*) filter (where h.at >= $2)::int as entered,
       count(*) filter (where h.at >= $2 and ${rankOf('h.stage')} > 0
                          and h.later_rank > ${rankOf('h.stage')})::int as converted,
       count(*) filter (where h.left_at >= $2)::int as samples,
       ${percentiles('extract(epoch from h.left_at - h.at)::float8', 'h.left_at >= $2')}
  from h join lc using (lead_id)
 group by grouping sets ((h.stage), (lc.channel, h.stage))`;

const CURRENT_COUNTS = `with ${LEAD_CHANNEL_CTE}
select ${groupedChannel('channel')} as channel, stage, count(*)::int as count
  from lc group by grouping sets ((stage), (channel, stage))`;

// Visitors are the first stage: anonymous ids (not bots) until one is linked to a lead.
const VISITOR_STATS = `with v as (
  select v.first_seen_at, lk.linked_at,
         ${knownChannel("coalesce(fs.channel, 'other')")} as channel
    from visitors v
    -- Set-based (hash joins), not a lookup per visitor: 2.6 s → a fraction at 100k visitors.
    left join (
      select a.anonymous_id, min(a.linked_at) as linked_at from anonymous_links a
       where a.site_id = $1 group by a.anonymous_id) lk on lk.anonymous_id = v.anonymous_id
    left join (
      select distinct on (s.anonymous_id) s.anonymous_id, s.channel from sessions s
       where s.site_id = $1
       order by s.anonymous_id, s.started_at) fs on fs.anonymous_id = v.anonymous_id
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

const EXIT_REASONS = `with ${LEAD_CHANNEL_CTE},
x as (
  select lc.channel, h.to_stage as stage,
         coalesce(nullif(btrim(h.reason), ''), '(no reason)') as reason
    from stage_history h join lc using (lead_id)
   where h.site_id = $1 and h.to_stage in ('lost', 'disqualified') and h.at >= $2 and h.at < $3)
select ${groupedChannel('channel')} as channel, stage, reason, count(*)::int as count
  from x group by grouping sets ((stage, reason), (channel, stage, reason))
 order by count desc, reason`;

// People entering each step of the other models ($4: the mapping as JSON rows).
const MODEL_ENTRIES = `with ${LEAD_CHANNEL_CTE}, ${STAYS_CTE}
select ${groupedChannel('lc.channel')} as channel, m.model, m.step,
       count(distinct h.lead_id)::int as entered
  from h
  join jsonb_to_recordset($4::jsonb) as m(model text, step text, stage text) on m.stage = h.stage
  join lc using (lead_id)
 where h.at >= $2
 group by grouping sets ((m.model, m.step), (lc.channel, m.model, m.step))`;

const MAPPING = JSON.stringify(
  FUNNEL_MODELS.flatMap((m) =>
    m.steps.flatMap((s) => s.stages.map((stage) => ({ model: m.id, step: s.id, stage }))),
  ),
);

const key = (channel: string | null, ...parts: string[]) => [channel ?? '*', ...parts].join('|');

/**
 * The funnel of `siteId` over [from, to), aggregated in the database (five grouped queries,
 * each computing the all-channels and per-channel figures at once with grouping sets).
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
  const [stats, counts, visitors, reasons, models] = await Promise.all([
    db.query<StatRow>(STAGE_STATS, params),
    db.query<{ channel: string | null; stage: string; count: number }>(CURRENT_COUNTS, [siteId]),
    db.query<Omit<StatRow, 'stage'> & { count: number }>(VISITOR_STATS, params),
    db.query<{ channel: string | null; stage: string; reason: string; count: number }>(
      EXIT_REASONS,
      params,
    ),
    db.query<{ channel: string | null; model: string; step: string; entered: number }>(
      MODEL_ENTRIES,
      [...params, MAPPING],
    ),
  ]);

  const statBy = new Map<string, Omit<StatRow, 'channel' | 'stage'> & { count?: number }>();
  for (const r of stats.rows) statBy.set(key(r.channel, r.stage), r);
  for (const r of visitors.rows) statBy.set(key(r.channel, 'visitor'), r);
  const countBy = new Map(counts.rows.map((r) => [key(r.channel, r.stage), r.count]));
  for (const r of visitors.rows) countBy.set(key(r.channel, 'visitor'), r.count);
  const modelBy = new Map(models.rows.map((r) => [key(r.channel, r.model, r.step), r.entered]));

  const section = (channel: string | null) => {
    const stages: StageRow[] = ALL_STAGES.map((stage) => {
      const s = statBy.get(key(channel, stage));
      const entered = s?.entered ?? 0;
      const converted = s?.converted ?? 0;
      const forward = stage !== 'lost' && stage !== 'disqualified';
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
      reasons.rows
        .filter((r) => r.stage === stage && r.channel === channel)
        .map((r) => ({ reason: r.reason, count: r.count }));
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
    for (const r of [...stats.rows, ...counts.rows, ...visitors.rows])
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
