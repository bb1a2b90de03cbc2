/** The funnel report: per lifecycle stage counts, entries, conversion, time in stage, exit reasons. */
import {
  ALL_STAGES,
  type AnyStage,
  CHANNELS,
  type Channel,
  FUNNEL_MODELS,
  type FunnelModel,
  ratio,
} from '../../shared/funnel.ts';
import type { Queryable } from '../store/index.ts';
import type { FunnelReport, ModelView, StageRow } from './reports-schema.ts';
import { groupedChannel, knownChannel } from './reports-sql.ts';

/** Entries into a stage in the window, for all channels (`channel` null) or one. */
interface EntryRow {
  channel: string | null;
  stage: string;
  entered: number;
  converted: number;
  /** Per model: stays that are the lead's first entry into the model's step in the window. */
  [model: `m_${number}`]: number;
}

/** Stays that ended in the window: how many, and the median and p90 of their length. */
interface TimeRow {
  channel: string | null;
  stage: string;
  samples: number;
  pct: [number, number] | null;
}

/** Median and p90 of `span`, with one sort. */
const percentiles = (span: string) =>
  `percentile_cont(array[0.5, 0.9]) within group (order by ${span}) as pct`;

/** The channel grouping of a statement: per channel too, or all channels only. */
const groupings = (byChannel: boolean, cols: string) =>
  byChannel
    ? `grouping sets ((${cols}), (channel${cols ? `, ${cols}` : ''}))`
    : `grouping sets ((${cols}))`;
const channelOf = (byChannel: boolean) => (byChannel ? groupedChannel('channel') : 'null::text');

const IN_WINDOW = 'entered_at >= $2 and entered_at < $3';

/**
 * Per model, the condition "this stay is the lead's first entry into its step in the window":
 * no earlier entry into a stage of the same step since `$2` (funnel_stays.prev_<stage> holds
 * the lead's latest earlier entry into each stage).
 */
const firstInStep = (m: FunnelModel) => {
  const arms = m.steps.flatMap((st) => {
    const prev = st.stages.map((x) => `prev_${x}`).join(', ');
    return st.stages.map((x) => `when '${x}' then greatest(${prev})`);
  });
  return `stage in (${m.steps.flatMap((st) => st.stages.map((x) => `'${x}'`)).join(', ')})
          and coalesce(case stage ${arms.join(' ')} end, '-infinity') < $2`;
};

// Stays entered in the window (entries, conversions, model steps) and stays left in it (time
// in stage): index ranges of funnel_stays, kept by triggers (migration 011). Apart, so the
// counts are a (parallel) hash aggregate and only the stays that ended are sorted.
const entrySql = (byChannel: boolean) => `
select ${channelOf(byChannel)} as channel, stage, count(*)::int as entered,
       count(*) filter (where converted_at < $3)::int as converted,
       ${FUNNEL_MODELS.map((m, i) => `count(*) filter (where ${firstInStep(m)})::int as m_${i}`).join(',\n       ')}
  from (select ${knownChannel("coalesce(channel, 'other')")} as channel, stage, converted_at,
               ${ALL_STAGES.map((x) => `prev_${x}`).join(', ')}
          from funnel_stays where site_id = $1 and ${IN_WINDOW}) s
 group by ${groupings(byChannel, 'stage')}`;

const stayTimeSql = (byChannel: boolean) => `
select ${channelOf(byChannel)} as channel, stage, count(*)::int as samples,
       ${percentiles('extract(epoch from left_at - entered_at)::float8')}
  from (select ${knownChannel("coalesce(channel, 'other')")} as channel, stage, entered_at, left_at
          from funnel_stays where site_id = $1 and left_at >= $2 and left_at < $3) s
 group by ${groupings(byChannel, 'stage')}`;

// People per stage now.
const nowSql = (byChannel: boolean) => `
select ${channelOf(byChannel)} as channel, stage, count(*)::int as n
  from (select ${knownChannel("coalesce(first_channel, 'other')")} as channel, stage
          from leads where site_id = $1 and merged_into is null) l
 group by ${groupings(byChannel, 'stage')}`;

// Reasons of the exits entered in the window.
const exitSql = (byChannel: boolean) => `
select ${channelOf(byChannel)} as channel, stage, reason, count(*)::int as n
  from (select ${knownChannel("coalesce(channel, 'other')")} as channel, stage,
               coalesce(reason, '(no reason)') as reason
          from funnel_stays
         where site_id = $1 and stage in ('lost', 'disqualified') and ${IN_WINDOW}) e
 group by ${groupings(byChannel, 'stage, reason')}
 order by n desc, reason`;

// Visitors are the first stage: anonymous ids (not bots) until one is linked to a lead. The
// unlinked ones (people now) and the ones first seen in the window; then the ones linked in
// the window (time as a visitor).
const visitorSql = (byChannel: boolean) => `
select ${channelOf(byChannel)} as channel, 'visitor' as stage,
       count(*) filter (where linked_at is null)::int as count,
       count(*) filter (where first_seen_at >= $2 and first_seen_at < $3)::int as entered,
       count(*) filter (where first_seen_at >= $2 and first_seen_at < $3
                          and linked_at < $3)::int as converted
  from (select ${knownChannel("coalesce(first_channel, 'other')")} as channel, first_seen_at,
               linked_at
          from visitors where site_id = $1 and not is_bot and linked_at is null
        union all
        select ${knownChannel("coalesce(first_channel, 'other')")}, first_seen_at, linked_at
          from visitors
         where site_id = $1 and not is_bot and linked_at is not null
           and first_seen_at >= $2 and first_seen_at < $3) v
 group by ${groupings(byChannel, '')}`;

const visitorTimeSql = (byChannel: boolean) => `
select ${channelOf(byChannel)} as channel, 'visitor' as stage, count(*)::int as samples,
       ${percentiles('greatest(0, extract(epoch from linked_at - first_seen_at))::float8')}
  from (select ${knownChannel("coalesce(first_channel, 'other')")} as channel, first_seen_at,
               linked_at
          from visitors
         where site_id = $1 and not is_bot and linked_at >= $2 and linked_at < $3) v
 group by ${groupings(byChannel, '')}`;

const key = (channel: string | null, ...parts: string[]) => [channel ?? '*', ...parts].join('|');

/**
 * The funnel of `siteId` over [from, to), aggregated in the database from what the write path
 * keeps (funnel_stays, first channels, visitors' link times): six indexed statements, each
 * computing the all-channels and, with `byChannel`, the per-channel figures at once.
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
  // Independent statements: on PostgreSQL they run at once on the pool's connections.
  const [entries, times, now, exits, visitors, visitorTimes] = await Promise.all([
    db.query<EntryRow>(entrySql(byChannel), params),
    db.query<TimeRow>(stayTimeSql(byChannel), params),
    db.query<{ channel: string | null; stage: string; n: number }>(nowSql(byChannel), [siteId]),
    db.query<{ channel: string | null; stage: string; reason: string; n: number }>(
      exitSql(byChannel),
      params,
    ),
    db.query<{ channel: string | null; count: number; entered: number; converted: number }>(
      visitorSql(byChannel),
      params,
    ),
    db.query<TimeRow>(visitorTimeSql(byChannel), params),
  ]);

  const entryBy = new Map<string, { entered: number; converted: number }>();
  const modelBy = new Map<string, number>();
  for (const r of entries.rows) {
    entryBy.set(key(r.channel, r.stage), r);
    FUNNEL_MODELS.forEach((m, i) => {
      const step = m.steps.find((st) => (st.stages as readonly string[]).includes(r.stage));
      if (!step) return;
      const k = key(r.channel, m.id, step.id);
      modelBy.set(k, (modelBy.get(k) ?? 0) + (r[`m_${i}`] ?? 0));
    });
  }
  for (const r of visitors.rows) entryBy.set(key(r.channel, 'visitor'), r);
  const timeBy = new Map(
    [...times.rows, ...visitorTimes.rows].map((r) => [key(r.channel, r.stage), r]),
  );
  const countBy = new Map(now.rows.map((r) => [key(r.channel, r.stage), r.n]));
  for (const r of visitors.rows) countBy.set(key(r.channel, 'visitor'), r.count);
  const reasons = exits.rows;

  const section = (channel: string | null) => {
    const stages: StageRow[] = ALL_STAGES.map((stage) => {
      const e = entryBy.get(key(channel, stage));
      const t = timeBy.get(key(channel, stage));
      const entered = e?.entered ?? 0;
      const converted = e?.converted ?? 0;
      // Exits and the last stage have no next stage to convert to.
      const forward = stage !== 'lost' && stage !== 'disqualified' && stage !== 'repeat_customer';
      return {
        stage,
        count: countBy.get(key(channel, stage)) ?? 0,
        entered,
        converted,
        conversionRate: forward ? ratio(converted, entered) : null,
        timeInStage: {
          samples: t?.samples ?? 0,
          medianSeconds: round(t?.pct?.[0] ?? null),
          p90Seconds: round(t?.pct?.[1] ?? null),
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
    const results: { rows: { channel: string | null }[] }[] = [
      entries,
      times,
      now,
      exits,
      visitors,
      visitorTimes,
    ];
    for (const q of results) for (const r of q.rows) if (r.channel !== null) present.add(r.channel);
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
