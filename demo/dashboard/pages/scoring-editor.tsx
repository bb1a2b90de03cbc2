/**
 * The scoring editor: the marketer sets who is a good fit (rules on traits), what engagement is
 * worth (rules on events), the MQL threshold, decay and caps (DESIGN §8), without writing JSON.
 * Saved with `PUT /v1/scoring` and `If-Match` (a save over someone else's newer rules is refused,
 * not lost), then the rescoring job's progress is shown until every lead has its new score.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import type {
  EngagementRule,
  FitRule,
  Primitive,
  ScoringRules,
} from '../../../shared/scoring-rules.ts';
import { slug } from '../../../shared/slug.ts';
import { EVENT_TYPES } from '../../../shared/wire.ts';
import { ApiError, api, apiTagged } from '../api.ts';
import {
  Check,
  ErrorSummary,
  type FieldErrors,
  Group,
  NumberInput,
  replaceAt,
  Select,
  saveErrors,
  TextInput,
} from '../edit.tsx';
import { fieldMessage } from '../field-errors.ts';
import { messages } from '../i18n.ts';
import { href } from '../router.ts';
import { Loading, PageHeading, Problem } from '../ui.tsx';
import { eventTypeLabel } from '../words.ts';

const t = messages({
  'Forms & scoring': 'Biểu mẫu & chấm điểm',
  'Scoring rules': 'Quy tắc chấm điểm',
  Rules: 'Quy tắc',
  'Load the current rules': 'Tải các quy tắc hiện tại',
  'Someone saved other rules since this page loaded. Load them, then make your change again.':
    'Đã có người lưu quy tắc khác sau khi trang này được tải. Hãy tải các quy tắc đó, rồi thực hiện lại thay đổi của bạn.',
  Thresholds: 'Ngưỡng',
  'MQL at (points)': 'Ngưỡng MQL (điểm)',
  'A lead with at least this score becomes marketing-qualified.':
    'Khách hàng tiềm năng đạt từ mức điểm này trở lên sẽ thành MQL (đã qua sàng lọc tiếp thị).',
  'Engagement half-life (days)': 'Chu kỳ bán rã điểm tương tác (ngày)',
  'Engagement points halve after this many days. Empty: they never fade.':
    'Điểm tương tác giảm một nửa sau số ngày này. Để trống: điểm không bao giờ giảm.',
  'Cap on fit points': 'Mức trần điểm phù hợp',
  'Cap on engagement points': 'Mức trần điểm tương tác',
  'Cap on the total': 'Mức trần tổng điểm',
  'Empty: no cap.': 'Để trống: không có mức trần.',
  '{n} rule|{n} rules': '{n} quy tắc',
  'Fit: who they are ({rules})': 'Mức phù hợp: họ là ai ({rules})',
  'Fit rule {n}': 'Quy tắc phù hợp {n}',
  'Remove fit rule {n}': 'Xóa quy tắc phù hợp {n}',
  'Add a fit rule': 'Thêm quy tắc phù hợp',
  'Engagement: what they do ({rules})': 'Mức tương tác: họ làm gì ({rules})',
  'Points per matching event. Every condition given must hold; an empty one matches all. Name is a track or click name; in a page URL, * matches anything ({example}).':
    'Điểm cho mỗi sự kiện khớp. Mọi điều kiện đã nhập đều phải đúng; điều kiện để trống khớp với tất cả. Tên là tên của sự kiện tùy chỉnh hoặc nhấp chuột; trong URL trang, * khớp với mọi thứ ({example}).',
  'Engagement rule {n}': 'Quy tắc tương tác {n}',
  'Remove engagement rule {n}': 'Xóa quy tắc tương tác {n}',
  'Add an engagement rule': 'Thêm quy tắc tương tác',
  Label: 'Nhãn',
  Trait: 'Thuộc tính',
  Condition: 'Điều kiện',
  Value: 'Giá trị',
  'Separate with commas.': 'Phân tách bằng dấu phẩy.',
  Points: 'Điểm',
  Remove: 'Xóa',
  Event: 'Sự kiện',
  'Any event': 'Mọi sự kiện',
  Name: 'Tên',
  'Form id': 'ID biểu mẫu',
  'Page URL': 'URL trang',
  'Points per event': 'Điểm mỗi sự kiện',
  'At most (points)': 'Tối đa (điểm)',
  'Count only the latest event': 'Chỉ tính sự kiện gần nhất',
  'Also requires the properties {properties} (kept as they are).':
    'Còn yêu cầu các thuộc tính sự kiện {properties} (được giữ nguyên).',
  'Save and rescore': 'Lưu và chấm điểm lại',
  'Saved as version {version}.': 'Đã lưu thành phiên bản {version}.',
  'Rescoring failed; scores update as leads act.':
    'Chấm điểm lại không thành công; điểm sẽ cập nhật khi khách hàng tiềm năng có hoạt động mới.',
  'Every lead rescored ({n}).': 'Đã chấm điểm lại mọi khách hàng tiềm năng ({n}).',
  'Rescoring leads: {done} of {total}…': 'Đang chấm điểm lại khách hàng tiềm năng: {done}/{total}…',
  'Rescoring leads…': 'Đang chấm điểm lại khách hàng tiềm năng…',
  is: 'là',
  'is not': 'không phải là',
  'is one of': 'là một trong',
  'contains any of': 'chứa một trong',
  'is filled in': 'đã được điền',
  'is empty': 'trống',
  'is at least': 'tối thiểu là',
  'is at most': 'tối đa là',
  'is a free email (Gmail, Yahoo…)': 'là email miễn phí (Gmail, Yahoo…)',
  'is a work email': 'là email công việc',
});

/**
 * A text with one `{slot}` split around it, so an element (a `<code>`) can stand in the slot.
 *
 * @example const [before, after] = around(t('Uses {x}.'), 'x'); <>{before}<code>x</code>{after}</>
 */
const around = (text: string, slot: string): [string, string] => {
  const [before = '', after = ''] = text.split(`{${slot}}`);
  return [before, after];
};

/**
 * A fit rule's condition as the marketer picks it: the operator and, for `exists` and
 * `freeEmailDomain`, its boolean value in one choice.
 */
type Cond =
  | 'eq'
  | 'neq'
  | 'in'
  | 'contains'
  | 'exists'
  | 'missing'
  | 'gte'
  | 'lte'
  | 'free'
  | 'work';

/** The conditions with their English labels (translated where they are drawn). */
const CONDS = [
  ['eq', 'is'],
  ['neq', 'is not'],
  ['in', 'is one of'],
  ['contains', 'contains any of'],
  ['exists', 'is filled in'],
  ['missing', 'is empty'],
  ['gte', 'is at least'],
  ['lte', 'is at most'],
  ['free', 'is a free email (Gmail, Yahoo…)'],
  ['work', 'is a work email'],
] as const satisfies readonly (readonly [Cond, string])[];

/** Conditions that compare with a value the marketer types. */
const WITH_VALUE = new Set<Cond>(['eq', 'neq', 'in', 'contains', 'gte', 'lte']);

/** A fit rule being edited: the value as typed (a list is comma-separated). */
interface FitRow {
  id: string;
  label: string;
  trait: string;
  cond: Cond;
  value: string;
  points: number | undefined;
}

/** An engagement rule being edited; property conditions are kept as they were. */
interface EngagementRow {
  id: string;
  label: string;
  type: string;
  name: string;
  form: string;
  url: string;
  properties?: Record<string, Primitive | null>;
  points: number | undefined;
  once: boolean;
  max: number | undefined;
}

interface Draft {
  mqlThreshold: number | undefined;
  halfLifeDays: number | undefined;
  caps: { fit?: number; engagement?: number; total?: number };
  fit: FitRow[];
  engagement: EngagementRow[];
}

function condOf(r: FitRule): Cond {
  if (r.op === 'exists') return r.value === false ? 'missing' : 'exists';
  if (r.op === 'freeEmailDomain') return r.value === false ? 'work' : 'free';
  return r.op;
}

const toDraft = (r: ScoringRules): Draft => ({
  mqlThreshold: r.mqlThreshold,
  halfLifeDays: r.halfLifeDays ?? undefined,
  caps: { ...r.caps },
  fit: r.fit.map((f) => ({
    id: f.id,
    label: f.label,
    trait: f.trait,
    cond: condOf(f),
    value: Array.isArray(f.value)
      ? f.value.join(', ')
      : f.value === undefined
        ? ''
        : String(f.value),
    points: f.points,
  })),
  engagement: r.engagement.map((e) => ({
    id: e.id,
    label: e.label,
    type: e.event.type ?? '',
    name: e.event.name ?? '',
    form: e.event.form ?? '',
    url: e.event.url ?? '',
    properties: e.event.properties,
    points: e.points,
    once: !!e.once,
    max: e.max,
  })),
});

const list = (s: string) =>
  s
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);

/** A number as typed, or the text itself (the collector then says what is wrong, at the field). */
const numberOr = (s: string): number | string =>
  s.trim() !== '' && Number.isFinite(Number(s)) ? Number(s) : s;

function fitRule(r: FitRow, id: string): FitRule {
  const base = { id, label: r.label, trait: r.trait, points: r.points as number };
  switch (r.cond) {
    case 'exists':
      return { ...base, op: 'exists' };
    case 'missing':
      return { ...base, op: 'exists', value: false };
    case 'free':
      return { ...base, op: 'freeEmailDomain', value: true };
    case 'work':
      return { ...base, op: 'freeEmailDomain', value: false };
    case 'in':
      return { ...base, op: 'in', value: list(r.value) };
    case 'contains': {
      const v = list(r.value);
      return { ...base, op: 'contains', value: v.length === 1 ? (v[0] as string) : v };
    }
    case 'gte':
    case 'lte':
      return { ...base, op: r.cond, value: numberOr(r.value) as number };
    default:
      return { ...base, op: r.cond, value: r.value };
  }
}

const engagementRule = (r: EngagementRow, id: string): EngagementRule => ({
  id,
  label: r.label,
  event: {
    type: r.type || undefined,
    name: r.name || undefined,
    form: r.form || undefined,
    url: r.url || undefined,
    properties: r.properties,
  },
  points: r.points as number,
  once: r.once || undefined,
  max: r.max,
});

/**
 * The rules to PUT. New rules get an id from their label (kept unique); a rule keeps its id, so
 * the score breakdowns already stored still name it.
 */
function toRules(d: Draft): ScoringRules {
  const taken = new Set([...d.fit, ...d.engagement].map((r) => r.id).filter(Boolean));
  const idFor = (r: { id: string; label: string }, fallback: string) => {
    if (r.id) return r.id;
    const base = slug(r.label) || fallback;
    let id = base;
    for (let n = 2; taken.has(id); n++) id = `${base}-${n}`;
    taken.add(id);
    return id;
  };
  const caps = Object.fromEntries(Object.entries(d.caps).filter(([, v]) => v !== undefined));
  return {
    mqlThreshold: d.mqlThreshold as number,
    halfLifeDays: d.halfLifeDays ?? null,
    ...(Object.keys(caps).length ? { caps } : {}),
    fit: d.fit.map((r) => fitRule(r, idFor(r, 'fit'))),
    engagement: d.engagement.map((r) => engagementRule(r, idFor(r, 'engagement'))),
  };
}

/** `fit.2.value` → `Fit rule 3 (Work email) › value`, for the error summary. */
function describePath(path: string, d: Draft): string {
  const [part, i, ...rest] = path.split('.');
  if ((part === 'fit' || part === 'engagement') && i !== undefined && /^\d+$/.test(i)) {
    const label = d[part][Number(i)]?.label;
    const n = Number(i) + 1;
    const what = part === 'fit' ? t('Fit rule {n}', { n }) : t('Engagement rule {n}', { n });
    return [`${what}${label ? ` (${label})` : ''}`, ...rest].join(' › ');
  }
  return path ? path.split('.').join(' › ') : t('Rules');
}

interface Job {
  id: string;
  status: 'running' | 'done' | 'failed';
  done?: number;
  total?: number;
}

export function ScoringEditorPage() {
  const [loaded, setLoaded] = useState<{ data: ScoringRules; etag: string | null } | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [round, setRound] = useState(0);
  useEffect(() => {
    let live = true;
    setError(null);
    apiTagged<ScoringRules>('/v1/scoring').then(
      (r) => live && setLoaded(r),
      (e: unknown) => live && setError(e instanceof ApiError ? e : new ApiError(0, String(e))),
    );
    return () => {
      live = false;
    };
  }, [round]);
  return (
    <>
      <p class="crumbs">
        <a href={href(['setup'])}>{t('Forms & scoring')}</a>
      </p>
      <PageHeading title={t('Scoring rules')} />
      {error && <Problem error={error} />}
      {!loaded && !error && <Loading />}
      {loaded && (
        <RulesEditor
          key={`${loaded.etag}:${round}`}
          initial={loaded.data}
          etag={loaded.etag}
          reload={() => {
            setLoaded(null);
            setRound((n) => n + 1);
          }}
        />
      )}
    </>
  );
}

const TRAITS = ['email', 'name', 'company', 'title', 'phone', 'country', 'industry', 'employees'];

/** The event choices, in the language of the moment. */
const eventOptions = (): readonly (readonly [string, string])[] => [
  ['', t('Any event')],
  ...EVENT_TYPES.map((e) => [e, eventTypeLabel(e)] as const),
];

function RulesEditor({
  initial,
  etag: initialEtag,
  reload,
}: {
  initial: ScoringRules;
  etag: string | null;
  reload(): void;
}) {
  const [d, setD] = useState(() => toDraft(initial));
  const [etag, setEtag] = useState(initialEtag);
  const [errors, setErrors] = useState<FieldErrors>([]);
  const [problem, setProblem] = useState('');
  const [stale, setStale] = useState(false);
  const [busy, setBusy] = useState(false);
  const [job, setJob] = useState<(Job & { version: number }) | null>(null);
  const [focus, setFocus] = useState<string | null>(null);
  const summary = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!focus) return;
    document.querySelector<HTMLElement>(`[data-path="${focus}"]`)?.focus();
    setFocus(null);
  }, [focus]);

  // Rescoring progress, every half second until the job ends.
  useEffect(() => {
    if (job?.status !== 'running') return;
    const timer = setTimeout(async () => {
      try {
        const j = await api<Job>(`/v1/scoring/jobs/${encodeURIComponent(job.id)}`);
        setJob({ ...j, version: job.version });
      } catch {
        setJob({ ...job, status: 'failed' });
      }
    }, 500);
    return () => clearTimeout(timer);
  }, [job]);

  const change = (f: (d: Draft) => Draft) => {
    setD(f);
    setJob(null);
  };
  const setFit = (i: number, patch: Partial<FitRow>) =>
    change((x) => ({ ...x, fit: replaceAt(x.fit, i, (r) => ({ ...r, ...patch })) }));
  const setEng = (i: number, patch: Partial<EngagementRow>) =>
    change((x) => ({ ...x, engagement: replaceAt(x.engagement, i, (r) => ({ ...r, ...patch })) }));

  const save = async (e: Event) => {
    e.preventDefault();
    if (busy) return;
    setBusy(true);
    try {
      const res = await apiTagged<{
        rules: ScoringRules;
        version: number;
        job: Job;
      }>('/v1/scoring', {
        method: 'PUT',
        body: JSON.stringify(toRules(d)),
        headers: etag ? { 'if-match': etag } : {},
      });
      setErrors([]);
      setProblem('');
      setStale(false);
      setEtag(res.etag);
      setD(toDraft(res.data.rules));
      setJob({ ...res.data.job, version: res.data.version });
    } catch (err) {
      const { fields, text } = saveErrors(err);
      setErrors(fields);
      setStale(err instanceof ApiError && err.status === 412);
      // A refusal over newer rules is told at render time (`stale`), in the language of then.
      setProblem(err instanceof ApiError && err.status === 412 ? '' : text);
      setTimeout(() => summary.current?.focus());
    } finally {
      setBusy(false);
    }
  };

  const fitErrors = (i: number) =>
    errors.filter((x) => x.path === `fit.${i}`).map((x) => fieldMessage(x.message));
  const engErrors = (i: number) =>
    errors
      .filter((x) => x.path === `engagement.${i}` || x.path === `engagement.${i}.event`)
      .map((x) => fieldMessage(x.message));

  const conds = CONDS.map(([v, label]) => [v, t(label)] as const);
  const events = eventOptions();
  const capLabels = {
    fit: t('Cap on fit points'),
    engagement: t('Cap on engagement points'),
    total: t('Cap on the total'),
  };
  const [hintBefore, hintAfter] = around(
    t(
      'Points per matching event. Every condition given must hold; an empty one matches all. Name is a track or click name; in a page URL, * matches anything ({example}).',
    ),
    'example',
  );
  const [propsBefore, propsAfter] = around(
    t('Also requires the properties {properties} (kept as they are).'),
    'properties',
  );

  return (
    <form class="editor" onSubmit={save} aria-label={t('Scoring rules')}>
      <ErrorSummary
        errors={errors}
        text={
          stale
            ? t(
                'Someone saved other rules since this page loaded. Load them, then make your change again.',
              )
            : problem
        }
        describe={(p) => describePath(p, d)}
        summaryRef={summary}
      />
      {stale && (
        <p>
          <button type="button" onClick={reload}>
            {t('Load the current rules')}
          </button>
        </p>
      )}
      <Group title={t('Thresholds')}>
        <div class="row">
          <NumberInput
            label={t('MQL at (points)')}
            hint={t('A lead with at least this score becomes marketing-qualified.')}
            path="mqlThreshold"
            errors={errors}
            required
            min={0}
            value={d.mqlThreshold}
            onValue={(v) => change((x) => ({ ...x, mqlThreshold: v }))}
          />
          <NumberInput
            label={t('Engagement half-life (days)')}
            hint={t('Engagement points halve after this many days. Empty: they never fade.')}
            path="halfLifeDays"
            errors={errors}
            min={0}
            value={d.halfLifeDays}
            onValue={(v) => change((x) => ({ ...x, halfLifeDays: v }))}
          />
        </div>
        <div class="row">
          {(['fit', 'engagement', 'total'] as const).map((k) => (
            <NumberInput
              key={k}
              label={capLabels[k]}
              path={`caps.${k}`}
              errors={errors}
              min={0}
              hint={k === 'total' ? t('Empty: no cap.') : undefined}
              value={d.caps[k]}
              onValue={(v) => change((x) => ({ ...x, caps: { ...x.caps, [k]: v } }))}
            />
          ))}
        </div>
      </Group>

      <Group
        title={t('Fit: who they are ({rules})', {
          rules: t('{n} rule|{n} rules', { n: d.fit.length }),
        })}
      >
        <datalist id="trait-names">
          {TRAITS.map((trait) => (
            <option key={trait} value={trait} />
          ))}
        </datalist>
        <ol class="rule-list">
          {d.fit.map((r, i) => (
            <li key={i}>
              <fieldset class="rule">
                <legend>
                  {t('Fit rule {n}', { n: i + 1 })}
                  {r.label ? `: ${r.label}` : ''}
                </legend>
                <div class="row">
                  <TextInput
                    label={t('Label')}
                    path={`fit.${i}.label`}
                    errors={errors}
                    required
                    maxLength={200}
                    value={r.label}
                    onValue={(label) => setFit(i, { label })}
                  />
                  <TextInput
                    label={t('Trait')}
                    path={`fit.${i}.trait`}
                    errors={errors}
                    list="trait-names"
                    required
                    maxLength={200}
                    value={r.trait}
                    onValue={(trait) => setFit(i, { trait })}
                  />
                  <Select
                    label={t('Condition')}
                    path={`fit.${i}.op`}
                    errors={errors}
                    value={r.cond}
                    options={conds}
                    onValue={(cond) => setFit(i, { cond })}
                  />
                  {WITH_VALUE.has(r.cond) && (
                    <TextInput
                      label={t('Value')}
                      hint={
                        r.cond === 'in' || r.cond === 'contains'
                          ? t('Separate with commas.')
                          : undefined
                      }
                      path={`fit.${i}.value`}
                      errors={errors}
                      value={r.value}
                      onValue={(value) => setFit(i, { value })}
                    />
                  )}
                  <NumberInput
                    label={t('Points')}
                    path={`fit.${i}.points`}
                    errors={errors}
                    required
                    value={r.points}
                    onValue={(points) => setFit(i, { points })}
                  />
                </div>
                {fitErrors(i).map((m) => (
                  <p key={m} class="field-error">
                    {m}
                  </p>
                ))}
                <button
                  type="button"
                  aria-label={`${t('Remove fit rule {n}', { n: i + 1 })}${r.label ? ` (${r.label})` : ''}`}
                  onClick={() => change((x) => ({ ...x, fit: x.fit.filter((_, j) => j !== i) }))}
                >
                  {t('Remove')}
                </button>
              </fieldset>
            </li>
          ))}
        </ol>
        <button
          type="button"
          disabled={d.fit.length >= 200}
          onClick={() => {
            change((x) => ({
              ...x,
              fit: [
                ...x.fit,
                { id: '', label: '', trait: '', cond: 'exists', value: '', points: 5 },
              ],
            }));
            setFocus(`fit.${d.fit.length}.label`);
          }}
        >
          {t('Add a fit rule')}
        </button>
      </Group>

      <Group
        title={t('Engagement: what they do ({rules})', {
          rules: t('{n} rule|{n} rules', { n: d.engagement.length }),
        })}
      >
        <p class="muted small">
          {hintBefore}
          <code>*/pricing*</code>
          {hintAfter}
        </p>
        <ol class="rule-list">
          {d.engagement.map((r, i) => (
            <li key={i}>
              <fieldset class="rule">
                <legend>
                  {t('Engagement rule {n}', { n: i + 1 })}
                  {r.label ? `: ${r.label}` : ''}
                </legend>
                <div class="row">
                  <TextInput
                    label={t('Label')}
                    path={`engagement.${i}.label`}
                    errors={errors}
                    required
                    maxLength={200}
                    value={r.label}
                    onValue={(label) => setEng(i, { label })}
                  />
                  <Select
                    label={t('Event')}
                    path={`engagement.${i}.event.type`}
                    errors={errors}
                    value={r.type}
                    options={events}
                    onValue={(type) => setEng(i, { type })}
                  />
                  <TextInput
                    label={t('Name')}
                    path={`engagement.${i}.event.name`}
                    errors={errors}
                    maxLength={200}
                    value={r.name}
                    onValue={(name) => setEng(i, { name })}
                  />
                  <TextInput
                    label={t('Form id')}
                    path={`engagement.${i}.event.form`}
                    errors={errors}
                    maxLength={200}
                    value={r.form}
                    onValue={(form) => setEng(i, { form })}
                  />
                  <TextInput
                    label={t('Page URL')}
                    path={`engagement.${i}.event.url`}
                    errors={errors}
                    maxLength={2048}
                    value={r.url}
                    onValue={(url) => setEng(i, { url })}
                  />
                </div>
                <div class="row">
                  <NumberInput
                    label={t('Points per event')}
                    path={`engagement.${i}.points`}
                    errors={errors}
                    required
                    value={r.points}
                    onValue={(points) => setEng(i, { points })}
                  />
                  <NumberInput
                    label={t('At most (points)')}
                    path={`engagement.${i}.max`}
                    errors={errors}
                    min={0}
                    value={r.max}
                    onValue={(max) => setEng(i, { max })}
                  />
                  <Check
                    label={t('Count only the latest event')}
                    path={`engagement.${i}.once`}
                    errors={errors}
                    checked={r.once}
                    onValue={(once) => setEng(i, { once })}
                  />
                </div>
                {r.properties && (
                  <p class="muted small">
                    {propsBefore}
                    <code>{JSON.stringify(r.properties)}</code>
                    {propsAfter}
                  </p>
                )}
                {engErrors(i).map((m) => (
                  <p key={m} class="field-error">
                    {m}
                  </p>
                ))}
                <button
                  type="button"
                  aria-label={`${t('Remove engagement rule {n}', { n: i + 1 })}${r.label ? ` (${r.label})` : ''}`}
                  onClick={() =>
                    change((x) => ({ ...x, engagement: x.engagement.filter((_, j) => j !== i) }))
                  }
                >
                  {t('Remove')}
                </button>
              </fieldset>
            </li>
          ))}
        </ol>
        <button
          type="button"
          disabled={d.engagement.length >= 200}
          onClick={() => {
            change((x) => ({
              ...x,
              engagement: [
                ...x.engagement,
                {
                  id: '',
                  label: '',
                  type: 'pageview',
                  name: '',
                  form: '',
                  url: '',
                  points: 1,
                  once: false,
                  max: undefined,
                },
              ],
            }));
            setFocus(`engagement.${d.engagement.length}.label`);
          }}
        >
          {t('Add an engagement rule')}
        </button>
      </Group>

      <div class="actions">
        <button type="submit" class="primary" aria-disabled={busy ? 'true' : undefined}>
          {t('Save and rescore')}
        </button>
        <p class="muted small" role="status">
          {job && jobText(job)}
        </p>
      </div>
    </form>
  );
}

function jobText(job: Job & { version: number }): string {
  // A version is a name, not an amount: no thousands separator.
  const saved = t('Saved as version {version}.', { version: String(job.version) });
  if (job.status === 'failed')
    return `${saved} ${t('Rescoring failed; scores update as leads act.')}`;
  if (job.status === 'done')
    return `${saved} ${t('Every lead rescored ({n}).', { n: job.total ?? 0 })}`;
  return job.total
    ? `${saved} ${t('Rescoring leads: {done} of {total}…', { done: job.done ?? 0, total: job.total })}`
    : `${saved} ${t('Rescoring leads…')}`;
}
