/** Reports: the funnel (and the seeds' other models), channels and forms, as charts and tables. */
import { useState } from 'preact/hooks';
import type {
  ChannelsReport,
  FormsReport,
  FunnelReport,
} from '../../../collector/api/reports-schema.ts';
import { formatDuration, formatPercent, LIFECYCLE, STAGE_LABELS } from '../../../shared/funnel.ts';
import { query } from '../api.ts';
import { BarChart } from '../charts.tsx';
import { href } from '../router.ts';
import {
  Card,
  channelLabel,
  count,
  Loading,
  PageHeading,
  Problem,
  TableWrap,
  useKeptFocus,
} from '../ui.tsx';
import { useApi } from '../use-api.ts';

const day = (d: Date) => d.toISOString().slice(0, 10);

export function ReportsPage({ params }: { params: URLSearchParams }) {
  const to = params.get('to') ?? '';
  const from = params.get('from') ?? '';
  // Both are yyyy-mm-dd, so they compare as strings. A window that ends before it starts is
  // told here once, next to the fields, instead of as three schema errors from the API.
  const backwards = from !== '' && to !== '' && from > to;
  // `to` is a day, and the API reads a date-only `to` as through the end of that day.
  const q = backwards ? null : query({ from: from || undefined, to: to || undefined });
  const funnel = useApi<FunnelReport>(q === null ? null : `/v1/reports/funnel${q}`);
  const channels = useApi<ChannelsReport>(q === null ? null : `/v1/reports/channels${q}`);
  const forms = useApi<FormsReport>(q === null ? null : `/v1/reports/forms${q}`);
  const keep = useKeptFocus(params.toString());

  const submit = (e: Event) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget as HTMLFormElement);
    keep.remember();
    location.hash = href(['reports'], {
      from: String(f.get('from') ?? ''),
      to: String(f.get('to') ?? ''),
    });
  };

  return (
    <>
      <PageHeading title="Reports" />
      <form
        ref={keep.form}
        class="filters"
        onSubmit={submit}
        aria-label="Report window"
        key={params.toString()}
      >
        <label>
          From
          <input
            type="date"
            name="from"
            defaultValue={from}
            aria-invalid={backwards ? 'true' : undefined}
            aria-describedby={backwards ? 'window-error' : undefined}
          />
        </label>
        <label>
          To
          <input
            type="date"
            name="to"
            defaultValue={to}
            aria-invalid={backwards ? 'true' : undefined}
            aria-describedby={backwards ? 'window-error' : undefined}
          />
        </label>
        <div class="actions">
          <button type="submit" class="primary">
            Show
          </button>
          <span class="muted small">
            {backwards
              ? ''
              : funnel.data
                ? `${day(new Date(funnel.data.from))} → ${day(new Date(Date.parse(funnel.data.to) - 1))}`
                : 'Last 30 days'}
          </span>
        </div>
      </form>
      {backwards && (
        <p id="window-error" class="problem" role="alert">
          “From” must be on or before “To”.
        </p>
      )}
      {!backwards && (
        <div class="grid">
          <Card title="Lifecycle funnel" wide>
            {funnel.error && <Problem error={funnel.error} />}
            {funnel.loading && !funnel.data && <Loading />}
            {funnel.data && <Funnel report={funnel.data} />}
          </Card>
          {funnel.data && <Models report={funnel.data} />}
          <Card title="Channels" wide>
            {channels.error && <Problem error={channels.error} />}
            {channels.loading && !channels.data && <Loading />}
            {channels.data && <Channels report={channels.data} />}
          </Card>
          <Card title="Forms" wide>
            {forms.error && <Problem error={forms.error} />}
            {forms.loading && !forms.data && <Loading />}
            {forms.data && <Forms report={forms.data} />}
          </Card>
        </div>
      )}
    </>
  );
}

function Funnel({ report }: { report: FunnelReport }) {
  const forward = report.stages.filter((s) => (LIFECYCLE as readonly string[]).includes(s.stage));
  const exits = report.stages.filter((s) => !(LIFECYCLE as readonly string[]).includes(s.stage));
  return (
    <>
      <BarChart
        title="Lifecycle funnel: entries in the window and people in each stage now"
        // Its figures are in the table below.
        table={false}
        series={[
          { key: 'entered', label: 'Entered in the window' },
          { key: 'now', label: 'In the stage now' },
        ]}
        groups={forward.map((s) => ({
          label: STAGE_LABELS[s.stage],
          note: s.conversionRate === null ? '' : `${formatPercent(s.conversionRate)} moved on`,
          values: [
            { value: s.entered, text: `${s.entered} entered` },
            { value: s.count, text: `${s.count} now` },
          ],
        }))}
      />
      <TableWrap label="Funnel figures">
        <table class="compact">
          <caption class="sr-only">Funnel figures per stage</caption>
          <thead>
            <tr>
              <th scope="col">Stage</th>
              <th scope="col" class="num">
                Now
              </th>
              <th scope="col" class="num">
                Entered
              </th>
              <th scope="col" class="num">
                Moved on
              </th>
              <th scope="col" class="num">
                Median time
              </th>
              <th scope="col" class="num">
                p90 time
              </th>
            </tr>
          </thead>
          <tbody>
            {[...forward, ...exits].map((s) => (
              <tr key={s.stage}>
                <th scope="row">{STAGE_LABELS[s.stage]}</th>
                <td class="num">{s.count}</td>
                <td class="num">{s.entered}</td>
                <td class="num">{formatPercent(s.conversionRate)}</td>
                <td class="num">{formatDuration(s.timeInStage.medianSeconds)}</td>
                <td class="num">{formatDuration(s.timeInStage.p90Seconds)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableWrap>
      <div class="reasons">
        {(['lost', 'disqualified'] as const).map((k) => (
          <div key={k}>
            <h3>{k === 'lost' ? 'Why deals were lost' : 'Why leads were disqualified'}</h3>
            {report.reasons[k].length === 0 ? (
              <p class="muted">None in this window.</p>
            ) : (
              <ul>
                {report.reasons[k].map((r) => (
                  <li key={r.reason}>
                    <span>{r.reason}</span> <strong>{r.count}</strong>
                  </li>
                ))}
              </ul>
            )}
          </div>
        ))}
      </div>
    </>
  );
}

function Models({ report }: { report: FunnelReport }) {
  return (
    <>
      {report.models.map((m) => (
        <Card key={m.id} title={`${m.label} (seed ${m.seed})`}>
          <BarChart
            title={`${m.label}: people per step now`}
            noteLabel="Stages"
            series={[{ key: 'count', label: 'People now' }]}
            groups={m.steps.map((s) => ({
              label: s.label,
              note: s.stages.map((x) => STAGE_LABELS[x]).join(', '),
              values: [{ value: s.count, text: `${s.count} · ${formatPercent(s.share)}` }],
            }))}
          />
        </Card>
      ))}
    </>
  );
}

function Channels({ report }: { report: ChannelsReport }) {
  const [touch, setTouch] = useState<'firstTouch' | 'lastTouch'>('firstTouch');
  const rows = report[touch];
  return (
    <>
      <fieldset class="toggle">
        <legend class="sr-only">Attribution</legend>
        {(['firstTouch', 'lastTouch'] as const).map((t) => (
          <button key={t} type="button" aria-pressed={touch === t} onClick={() => setTouch(t)}>
            {t === 'firstTouch' ? 'First touch' : 'Last touch'}
          </button>
        ))}
      </fieldset>
      {rows.length === 0 ? (
        <p class="muted">No new visitors in this window.</p>
      ) : (
        <BarChart
          title={`New visitors, leads, MQLs and customers per channel (${touch === 'firstTouch' ? 'first' : 'last'} touch)`}
          noteLabel="Lead rate"
          series={[
            { key: 'visitors', label: 'Visitors' },
            { key: 'leads', label: 'Leads' },
            { key: 'mqls', label: 'MQLs' },
            { key: 'customers', label: 'Customers' },
          ]}
          groups={rows.map((r) => ({
            label: channelLabel(r.channel),
            note: `${formatPercent(r.leadRate)} became leads`,
            values: [
              { value: r.visitors, text: count(r.visitors, 'visitor') },
              { value: r.leads, text: count(r.leads, 'lead') },
              { value: r.mqls, text: count(r.mqls, 'MQL') },
              { value: r.customers, text: count(r.customers, 'customer') },
            ],
          }))}
        />
      )}
    </>
  );
}

function Forms({ report }: { report: FormsReport }) {
  if (report.forms.length === 0) return <p class="muted">No form was shown in this window.</p>;
  return (
    <BarChart
      title="Form views and submissions"
      noteLabel="Conversion"
      series={[
        { key: 'views', label: 'Views' },
        { key: 'submissions', label: 'Submissions' },
      ]}
      groups={report.forms.map((f) => ({
        label: f.formId,
        note: `${formatPercent(f.conversionRate)} converted · ${f.dismissals} dismissed`,
        values: [
          { value: f.views, text: count(f.views, 'view') },
          { value: f.submissions, text: count(f.submissions, 'submission') },
        ],
      }))}
    />
  );
}
