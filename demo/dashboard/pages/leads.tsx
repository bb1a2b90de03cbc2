/** The leads table: filters (stage, score range, channel, search), sort and cursor paging. */
import { useState } from 'preact/hooks';
import type { Segment } from '../../../collector/api/segments-schema.ts';
import type { Lead } from '../../../collector/openapi/contract.ts';
import { ALL_STAGES, CHANNELS } from '../../../shared/funnel.ts';
import { ApiError, api, query } from '../api.ts';
import { messages } from '../i18n.ts';
import { href } from '../router.ts';
import {
  channelLabel,
  Loading,
  num,
  PageHeading,
  Problem,
  StageBadge,
  stageLabel,
  TableWrap,
  takeNotice,
  useKeptFocus,
  when,
} from '../ui.tsx';
import { useApi } from '../use-api.ts';
import { ExportCsv } from './export-csv.tsx';

const t = messages({
  Leads: 'Khách hàng tiềm năng',
  'Filter leads': 'Lọc khách hàng tiềm năng',
  Search: 'Tìm kiếm',
  'email or name': 'email hoặc tên',
  Segment: 'Phân khúc',
  'All leads': 'Tất cả khách hàng tiềm năng',
  Stage: 'Giai đoạn',
  'Any stage': 'Mọi giai đoạn',
  Channel: 'Kênh',
  'Any channel': 'Mọi kênh',
  'Min score': 'Điểm tối thiểu',
  'Max score': 'Điểm tối đa',
  Sort: 'Sắp xếp',
  'Score, highest first': 'Điểm cao nhất trước',
  'Newest first': 'Mới nhất trước',
  'Recently seen': 'Truy cập gần đây',
  'Oldest first': 'Cũ nhất trước',
  Apply: 'Áp dụng',
  Reset: 'Đặt lại',
  'No leads match these filters.': 'Không có khách hàng tiềm năng nào khớp với bộ lọc.',
  '{n} lead shown|{n} leads shown': 'Đang hiển thị {n} khách hàng tiềm năng',
  'Leads matching the filters': 'Khách hàng tiềm năng khớp với bộ lọc',
  Lead: 'Khách hàng tiềm năng',
  Score: 'Điểm',
  Created: 'Ngày tạo',
  'Last seen': 'Truy cập gần nhất',
  Pages: 'Phân trang',
  '← Previous': '← Trang trước',
  'Page {n}': 'Trang {n}',
  'Next →': 'Trang sau →',
  'Saved “{name}”.': 'Đã lưu “{name}”.',
  'Save these filters as a segment': 'Lưu bộ lọc này thành phân khúc',
  'Segment name': 'Tên phân khúc',
  'e.g. Hot paid-search leads': 'VD: Khách hàng tiềm năng nóng từ tìm kiếm trả phí',
  'Save segment': 'Lưu phân khúc',
});

const FILTERS = ['segment', 'stage', 'minScore', 'maxScore', 'channel', 'q', 'sort'] as const;
const SORTS = [
  ['-score', 'Score, highest first'],
  ['-createdAt', 'Newest first'],
  ['-lastSeenAt', 'Recently seen'],
  ['createdAt', 'Oldest first'],
] as const;
const PAGE = 25;

export function LeadsPage({ params }: { params: URLSearchParams }) {
  const filters = Object.fromEntries(FILTERS.map((f) => [f, params.get(f) ?? ''])) as Record<
    (typeof FILTERS)[number],
    string
  >;
  const cursor = params.get('cursor') ?? '';
  const list = useApi<{ data: Lead[]; nextCursor: string | null }>(
    `/v1/leads${query({ ...filters, sort: filters.sort || '-score', limit: PAGE, cursor })}`,
  );
  // Cursors of the pages before this one, to go back (the API pages forwards only).
  const [trail, setTrail] = useState<string[]>([]);
  // The page's place in the list, when known: pages reached with Next (a cursor opened from a
  // link has no trail, and its place is not known).
  const pageNo = !cursor ? 1 : trail.length > 0 ? trail.length + 1 : 0;
  /** ` (26–50)`, when the list runs over more than one page and this page's place is known. */
  const range = (n: number, more: boolean) =>
    pageNo && n && (more || pageNo > 1)
      ? ` (${num((pageNo - 1) * PAGE + 1)}–${num((pageNo - 1) * PAGE + n)})`
      : '';
  // A lead just erased from its page: said once, here, where the list no longer has it.
  const [erased] = useState(takeNotice);
  const segments = useApi<{ data: Segment[] }>('/v1/segments');
  const keep = useKeptFocus(params.toString());

  const go = (next: Record<string, string>, newCursor = '') => {
    location.hash = href(['leads'], { ...next, cursor: newCursor });
  };
  const apply = (e: Event) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget as HTMLFormElement);
    keep.remember();
    setTrail([]);
    go(Object.fromEntries(FILTERS.map((f) => [f, String(form.get(f) ?? '').trim()])));
  };

  return (
    <>
      <PageHeading title={t('Leads')} />
      <form
        ref={keep.form}
        class="filters leads-filters"
        onSubmit={apply}
        aria-label={t('Filter leads')}
        key={params.toString()}
      >
        <label>
          {t('Search')}
          <input name="q" type="search" placeholder={t('email or name')} defaultValue={filters.q} />
        </label>
        <label>
          {t('Segment')}
          <select name="segment">
            <option value="">{t('All leads')}</option>
            {segments.data?.data.map((sg) => (
              <option key={sg.id} value={sg.id} selected={filters.segment === sg.id}>
                {sg.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('Stage')}
          <select name="stage">
            <option value="">{t('Any stage')}</option>
            {ALL_STAGES.filter((s) => s !== 'visitor').map((s) => (
              <option key={s} value={s} selected={filters.stage === s}>
                {stageLabel(s)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('Channel')}
          <select name="channel">
            <option value="">{t('Any channel')}</option>
            {CHANNELS.map((c) => (
              <option key={c} value={c} selected={filters.channel === c}>
                {channelLabel(c)}
              </option>
            ))}
          </select>
        </label>
        <label class="narrow">
          {t('Min score')}
          <input
            name="minScore"
            type="number"
            inputMode="numeric"
            defaultValue={filters.minScore}
          />
        </label>
        <label class="narrow">
          {t('Max score')}
          <input
            name="maxScore"
            type="number"
            inputMode="numeric"
            defaultValue={filters.maxScore}
          />
        </label>
        <label>
          {t('Sort')}
          <select name="sort">
            {SORTS.map(([v, l]) => (
              <option key={v} value={v} selected={(filters.sort || '-score') === v}>
                {t(l)}
              </option>
            ))}
          </select>
        </label>
        <div class="actions">
          <button type="submit" class="primary">
            {t('Apply')}
          </button>
          <a
            class="button"
            href={href(['leads'])}
            onClick={() => {
              keep.remember();
              setTrail([]);
            }}
          >
            {t('Reset')}
          </a>
        </div>
      </form>
      <SaveSegment filters={filters} onSaved={segments.reload} />
      <ExportCsv filters={{ ...filters, sort: filters.sort || '-score' }} />
      {erased && (
        <p class="notice" role="alert">
          {erased}
        </p>
      )}
      {/* Empty while loading, so each new result is announced, even the same count again. */}
      <p class="muted small result-count" role="status">
        {list.loading || !list.data
          ? ''
          : list.data.data.length === 0
            ? t('No leads match these filters.')
            : `${t('{n} lead shown|{n} leads shown', { n: list.data.data.length })}${range(list.data.data.length, !!list.data.nextCursor)}`}
      </p>
      {list.error && <Problem error={list.error} />}
      {list.loading && !list.data && <Loading />}
      {list.data && (
        <>
          <TableWrap label={t('Leads')} busy={list.loading}>
            <table class="leads">
              <caption class="sr-only">{t('Leads matching the filters')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('Lead')}</th>
                  <th scope="col" class="num">
                    {t('Score')}
                  </th>
                  <th scope="col">{t('Stage')}</th>
                  <th scope="col" class="hide-s">
                    {t('Channel')}
                  </th>
                  <th scope="col" class="hide-s">
                    {t('Created')}
                  </th>
                  <th scope="col" class="hide-s">
                    {t('Last seen')}
                  </th>
                </tr>
              </thead>
              <tbody>
                {list.data.data.map((l) => (
                  <tr key={l.id}>
                    <td>
                      <a href={href(['leads', l.id])} class="lead-link">
                        {l.name || l.email || l.id}
                      </a>
                      {l.name && l.email && <div class="muted small">{l.email}</div>}
                    </td>
                    <td class="num">{num(Math.round(l.score?.total ?? 0) || 0)}</td>
                    <td>
                      <StageBadge stage={l.stage} />
                    </td>
                    <td class="hide-s">{channelLabel(l.firstTouch?.channel)}</td>
                    <td class="hide-s">{when(l.createdAt)}</td>
                    <td class="hide-s">{when(l.lastSeenAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
          <nav class="pager" aria-label={t('Pages')}>
            <button
              type="button"
              disabled={!cursor}
              onClick={() => {
                const prev = trail.slice(0, -1);
                setTrail(prev);
                go(filters, trail.at(-1) ?? '');
              }}
            >
              {t('← Previous')}
            </button>
            {pageNo > 0 && <span class="muted small">{t('Page {n}', { n: pageNo })}</span>}
            <button
              type="button"
              disabled={!list.data.nextCursor}
              onClick={() => {
                setTrail([...trail, cursor]);
                go(filters, list.data!.nextCursor!);
              }}
            >
              {t('Next →')}
            </button>
          </nav>
        </>
      )}
    </>
  );
}

/** Saves the filters in force (not the sort) as a named segment. */
function SaveSegment({
  filters,
  onSaved,
}: {
  filters: Record<string, string>;
  onSaved: () => void;
}) {
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const save = async (e: Event) => {
    e.preventDefault();
    const form = e.currentTarget as HTMLFormElement;
    const name = String(new FormData(form).get('name') ?? '').trim();
    const filter: Record<string, string | number> = {};
    for (const k of ['stage', 'channel', 'q'] as const) if (filters[k]) filter[k] = filters[k];
    for (const k of ['minScore', 'maxScore'] as const)
      if (filters[k] !== '' && Number.isFinite(Number(filters[k]))) filter[k] = Number(filters[k]);
    try {
      const seg = await api<Segment>('/v1/segments', {
        method: 'POST',
        body: JSON.stringify({ name, filter }),
      });
      form.reset();
      setMessage({ ok: true, text: t('Saved “{name}”.', { name: seg.name }) });
      onSaved();
    } catch (err) {
      const fields =
        err instanceof ApiError ? err.fields.map((f) => `${f.path}: ${f.message}`) : [];
      setMessage({ ok: false, text: [String((err as Error).message), ...fields].join(' · ') });
    }
  };
  return (
    <form class="save-segment" onSubmit={save} aria-label={t('Save these filters as a segment')}>
      <label>
        {t('Segment name')}
        <input name="name" required maxLength={200} placeholder={t('e.g. Hot paid-search leads')} />
      </label>
      <button type="submit">{t('Save segment')}</button>
      {message && (
        <p class={message.ok ? 'muted small' : 'problem'} role="status">
          {message.text}
        </p>
      )}
    </form>
  );
}
