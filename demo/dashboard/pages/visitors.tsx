/**
 * Visitors: the anonymous prospects, the lifecycle's first stage (`GET /v1/visitors`), most
 * recently seen first, and one visitor's sessions with their touches and events
 * (`GET /v1/visitors/{anonymousId}`), with the lead it became once identified.
 */
import type { TimelineEvent, Touch } from '../../../collector/openapi/contract.ts';
import { messages } from '../i18n.ts';
import { href } from '../router.ts';
import {
  Card,
  channelLabel,
  Loading,
  num,
  PageHeading,
  Problem,
  pathOf,
  TableWrap,
  when,
} from '../ui.tsx';
import { useApi, useFormNames, usePages } from '../use-api.ts';
import { EventItem, TouchView } from './lead.tsx';

const t = messages({
  'All visitors': 'Tất cả',
  'Still anonymous': 'Vẫn ẩn danh',
  'Became leads': 'Đã định danh',
  Visitors: 'Khách truy cập',
  'Every browser the tag has seen, most recently seen first: where it came from, where it landed, and the lead it became once the person gave their email.':
    'Mọi trình duyệt mà mã theo dõi đã ghi nhận, truy cập gần nhất xếp trước: đến từ đâu, vào trang đích nào, và trở thành khách hàng tiềm năng nào khi người đó để lại email.',
  Show: 'Hiển thị',
  '{n} visitor|{n} visitors': '{n} khách truy cập',
  '{n} visitor shown|{n} visitors shown': 'Đang hiển thị {n} khách truy cập',
  Visitor: 'Khách truy cập',
  'Came from': 'Đến từ',
  'Landing page': 'Trang đích',
  'Last seen': 'Truy cập gần nhất',
  Lead: 'Khách hàng tiềm năng',
  ' bot': ' bot',
  'Open lead (visitor {id})': 'Xem hồ sơ khách hàng tiềm năng (khách truy cập {id})',
  'Open lead': 'Xem hồ sơ',
  anonymous: 'ẩn danh',
  'Show more visitors': 'Xem thêm khách truy cập',
  'Visitor {id}': 'Khách truy cập {id}',
  'Anonymous id': 'ID ẩn danh',
  'First seen': 'Truy cập đầu tiên',
  Sessions: 'Phiên',
  'not identified yet': 'chưa định danh',
  Automation: 'Truy cập tự động',
  'flagged as a bot: kept out of scoring and reports':
    'bị đánh dấu là bot: không tính vào chấm điểm và báo cáo',
  'First and last touch': 'Điểm chạm đầu tiên và gần nhất',
  'First touch': 'Điểm chạm đầu tiên',
  'Last touch': 'Điểm chạm gần nhất',
  'Sessions ({n})': 'Phiên ({n})',
  Started: 'Bắt đầu',
  Pages: 'Số trang',
  'Events (newest first)': 'Sự kiện (mới nhất trước)',
});

interface Visitor {
  anonymousId: string;
  firstSeenAt: string;
  lastSeenAt: string;
  firstTouch: Touch;
  lastTouch: Touch;
  isBot: boolean;
  leadId: string | null;
}

interface Session {
  id: string;
  startedAt: string;
  lastSeenAt: string;
  events: number;
  pageviews: number;
  channel: string;
  touch: Touch;
}

type Which = '' | 'false' | 'true';
const WHICH = [
  ['', 'All visitors'],
  ['false', 'Still anonymous'],
  ['true', 'Became leads'],
] as const satisfies readonly (readonly [Which, string])[];

/** An anonymous id for the screen: a long one cut to its first 16 characters (still unique enough). */
const short = (id: string) => (id.length > 20 ? `${id.slice(0, 16)}…` : id);

/** Where a touch came from, in one line: `Paid search · google / cpc · spring-sale`. */
function origin(touch: Touch): string {
  if (!touch) return '—';
  const sm = [touch.source, touch.medium].filter(Boolean).join(' / ');
  return [channelLabel(touch.channel), sm, touch.campaign].filter(Boolean).join(' · ');
}

export function VisitorsPage({ params }: { params: URLSearchParams }) {
  const which = (params.get('identified') ?? '') as Which;
  const { rows, next, error, loading, more } = usePages<Visitor>('/v1/visitors', {
    identified: which,
    limit: 50,
  });

  return (
    <>
      <PageHeading title={t('Visitors')} />
      <p class="muted">
        {t(
          'Every browser the tag has seen, most recently seen first: where it came from, where it landed, and the lead it became once the person gave their email.',
        )}
      </p>
      <fieldset class="toggle">
        <legend class="sr-only">{t('Show')}</legend>
        {WHICH.map(([v, label]) => (
          <a
            key={v}
            class="button"
            href={href(['visitors'], { identified: v })}
            aria-current={which === v ? 'page' : undefined}
          >
            {t(label)}
          </a>
        ))}
      </fieldset>
      {error && <Problem error={error} />}
      <p class="result-count" role="status">
        {loading && rows.length === 0
          ? ''
          : next
            ? t('{n} visitor shown|{n} visitors shown', { n: rows.length })
            : t('{n} visitor|{n} visitors', { n: rows.length })}
      </p>
      <TableWrap label={t('Visitors')} busy={loading}>
        {/* On a phone each row stacks: the visitor and its lead, then where it came from and when. */}
        <table class="compact stack visitors">
          <thead>
            <tr>
              <th scope="col">{t('Visitor')}</th>
              <th scope="col">{t('Came from')}</th>
              <th scope="col" class="hide-s">
                {t('Landing page')}
              </th>
              <th scope="col">{t('Last seen')}</th>
              <th scope="col">{t('Lead')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((v) => (
              <tr key={v.anonymousId}>
                <td>
                  <a href={href(['visitors', v.anonymousId])} title={v.anonymousId}>
                    <code>{short(v.anonymousId)}</code>
                  </a>
                  {v.isBot && <span class="badge">{t(' bot')}</span>}
                </td>
                <td class="origin">{origin(v.firstTouch)}</td>
                <td class="hide-s url">{pathOf(v.firstTouch?.landingUrl) || '—'}</td>
                <td class="seen">{when(v.lastSeenAt)}</td>
                <td>
                  {v.leadId ? (
                    <a
                      href={href(['leads', v.leadId])}
                      aria-label={t('Open lead (visitor {id})', { id: short(v.anonymousId) })}
                    >
                      {t('Open lead')}
                    </a>
                  ) : (
                    <span class="muted">{t('anonymous')}</span>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableWrap>
      {loading && rows.length === 0 && <Loading />}
      {next && (
        <p>
          <button type="button" onClick={more}>
            {t('Show more visitors')}
          </button>
        </p>
      )}
    </>
  );
}

export function VisitorPage({ id }: { id: string }) {
  const formName = useFormNames();
  const v = useApi<Visitor & { sessions: Session[]; events: TimelineEvent[] }>(
    `/v1/visitors/${encodeURIComponent(id)}`,
  );
  return (
    <>
      <p class="crumbs">
        <a href={href(['visitors'])}>{t('Visitors')}</a>
      </p>
      <PageHeading title={t('Visitor {id}', { id: short(id) })} />
      {v.error && <Problem error={v.error} />}
      {v.loading && !v.data && <Loading />}
      {v.data && (
        <div class="grid">
          <Card title={t('Visitor')}>
            <dl class="pairs">
              <dt>{t('Anonymous id')}</dt>
              <dd>
                <code>{v.data.anonymousId}</code>
              </dd>
              <dt>{t('First seen')}</dt>
              <dd>{when(v.data.firstSeenAt)}</dd>
              <dt>{t('Last seen')}</dt>
              <dd>{when(v.data.lastSeenAt)}</dd>
              <dt>{t('Sessions')}</dt>
              <dd>{num(v.data.sessions.length)}</dd>
              <dt>{t('Lead')}</dt>
              <dd>
                {v.data.leadId ? (
                  <a href={href(['leads', v.data.leadId])}>{t('Open lead')}</a>
                ) : (
                  t('not identified yet')
                )}
              </dd>
              {v.data.isBot && (
                <>
                  <dt>{t('Automation')}</dt>
                  <dd>{t('flagged as a bot: kept out of scoring and reports')}</dd>
                </>
              )}
            </dl>
          </Card>
          <Card title={t('First and last touch')}>
            <TouchView label={t('First touch')} touch={v.data.firstTouch} />
            <TouchView label={t('Last touch')} touch={v.data.lastTouch} />
          </Card>
          <Card title={t('Sessions ({n})', { n: v.data.sessions.length })} wide>
            <TableWrap label={t('Sessions')}>
              <table class="compact">
                <thead>
                  <tr>
                    <th scope="col">{t('Started')}</th>
                    <th scope="col">{t('Came from')}</th>
                    <th scope="col" class="hide-s">
                      {t('Landing page')}
                    </th>
                    <th scope="col" class="num">
                      {t('Pages')}
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {v.data.sessions.map((s) => (
                    <tr key={s.id}>
                      <td>{when(s.startedAt)}</td>
                      <td>{origin(s.touch)}</td>
                      <td class="hide-s url">{pathOf(s.touch?.landingUrl) || '—'}</td>
                      <td class="num">{num(s.pageviews)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableWrap>
          </Card>
          <Card title={t('Events (newest first)')} wide>
            <ol class="timeline">
              {v.data.events.map((e) => (
                <EventItem key={e.id} e={e} formName={formName} />
              ))}
            </ol>
          </Card>
        </div>
      )}
    </>
  );
}
