/** The leads table: filters (stage, score range, channel, search), sort and cursor paging. */
import { useState } from 'preact/hooks';
import type { Segment } from '../../../collector/api/segments-schema.ts';
import type { Lead } from '../../../collector/openapi/contract.ts';
import { ALL_STAGES, CHANNELS } from '../../../shared/funnel.ts';
import { query } from '../api.ts';
import { messages } from '../i18n.ts';
import { href } from '../router.ts';
import {
  Breakable,
  channelLabel,
  Loading,
  num,
  PageHeading,
  Problem,
  StageBadge,
  score,
  stageLabel,
  TableWrap,
  takeNotice,
  useKeptFocus,
  when,
} from '../ui.tsx';
import { useApi } from '../use-api.ts';
import { ExportCsv } from './export-csv.tsx';
import { SaveSegment } from './save-segment.tsx';

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
  'Try other filters (a shorter search, a wider score range, another stage), or {reset} to see every lead.':
    'Hãy thử bộ lọc khác (từ khóa ngắn hơn, khoảng điểm rộng hơn, giai đoạn khác), hoặc {reset} để xem mọi khách hàng tiềm năng.',
  'reset the filters': 'đặt lại bộ lọc',
  'No leads yet. A visitor becomes a lead on filling in one of your forms (see Forms & scoring) or when your site identifies them.':
    'Chưa có khách hàng tiềm năng nào. Khách truy cập trở thành khách hàng tiềm năng khi điền một biểu mẫu của bạn (xem Biểu mẫu & chấm điểm) hoặc khi trang web của bạn định danh họ.',
  '{n} lead shown|{n} leads shown': 'Đang hiển thị {n} khách hàng tiềm năng',
  '{n} of {total} leads shown': 'Đang hiển thị {n}/{total} khách hàng tiềm năng',
  'Leads matching the filters': 'Khách hàng tiềm năng khớp với bộ lọc',
  Lead: 'Khách hàng tiềm năng',
  Score: 'Điểm',
  Created: 'Ngày tạo',
  'Last seen': 'Truy cập gần nhất',
  Pages: 'Phân trang',
  '← Previous': '← Trang trước',
  'Page {n}': 'Trang {n}',
  'Next →': 'Trang sau →',
});

const FILTERS = ['segment', 'stage', 'minScore', 'maxScore', 'channel', 'q', 'sort'] as const;
const SORTS = [
  ['-score', 'Score, highest first'],
  ['-createdAt', 'Newest first'],
  ['-lastSeenAt', 'Recently seen'],
  ['createdAt', 'Oldest first'],
] as const;
const PAGE = 25;

/** `25 of 189 leads shown`, or `12 leads shown` when they are all (or the total is not known). */
const shownText = (n: number, total: number | undefined) =>
  total !== undefined && total > n
    ? t('{n} of {total} leads shown', { n, total })
    : t('{n} lead shown|{n} leads shown', { n });

export function LeadsPage({ params }: { params: URLSearchParams }) {
  const filters = Object.fromEntries(FILTERS.map((f) => [f, params.get(f) ?? ''])) as Record<
    (typeof FILTERS)[number],
    string
  >;
  const cursor = params.get('cursor') ?? '';
  const list = useApi<{ data: Lead[]; nextCursor: string | null; total?: number }>(
    `/v1/leads${query({ ...filters, sort: filters.sort || '-score', limit: PAGE, cursor, count: 'true' })}`,
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
            step="any"
            inputMode="decimal"
            defaultValue={filters.minScore}
          />
        </label>
        <label class="narrow">
          {t('Max score')}
          <input
            name="maxScore"
            type="number"
            step="any"
            inputMode="decimal"
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
      <SaveSegment
        filters={filters}
        onSaved={(id) => {
          segments.reload();
          // The new segment is what the list shows now: chosen in the menu (its filters are
          // the ones in force, so the same leads).
          setTrail([]);
          go({ ...filters, segment: id });
        }}
      />
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
            : `${shownText(list.data.data.length, list.data.total)}${range(list.data.data.length, !!list.data.nextCursor)}`}
      </p>
      {list.error && <Problem error={list.error} />}
      {list.loading && !list.data && <Loading />}
      {list.data && list.data.data.length === 0 && (
        <TableWrap label={t('Leads')} busy={list.loading}>
          <EmptyList filtered={FILTERS.some((f) => filters[f] && f !== 'sort')} />
        </TableWrap>
      )}
      {list.data && list.data.data.length > 0 && (
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
                      {l.name && l.email && (
                        <div class="muted small">
                          <Breakable text={l.email} />
                        </div>
                      )}
                    </td>
                    <td class="num">{score(l.score?.total ?? 0)}</td>
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

/** What to do when the list is empty: widen the filters, or how leads come at all. */
function EmptyList({ filtered }: { filtered: boolean }) {
  if (!filtered)
    return (
      <p class="empty">
        {t(
          'No leads yet. A visitor becomes a lead on filling in one of your forms (see Forms & scoring) or when your site identifies them.',
        )}
      </p>
    );
  const [before = '', after = ''] = t(
    'Try other filters (a shorter search, a wider score range, another stage), or {reset} to see every lead.',
  ).split('{reset}');
  return (
    <p class="empty">
      {before}
      <a href={href(['leads'])}>{t('reset the filters')}</a>
      {after}
    </p>
  );
}
