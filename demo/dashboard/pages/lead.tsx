/** One lead: profile, score and why, stage history, first and last touch, cross-device timeline. */
import type { Lead, TimelineEvent, Touch } from '../../../collector/openapi/contract.ts';
import { messages } from '../i18n.ts';
import { href } from '../router.ts';
import {
  Breakable,
  Card,
  channelLabel,
  Loading,
  num,
  PageHeading,
  Problem,
  pathOf,
  StageBadge,
  score,
  when,
} from '../ui.tsx';
import { useApi, useFormNames, usePages } from '../use-api.ts';
import {
  actorLabel,
  breakdownLabel,
  eventTypeLabel,
  isCapLine,
  stageReason,
  traitLabel,
  traitValue,
} from '../words.ts';
import { EraseLead } from './erase-lead.tsx';
import { EditDetails, MergeLead } from './lead-edit.tsx';
import { MoveStage } from './move-stage.tsx';

const t = messages({
  '← All leads': '← Tất cả khách hàng tiềm năng',
  Lead: 'Khách hàng tiềm năng',
  Profile: 'Hồ sơ',
  Email: 'Email',
  Created: 'Ngày tạo',
  'Last seen': 'Truy cập gần nhất',
  Devices: 'Thiết bị',
  Score: 'Điểm',
  'fit {fit} · engagement {engagement}': 'mức phù hợp {fit} · mức tương tác {engagement}',
  'No scoring rule has matched yet.': 'Chưa có quy tắc chấm điểm nào khớp.',
  'Score breakdown': 'Chi tiết điểm',
  Rule: 'Quy tắc',
  Times: 'Số lần',
  Points: 'Điểm',
  'First and last touch': 'Điểm chạm đầu tiên và gần nhất',
  'First touch': 'Điểm chạm đầu tiên',
  'Last touch': 'Điểm chạm gần nhất',
  'Stage history': 'Lịch sử giai đoạn',
  new: 'mới',
  Channel: 'Kênh',
  'Source / medium': 'Nguồn / phương tiện',
  Campaign: 'Chiến dịch',
  'Landing page': 'Trang đích',
  When: 'Thời điểm',
  Unknown: 'Không rõ',
  'Page view': 'Xem trang',
  'Timeline (every device, newest first)': 'Dòng thời gian (mọi thiết bị, mới nhất trước)',
  'device {n}': 'thiết bị {n}',
  'Load older events': 'Tải các sự kiện cũ hơn',
});

export function LeadPage({ id }: { id: string }) {
  const lead = useApi<Lead>(`/v1/leads/${encodeURIComponent(id)}`);
  return (
    <>
      <p>
        <a href={href(['leads'])}>{t('← All leads')}</a>
      </p>
      {lead.error && (
        <>
          <PageHeading title={t('Lead')} />
          <Problem error={lead.error} />
        </>
      )}
      {lead.loading && !lead.data && <Loading />}
      {lead.data && <LeadView lead={lead.data} onMoved={lead.reload} />}
    </>
  );
}

function LeadView({ lead, onMoved }: { lead: Lead; onMoved: () => void }) {
  const traits = Object.entries(lead.traits ?? {}).filter(([k]) => k !== 'email' && k !== 'name');
  const name = lead.name || lead.email || lead.id;
  const formName = useFormNames();
  return (
    <>
      <PageHeading title={name} class="lead-title">
        <span>
          <Breakable text={name} />
        </span>{' '}
        <StageBadge stage={lead.stage} />
      </PageHeading>
      <div class="grid">
        <Card title={t('Profile')}>
          <dl class="pairs">
            <dt>{t('Email')}</dt>
            <dd>{lead.email ? <Breakable text={lead.email} /> : '—'}</dd>
            {traits.flatMap(([k, v]) => [
              <dt key={`k-${k}`}>{traitLabel(k)}</dt>,
              <dd key={`v-${k}`}>{traitValue(k, v)}</dd>,
            ])}
            <dt>{t('Created')}</dt>
            <dd>{when(lead.createdAt)}</dd>
            <dt>{t('Last seen')}</dt>
            <dd>{when(lead.lastSeenAt)}</dd>
            <dt>{t('Devices')}</dt>
            <dd>{num(lead.anonymousIds?.length ?? 0)}</dd>
          </dl>
        </Card>
        <Card title={t('Score')}>
          <p class="score">
            <strong>{score(lead.score.total)}</strong>
            <span class="muted">
              {' '}
              {t('fit {fit} · engagement {engagement}', {
                fit: score(lead.score.fit),
                engagement: score(lead.score.engagement),
              })}
            </span>
          </p>
          {lead.score.breakdown.length === 0 ? (
            <p class="muted">{t('No scoring rule has matched yet.')}</p>
          ) : (
            <table class="compact" aria-label={t('Score breakdown')}>
              <thead>
                <tr>
                  <th scope="col">{t('Rule')}</th>
                  <th scope="col" class="num">
                    {t('Times')}
                  </th>
                  <th scope="col" class="num">
                    {t('Points')}
                  </th>
                </tr>
              </thead>
              <tbody>
                {lead.score.breakdown.map((b) => (
                  <tr key={b.ruleId}>
                    <td>{breakdownLabel(b)}</td>
                    {/* A cap's line counts no events. */}
                    <td class="num">{isCapLine(b) ? '—' : num(b.count)}</td>
                    <td class={b.points < 0 ? 'num negative' : 'num'}>
                      {b.points > 0 ? '+' : ''}
                      {score(b.points)}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </Card>
        <Card title={t('First and last touch')}>
          <TouchView label={t('First touch')} touch={lead.firstTouch} />
          <TouchView label={t('Last touch')} touch={lead.lastTouch} />
        </Card>
        <MoveStage lead={lead} onMoved={onMoved} />
        <Card title={t('Stage history')}>
          <ol class="history">
            {[...lead.stageHistory].reverse().map((h, i) => (
              <li key={`${h.at}-${i}`}>
                <span>
                  {h.from ? <StageBadge stage={h.from} /> : <span class="muted">{t('new')}</span>} →{' '}
                  <StageBadge stage={h.to} />
                </span>
                <span class="muted small">
                  {when(h.at)} · {actorLabel(h.actor)}
                  {h.reason ? ` · ${stageReason(h.reason, formName)}` : ''}
                </span>
              </li>
            ))}
          </ol>
        </Card>
      </div>
      <Timeline lead={lead} formName={formName} />
      <div class="grid after-timeline">
        <EditDetails lead={lead} onSaved={onMoved} />
        <MergeLead lead={lead} onMerged={onMoved} />
        <EraseLead lead={lead} />
      </div>
    </>
  );
}

/** A first or last touch: channel, source / medium, campaign, landing page, when. */
export function TouchView({ label, touch }: { label: string; touch: Touch }) {
  return (
    <div class="touch">
      <h3>{label}</h3>
      {touch ? (
        <dl class="pairs">
          <dt>{t('Channel')}</dt>
          <dd>{channelLabel(touch.channel)}</dd>
          <dt>{t('Source / medium')}</dt>
          <dd>
            {touch.source ?? '—'} / {touch.medium ?? '—'}
          </dd>
          {touch.campaign && (
            <>
              <dt>{t('Campaign')}</dt>
              <dd>{touch.campaign}</dd>
            </>
          )}
          <dt>{t('Landing page')}</dt>
          <dd class="url">{touch.landingUrl ?? '—'}</dd>
          <dt>{t('When')}</dt>
          <dd>{when(touch.at)}</dd>
        </dl>
      ) : (
        <p class="muted">{t('Unknown')}</p>
      )}
    </div>
  );
}

/**
 * One event in words, beside its type's badge: a page's title and path, the form by its name,
 * who an identify named, a track or click name.
 */
export function describeEvent(e: TimelineEvent, formName: (id: string) => string): string {
  if (e.type === 'pageview')
    return [e.title, pathOf(e.url)].filter(Boolean).join(' · ') || t('Page view');
  if (e.type === 'identify') {
    const who = e.traits?.email ?? e.traits?.name;
    return typeof who === 'string' ? who : '';
  }
  if (e.type.startsWith('form_')) return e.name ? formName(e.name) : '';
  return e.name || pathOf(e.url) || '';
}

/** An event in a timeline: when, its type (a badge), what it was, and on which device. */
export function EventItem({
  e,
  formName,
  device,
}: {
  e: TimelineEvent;
  formName: (id: string) => string;
  device?: string;
}) {
  return (
    <li>
      <time dateTime={e.timestamp}>{when(e.timestamp)}</time>
      <span class={`badge type-${e.type}`}>{eventTypeLabel(e.type)}</span>
      <span class="what">{describeEvent(e, formName)}</span>
      {device && (
        <span class="device" title={e.anonymousId}>
          {device}
        </span>
      )}
    </li>
  );
}

function Timeline({ lead, formName }: { lead: Lead; formName: (id: string) => string }) {
  const {
    rows: events,
    next,
    error,
    more,
  } = usePages<TimelineEvent>(`/v1/leads/${encodeURIComponent(lead.id)}/timeline`, { limit: 50 });
  const devices = new Map((lead.anonymousIds ?? []).map((a, i) => [a, i + 1]));

  return (
    <Card title={t('Timeline (every device, newest first)')} wide>
      {error && <Problem error={error} />}
      <ol class="timeline">
        {events.map((e) => (
          <EventItem
            key={e.id}
            e={e}
            formName={formName}
            device={
              devices.size > 1
                ? t('device {n}', { n: devices.get(e.anonymousId) ?? '?' })
                : undefined
            }
          />
        ))}
      </ol>
      {next && (
        <button type="button" onClick={more}>
          {t('Load older events')}
        </button>
      )}
    </Card>
  );
}
