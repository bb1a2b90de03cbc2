/** The funnel report: per lifecycle stage counts, entries, conversion, time in stage, exit reasons. */
import {
  ALL_STAGES,
  type AnyStage,
  CHANNELS,
  type Channel,
  FUNNEL_MODELS,
  ratio,
} from '../../shared/funnel.ts';
import type { Store } from '../store/index.ts';
import type { FunnelReport, ModelView, StageRow } from './reports-schema.ts';
import { countedVisitor, groupedChannel, knownChannel } from './reports-sql.ts';

/**
 * Entries into a stage in the window, for all channels (`channel` null) or one, and for the
 * exit stages per reason (`reason` null for the other stages).
 */
interface EntryRow {
  channel: string | null;
  stage: string;
  reason: string | null;
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
/** A counting statement's grouping: per channel (all channels summed afterwards) or none. */
const countedBy = (byChannel: boolean, cols: string) =>
  byChannel ? `channel${cols ? `, ${cols}` : ''}` : cols || '()';
const countedChannel = (byChannel: boolean) => (byChannel ? 'channel' : 'null::text');

const IN_WINDOW = 'entered_at >= $2 and entered_at < $3';

// Counting statements group by the channel as stored (null read as `other`) only, and the report
// folds values off the documented list into `other` and sums all channels afterwards (`fold`,
// `add`): sums come out the same, and the database aggregates once, without a list comparison
// per row. Percentiles cannot be summed: those statements fold in SQL (knownChannel) and compute
// the all-channels figures with grouping sets.

// Stays entered in the window: entries, conversions, model steps (per model, a stay entering its
// step whose lead's latest earlier entry into the step is before the window: `prev_step_<model>`,
// 'infinity' for a move inside a step, migration 016) and exit reasons, in one index range of
// funnel_stays (kept by triggers, migrations 011 and 016: a merged lead's stays end and convert
// within the chain of the lead each move was recorded for) and one hash aggregate.
const entrySql = (byChannel: boolean) => `
select ${countedChannel(byChannel)} as channel, stage, reason, count(*)::int as entered,
       count(*) filter (where converted_at < $3)::int as converted,
       ${FUNNEL_MODELS.map((m, i) => `count(*) filter (where prev_step_${m.id} < $2)::int as m_${i}`).join(',\n       ')}
  from (select coalesce(channel, 'other') as channel, stage, converted_at,
               case when stage in ('lost', 'disqualified')
                    then coalesce(reason, '(no reason)') end as reason,
               ${FUNNEL_MODELS.map((m) => `prev_step_${m.id}`).join(', ')}
          from funnel_stays where site_id = $1 and ${IN_WINDOW}) s
 group by ${countedBy(byChannel, 'stage, reason')}`;

// Stays left in the window: time in stage (only these are sorted). A lead's stays in `visitor`
// (moved back there by hand) are timed with the visitors' own, below.
const stayTimeSql = (byChannel: boolean) => `
select ${channelOf(byChannel)} as channel, stage, count(*)::int as samples,
       ${percentiles('extract(epoch from left_at - entered_at)::float8')}
  from (select ${knownChannel("coalesce(channel, 'other')")} as channel, stage, entered_at, left_at
          from funnel_stays where site_id = $1 and left_at >= $2 and left_at < $3
           and stage <> 'visitor') s
 group by ${groupings(byChannel, 'stage')}`;

// People per stage now.
const nowSql = (byChannel: boolean) => `
select ${countedChannel(byChannel)} as channel, stage, count(*)::int as n
  from (select coalesce(first_channel, 'other') as channel, stage
          from leads where site_id = $1 and merged_into is null) l
 group by ${countedBy(byChannel, 'stage')}`;

// Visitors are the first stage: browsers (countedVisitor: not bots, not the collector's
// server-side ids) until one is linked to a lead. The unlinked ones (people now) and the ones
// first seen in the window; then the ones linked in the window (time as a visitor).
const visitorSql = (byChannel: boolean) => `
select ${countedChannel(byChannel)} as channel, 'visitor' as stage,
       count(*) filter (where linked_at is null)::int as count,
       count(*) filter (where first_seen_at >= $2 and first_seen_at < $3)::int as entered,
       count(*) filter (where first_seen_at >= $2 and first_seen_at < $3
                          and linked_at < $3)::int as converted
  from (select coalesce(first_channel, 'other') as channel, first_seen_at, linked_at
          from visitors where site_id = $1 and ${countedVisitor()} and linked_at is null
        union all
        select coalesce(first_channel, 'other'), first_seen_at, linked_at
          from visitors
         where site_id = $1 and ${countedVisitor()} and linked_at is not null
           and first_seen_at >= $2 and first_seen_at < $3) v
 group by ${countedBy(byChannel, '')}`;

// Time as a visitor: first seen → identified, and the stays of leads moved back to `visitor`
// that ended in the window (one statement: percentiles cannot be merged afterwards).
const visitorTimeSql = (byChannel: boolean) => `
select ${channelOf(byChannel)} as channel, 'visitor' as stage, count(*)::int as samples,
       ${percentiles('span')}
  from (select ${knownChannel("coalesce(first_channel, 'other')")} as channel,
               greatest(0, extract(epoch from linked_at - first_seen_at))::float8 as span
          from visitors
         where site_id = $1 and ${countedVisitor()} and linked_at >= $2 and linked_at < $3
        union all
        select ${knownChannel("coalesce(channel, 'other')")},
               extract(epoch from left_at - entered_at)::float8
          from funnel_stays
         where site_id = $1 and left_at >= $2 and left_at < $3 and stage = 'visitor') v
 group by ${groupings(byChannel, '')}`;

/** A channel as the report shows it: null (all channels) stays, anything off the list is `other`. */
const fold = (channel: string | null): Channel | null =>
  channel === null || (CHANNELS as readonly string[]).includes(channel)
    ? (channel as Channel | null)
    : 'other';

const key = (channel: string | null, ...parts: string[]) => [channel ?? '*', ...parts].join('|');

/**
 * The funnel of `siteId` over [from, to), aggregated in the database from what the write path
 * keeps (funnel_stays, first channels, visitors' link times): five indexed statements in one
 * read-only snapshot, so a lead moving meanwhile is counted in one stage by all of them (each
 * on its own connection, a stage's count could miss a move its entries had seen); with
 * `byChannel` they also split every figure by first-touch channel.
 *
 * @example const report = await funnelReport(store, site.id, { from, to }, true);
 */
export async function funnelReport(
  store: Store,
  siteId: string,
  window: { from: Date; to: Date },
  byChannel: boolean,
): Promise<FunnelReport> {
  const params = [siteId, window.from.toISOString(), window.to.toISOString()];
  const [entries, times, now, visitors, visitorTimes] = await store.transaction(
    (db) =>
      Promise.all([
        db.query<EntryRow>(entrySql(byChannel), params),
        db.query<TimeRow>(stayTimeSql(byChannel), params),
        db.query<{ channel: string | null; stage: string; n: number }>(nowSql(byChannel), [siteId]),
        db.query<{ channel: string | null; count: number; entered: number; converted: number }>(
          visitorSql(byChannel),
          params,
        ),
        db.query<TimeRow>(visitorTimeSql(byChannel), params),
      ]),
    { snapshot: true },
  );

  // Sums per key, for the row's channel (off the list: `other`) and for all channels (null).
  const sums = new Map<string, number>();
  const present = new Set<Channel>();
  const adder = (channel: string | null) => {
    const ch = fold(channel);
    if (ch) present.add(ch);
    return (n: number, ...parts: string[]) => {
      for (const c of ch ? [ch, null] : [null]) {
        const k = key(c, ...parts);
        sums.set(k, (sums.get(k) ?? 0) + n);
      }
    };
  };
  const sum = (channel: string | null, ...parts: string[]) => sums.get(key(channel, ...parts)) ?? 0;
  for (const r of entries.rows) {
    const add = adder(r.channel);
    add(r.entered, 'entered', r.stage);
    add(r.converted, 'converted', r.stage);
    FUNNEL_MODELS.forEach((m, i) => {
      const step = m.steps.find((st) => (st.stages as readonly string[]).includes(r.stage));
      if (step) add(r[`m_${i}`] ?? 0, 'model', m.id, step.id);
    });
    if (r.reason !== null) add(r.entered, 'reason', r.stage, r.reason);
  }
  for (const r of now.rows) adder(r.channel)(r.n, 'count', r.stage);
  for (const r of visitors.rows) {
    const add = adder(r.channel);
    add(r.count, 'count', 'visitor');
    add(r.entered, 'entered', 'visitor');
    add(r.entered, 'browsers', 'visitor');
    add(r.converted, 'converted', 'visitor');
  }
  const timeBy = new Map<string, TimeRow>();
  for (const r of [...times.rows, ...visitorTimes.rows]) {
    if (r.channel) present.add(r.channel as Channel);
    timeBy.set(key(r.channel, r.stage), r);
  }

  const labels = reasonLabels(entries.rows);

  const section = (channel: string | null) => {
    const stages: StageRow[] = ALL_STAGES.map((stage) => {
      const t = timeBy.get(key(channel, stage));
      const entered = sum(channel, 'entered', stage);
      const converted = sum(channel, 'converted', stage);
      // Exits and the last stage have no next stage to convert to.
      const forward = stage !== 'lost' && stage !== 'disqualified' && stage !== 'repeat_customer';
      return {
        stage,
        count: sum(channel, 'count', stage),
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
          // New browsers; leads moving back to `visitor` are in the step's stays (`model`).
          const visitorEntries = st.stages.includes('visitor')
            ? sum(channel, 'browsers', 'visitor')
            : 0;
          return {
            id: st.id,
            label: st.label,
            stages: [...st.stages],
            count: c,
            entered: visitorEntries + sum(channel, 'model', m.id, st.id),
            share: ratio(c, total),
          };
        }),
      };
    });
    // One row per reason whatever its case and spacing, most frequent first, then by reason.
    const reasonsOf = (stage: 'lost' | 'disqualified') => {
      const prefix = key(channel, 'reason', stage, '');
      const counts = new Map<string, number>();
      for (const [k, n] of sums) {
        if (!k.startsWith(prefix)) continue;
        const folded = reasonKey(k.slice(prefix.length));
        counts.set(folded, (counts.get(folded) ?? 0) + n);
      }
      return [...counts]
        .map(([folded, count]) => ({ reason: labels.get(`${stage}|${folded}`) ?? folded, count }))
        .sort((a, b) => b.count - a.count || (a.reason < b.reason ? -1 : 1));
    };
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
    report.byChannel = CHANNELS.filter((c) => present.has(c)).map((channel: Channel) => ({
      channel,
      ...section(channel),
    }));
  }
  return report;
}

/** A reason as it is grouped: composed (NFC), runs of white space as one, trimmed, lower case. */
const reasonKey = (reason: string): string => spaced(reason).toLowerCase();
/** A reason as it is shown: SQL's btrim left tabs and line breaks (a pasted reason's). */
const spaced = (reason: string): string =>
  reason.normalize('NFC').replace(/\s+/g, ' ').trim() || '(no reason)';

/**
 * The spelling each exit reason is shown with (by `stage|reasonKey`): the one used most in the
 * window over all channels, ties to the first in English collation (`budget` before `Budget`),
 * so "Budget", "budget" and " BUDGET " are one row under one name, the same in every channel.
 */
function reasonLabels(rows: readonly EntryRow[]): Map<string, string> {
  const uses = new Map<string, Map<string, number>>();
  for (const r of rows) {
    if (r.reason === null) continue;
    const k = `${r.stage}|${reasonKey(r.reason)}`;
    const spellings = uses.get(k) ?? new Map<string, number>();
    uses.set(k, spellings);
    const s = spaced(r.reason);
    spellings.set(s, (spellings.get(s) ?? 0) + r.entered);
  }
  const out = new Map<string, string>();
  for (const [k, spellings] of uses) {
    const [best] = [...spellings].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0], 'en'));
    if (best) out.set(k, best[0]);
  }
  return out;
}

function sumCounts(current: Map<AnyStage, StageRow>, stages: readonly AnyStage[]): number {
  return stages.reduce((n, s) => n + (current.get(s)?.count ?? 0), 0);
}

/** Seconds to one decimal: sub-second noise from timestamps is not information. */
function round(x: number | null): number | null {
  return x === null ? null : Math.round(Number(x) * 10) / 10;
}
