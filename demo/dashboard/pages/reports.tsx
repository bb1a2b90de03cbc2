/** Reports: the funnel (and the seeds' other models), channels and forms, as charts and tables. */
import { useState } from 'preact/hooks';
import type {
  ChannelsReport,
  FormsReport,
  FunnelReport,
} from '../../../collector/api/reports-schema.ts';
import { LIFECYCLE } from '../../../shared/funnel.ts';
import { query } from '../api.ts';
import { BarChart } from '../charts.tsx';
import { lang, locale, messages } from '../i18n.ts';
import { href } from '../router.ts';
import {
  Card,
  channelLabel,
  duration,
  Loading,
  num,
  PageHeading,
  Problem,
  percent,
  stageLabel,
  TableWrap,
  useKeptFocus,
} from '../ui.tsx';
import { useApi, useFormNames } from '../use-api.ts';

const t = messages({
  Reports: 'Báo cáo',
  'Report window': 'Khoảng thời gian báo cáo',
  From: 'Từ',
  To: 'Đến',
  Show: 'Xem',
  'Last 30 days': '30 ngày qua',
  '{from} to {to}': '{from} đến {to}',
  'Last 30 days: {from} to {to}': '30 ngày qua: {from} đến {to}',
  '“From” must be on or before “To”.': '“Từ” phải trước hoặc cùng ngày với “Đến”.',
  'Lifecycle funnel': 'Phễu vòng đời',
  Channels: 'Kênh',
  Forms: 'Biểu mẫu',
  'Lifecycle funnel: entries in the window and people in each stage now':
    'Phễu vòng đời: lượt vào trong khoảng thời gian và số người đang ở mỗi giai đoạn',
  'Entered in the window': 'Vào trong khoảng thời gian',
  'In the stage now': 'Đang ở giai đoạn',
  '{rate} moved on': '{rate} chuyển tiếp',
  '{n} entered': '{n} đã vào',
  '{n} now': '{n} hiện tại',
  'Funnel figures': 'Số liệu phễu',
  'Funnel figures per stage': 'Số liệu phễu theo giai đoạn',
  Stage: 'Giai đoạn',
  Now: 'Hiện tại',
  Entered: 'Đã vào',
  'Moved on': 'Chuyển tiếp',
  'Median time': 'Thời gian trung vị',
  'p90 time': 'Thời gian p90',
  'Why deals were lost': 'Lý do mất giao dịch',
  'Why leads were disqualified': 'Lý do khách hàng tiềm năng bị loại',
  'None in this window.': 'Không có trong khoảng thời gian này.',
  '{model} (seed {seed})': '{model} (bài gốc {seed})',
  '{model}: people per step now': '{model}: số người ở mỗi bước hiện tại',
  Stages: 'Giai đoạn',
  'People now': 'Số người hiện tại',
  Attribution: 'Phân bổ',
  'First touch': 'Điểm chạm đầu tiên',
  'Last touch': 'Điểm chạm gần nhất',
  'No new visitors in this window.': 'Không có khách truy cập mới trong khoảng thời gian này.',
  'New visitors, leads, MQLs and customers per channel (first touch)':
    'Khách truy cập mới, khách hàng tiềm năng, MQL và khách hàng theo kênh (điểm chạm đầu tiên)',
  'New visitors, leads, MQLs and customers per channel (last touch)':
    'Khách truy cập mới, khách hàng tiềm năng, MQL và khách hàng theo kênh (điểm chạm gần nhất)',
  'Lead rate': 'Tỷ lệ thành khách hàng tiềm năng',
  Visitors: 'Khách truy cập',
  Leads: 'Khách hàng tiềm năng',
  MQLs: 'MQL',
  Customers: 'Khách hàng',
  '{rate} became leads': '{rate} thành khách hàng tiềm năng',
  '{n} visitor|{n} visitors': '{n} khách truy cập',
  '{n} lead|{n} leads': '{n} khách hàng tiềm năng',
  '{n} MQL|{n} MQLs': '{n} MQL',
  '{n} customer|{n} customers': '{n} khách hàng',
  'No form was shown in this window.':
    'Không có biểu mẫu nào được hiển thị trong khoảng thời gian này.',
  'Form views and submissions': 'Lượt xem và lượt gửi biểu mẫu',
  Conversion: 'Tỷ lệ chuyển đổi',
  Views: 'Lượt xem',
  Submissions: 'Lượt gửi',
  '{rate} converted · {dismissed} dismissed': '{rate} chuyển đổi · {dismissed} lượt đóng',
  '{n} view|{n} views': '{n} lượt xem',
  '{n} submission|{n} submissions': '{n} lượt gửi',
});

/**
 * The seeds' funnel models (`FUNNEL_MODELS` of shared/funnel.ts) in Vietnamese, by model id and
 * step id, named as the Vietnamese seed articles name them. The API sends the English labels; a
 * model or step not listed here (a newer collector's) shows its English label.
 */
const MODELS_VI: Record<string, { label: string; steps: Record<string, string> }> = {
  // Seed 002: "Phễu CRM có bốn giai đoạn: nhận thức, quan tâm, quyết định, hành động".
  crm_funnel: {
    label: 'Phễu CRM',
    steps: {
      awareness: 'Nhận thức',
      interest: 'Quan tâm',
      decision: 'Quyết định',
      action: 'Hành động',
    },
  },
  // Seed 000: "năm giai đoạn: tiếp cận, mua hàng, chuyển đổi, giữ chân và trung thành".
  customer_lifecycle: {
    label: 'Vòng đời khách hàng',
    steps: {
      reach: 'Tiếp cận',
      acquisition: 'Mua hàng',
      conversion: 'Chuyển đổi',
      retention: 'Giữ chân',
      loyalty: 'Trung thành',
    },
  },
  // Seed 003: the five stages of "hành trình trải nghiệm khách hàng".
  cx_journey: {
    label: 'Hành trình trải nghiệm khách hàng',
    steps: {
      awareness: 'Nhận biết',
      consideration: 'Cân nhắc',
      decision: 'Ra quyết định',
      retention: 'Giữ chân khách hàng',
      advocacy: 'Ủng hộ thương hiệu',
    },
  },
};

/** A funnel model's name in the dashboard's language. */
const modelLabel = (m: { id: string; label: string }): string =>
  (lang() === 'vi' && MODELS_VI[m.id]?.label) || m.label;

/** A model step's name in the dashboard's language. */
const stepLabel = (modelId: string, s: { id: string; label: string }): string =>
  (lang() === 'vi' && MODELS_VI[modelId]?.steps[s.id]) || s.label;

/** A moment's day as `yyyy-mm-dd`, in UTC: the API reads a date-only `from`/`to` as UTC days. */
const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** A window's first and last day (its `to` is exclusive), as the date fields take them. */
const windowDays = (w: { from: string; to: string }) => ({
  from: day(Date.parse(w.from)),
  to: day(Date.parse(w.to) - 1),
});

/** A `yyyy-mm-dd` day for people, in the dashboard's language: `Oct 25, 2026`, `25 thg 10, 2026`. */
const dayText = (d: string) =>
  new Intl.DateTimeFormat(locale(), { dateStyle: 'medium', timeZone: 'UTC' }).format(
    new Date(`${d}T00:00:00Z`),
  );

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
  // The window in force: the one asked for, else the one the API chose (the last 30 days), so
  // the fields show the dates the reports are for.
  const shown = funnel.data ? windowDays(funnel.data) : null;

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
      <PageHeading title={t('Reports')} />
      <form
        ref={keep.form}
        class="filters"
        onSubmit={submit}
        aria-label={t('Report window')}
        key={params.toString()}
      >
        <label>
          {t('From')}
          <input
            type="date"
            name="from"
            defaultValue={from || shown?.from}
            aria-invalid={backwards ? 'true' : undefined}
            aria-describedby={backwards ? 'window-error' : undefined}
          />
        </label>
        <label>
          {t('To')}
          <input
            type="date"
            name="to"
            defaultValue={to || shown?.to}
            aria-invalid={backwards ? 'true' : undefined}
            aria-describedby={backwards ? 'window-error' : undefined}
          />
        </label>
        <div class="actions">
          <button type="submit" class="primary">
            {t('Show')}
          </button>
          <span class="muted small">
            {backwards
              ? ''
              : shown
                ? t(from || to ? '{from} to {to}' : 'Last 30 days: {from} to {to}', {
                    from: dayText(shown.from),
                    to: dayText(shown.to),
                  })
                : from || to
                  ? ''
                  : t('Last 30 days')}
          </span>
        </div>
      </form>
      {backwards && (
        <p id="window-error" class="problem" role="alert">
          {t('“From” must be on or before “To”.')}
        </p>
      )}
      {!backwards && (
        <div class="grid">
          <Card title={t('Lifecycle funnel')} wide>
            {funnel.error && <Problem error={funnel.error} />}
            {funnel.loading && !funnel.data && <Loading />}
            {funnel.data && <Funnel report={funnel.data} />}
          </Card>
          {funnel.data && <Models report={funnel.data} />}
          <Card title={t('Channels')} wide>
            {channels.error && <Problem error={channels.error} />}
            {channels.loading && !channels.data && <Loading />}
            {channels.data && <Channels report={channels.data} />}
          </Card>
          <Card title={t('Forms')} wide>
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
        title={t('Lifecycle funnel: entries in the window and people in each stage now')}
        // Its figures are in the table below.
        table={false}
        series={[
          { key: 'entered', label: t('Entered in the window') },
          { key: 'now', label: t('In the stage now') },
        ]}
        groups={forward.map((s) => ({
          label: stageLabel(s.stage),
          note:
            s.conversionRate === null
              ? ''
              : t('{rate} moved on', { rate: percent(s.conversionRate) }),
          values: [
            { value: s.entered, text: t('{n} entered', { n: s.entered }) },
            { value: s.count, text: t('{n} now', { n: s.count }) },
          ],
        }))}
      />
      <TableWrap label={t('Funnel figures')}>
        {/* On a phone each stage stacks its figures, each named, instead of hiding columns. */}
        <table class="compact stack funnel">
          <caption class="sr-only">{t('Funnel figures per stage')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('Stage')}</th>
              <th scope="col" class="num">
                {t('Now')}
              </th>
              <th scope="col" class="num">
                {t('Entered')}
              </th>
              <th scope="col" class="num">
                {t('Moved on')}
              </th>
              <th scope="col" class="num">
                {t('Median time')}
              </th>
              <th scope="col" class="num">
                {t('p90 time')}
              </th>
            </tr>
          </thead>
          <tbody>
            {[...forward, ...exits].map((s) => (
              <tr key={s.stage}>
                <th scope="row">{stageLabel(s.stage)}</th>
                <td class="num" data-label={t('Now')}>
                  {num(s.count)}
                </td>
                <td class="num" data-label={t('Entered')}>
                  {num(s.entered)}
                </td>
                <td class="num" data-label={t('Moved on')}>
                  {percent(s.conversionRate)}
                </td>
                <td class="num" data-label={t('Median time')}>
                  {duration(s.timeInStage.medianSeconds)}
                </td>
                <td class="num" data-label={t('p90 time')}>
                  {duration(s.timeInStage.p90Seconds)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableWrap>
      <div class="reasons">
        {(['lost', 'disqualified'] as const).map((k) => (
          <div key={k}>
            <h3>{k === 'lost' ? t('Why deals were lost') : t('Why leads were disqualified')}</h3>
            {report.reasons[k].length === 0 ? (
              <p class="muted">{t('None in this window.')}</p>
            ) : (
              <ul>
                {report.reasons[k].map((r) => (
                  <li key={r.reason}>
                    <span>{r.reason}</span> <strong>{num(r.count)}</strong>
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
        <Card key={m.id} title={t('{model} (seed {seed})', { model: modelLabel(m), seed: m.seed })}>
          <BarChart
            title={t('{model}: people per step now', { model: modelLabel(m) })}
            noteLabel={t('Stages')}
            series={[{ key: 'count', label: t('People now') }]}
            groups={m.steps.map((s) => ({
              label: stepLabel(m.id, s),
              note: s.stages.map(stageLabel).join(', '),
              values: [{ value: s.count, text: `${num(s.count)} · ${percent(s.share)}` }],
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
        <legend class="sr-only">{t('Attribution')}</legend>
        {(['firstTouch', 'lastTouch'] as const).map((k) => (
          <button key={k} type="button" aria-pressed={touch === k} onClick={() => setTouch(k)}>
            {k === 'firstTouch' ? t('First touch') : t('Last touch')}
          </button>
        ))}
      </fieldset>
      {rows.length === 0 ? (
        <p class="muted">{t('No new visitors in this window.')}</p>
      ) : (
        <BarChart
          title={
            touch === 'firstTouch'
              ? t('New visitors, leads, MQLs and customers per channel (first touch)')
              : t('New visitors, leads, MQLs and customers per channel (last touch)')
          }
          noteLabel={t('Lead rate')}
          series={[
            { key: 'visitors', label: t('Visitors') },
            { key: 'leads', label: t('Leads') },
            { key: 'mqls', label: t('MQLs') },
            { key: 'customers', label: t('Customers') },
          ]}
          groups={rows.map((r) => ({
            label: channelLabel(r.channel),
            note: t('{rate} became leads', { rate: percent(r.leadRate) }),
            values: [
              { value: r.visitors, text: t('{n} visitor|{n} visitors', { n: r.visitors }) },
              { value: r.leads, text: t('{n} lead|{n} leads', { n: r.leads }) },
              { value: r.mqls, text: t('{n} MQL|{n} MQLs', { n: r.mqls }) },
              { value: r.customers, text: t('{n} customer|{n} customers', { n: r.customers }) },
            ],
          }))}
        />
      )}
    </>
  );
}

function Forms({ report }: { report: FormsReport }) {
  const formName = useFormNames();
  if (report.forms.length === 0)
    return <p class="muted">{t('No form was shown in this window.')}</p>;
  return (
    <BarChart
      title={t('Form views and submissions')}
      noteLabel={t('Conversion')}
      series={[
        { key: 'views', label: t('Views') },
        { key: 'submissions', label: t('Submissions') },
      ]}
      groups={report.forms.map((f) => ({
        label: formName(f.formId),
        note: t('{rate} converted · {dismissed} dismissed', {
          rate: percent(f.conversionRate),
          dismissed: f.dismissals,
        }),
        values: [
          { value: f.views, text: t('{n} view|{n} views', { n: f.views }) },
          { value: f.submissions, text: t('{n} submission|{n} submissions', { n: f.submissions }) },
        ],
      }))}
    />
  );
}
