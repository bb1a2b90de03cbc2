/** One lead: profile, score and why, stage history, first and last touch, cross-device timeline. */
import type { Lead, TimelineEvent, Touch } from '../../../collector/openapi/contract.ts';
import { href } from '../router.ts';
import {
  Card,
  channelLabel,
  Loading,
  PageHeading,
  Problem,
  pathOf,
  StageBadge,
  when,
} from '../ui.tsx';
import { useApi, usePages } from '../use-api.ts';
import { EraseLead } from './erase-lead.tsx';
import { EditDetails, MergeLead } from './lead-edit.tsx';
import { MoveStage } from './move-stage.tsx';

export function LeadPage({ id }: { id: string }) {
  const lead = useApi<Lead>(`/v1/leads/${encodeURIComponent(id)}`);
  return (
    <>
      <p>
        <a href={href(['leads'])}>← All leads</a>
      </p>
      {lead.error && (
        <>
          <PageHeading title="Lead" />
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
  return (
    <>
      <PageHeading title={name} class="lead-title">
        <span>{name}</span> <StageBadge stage={lead.stage} />
      </PageHeading>
      <div class="grid">
        <Card title="Profile">
          <dl class="pairs">
            <dt>Email</dt>
            <dd>{lead.email ?? '—'}</dd>
            {traits.flatMap(([k, v]) => [
              <dt key={`k-${k}`}>{k}</dt>,
              <dd key={`v-${k}`}>{typeof v === 'string' ? v : JSON.stringify(v)}</dd>,
            ])}
            <dt>Created</dt>
            <dd>{when(lead.createdAt)}</dd>
            <dt>Last seen</dt>
            <dd>{when(lead.lastSeenAt)}</dd>
            <dt>Devices</dt>
            <dd>{lead.anonymousIds?.length ?? 0}</dd>
          </dl>
        </Card>
        <Card title="Score">
          <p class="score">
            <strong>{Math.round(lead.score.total)}</strong>
            <span class="muted">
              {' '}
              fit {Math.round(lead.score.fit)} · engagement {Math.round(lead.score.engagement)}
            </span>
          </p>
          {lead.score.breakdown.length === 0 ? (
            <p class="muted">No scoring rule has matched yet.</p>
          ) : (
            <table class="compact" aria-label="Score breakdown">
              <thead>
                <tr>
                  <th scope="col">Rule</th>
                  <th scope="col" class="num">
                    Times
                  </th>
                  <th scope="col" class="num">
                    Points
                  </th>
                </tr>
              </thead>
              <tbody>
                {lead.score.breakdown.map((b) => (
                  <tr key={b.ruleId}>
                    <td>{b.label}</td>
                    <td class="num">{b.count}</td>
                    <td class={b.points < 0 ? 'num negative' : 'num'}>
                      {b.points > 0 ? '+' : ''}
                      {Math.round(b.points * 10) / 10}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </Card>
        <Card title="First and last touch">
          <TouchView label="First touch" touch={lead.firstTouch} />
          <TouchView label="Last touch" touch={lead.lastTouch} />
        </Card>
        <MoveStage lead={lead} onMoved={onMoved} />
        <Card title="Stage history">
          <ol class="history">
            {[...lead.stageHistory].reverse().map((h, i) => (
              <li key={`${h.at}-${i}`}>
                <span>
                  {h.from ? <StageBadge stage={h.from} /> : <span class="muted">new</span>} →{' '}
                  <StageBadge stage={h.to} />
                </span>
                <span class="muted small">
                  {when(h.at)} · {h.actor}
                  {h.reason ? ` · ${h.reason}` : ''}
                </span>
              </li>
            ))}
          </ol>
        </Card>
      </div>
      <Timeline lead={lead} />
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
          <dt>Channel</dt>
          <dd>{channelLabel(touch.channel)}</dd>
          <dt>Source / medium</dt>
          <dd>
            {touch.source ?? '—'} / {touch.medium ?? '—'}
          </dd>
          {touch.campaign && (
            <>
              <dt>Campaign</dt>
              <dd>{touch.campaign}</dd>
            </>
          )}
          <dt>Landing page</dt>
          <dd class="url">{touch.landingUrl ?? '—'}</dd>
          <dt>When</dt>
          <dd>{when(touch.at)}</dd>
        </dl>
      ) : (
        <p class="muted">Unknown</p>
      )}
    </div>
  );
}

/** One event in words: a page's title and path, a form's id, a track or click name. */
export function describeEvent(e: TimelineEvent): string {
  if (e.type === 'pageview')
    return [e.title, pathOf(e.url)].filter(Boolean).join(' · ') || 'Page view';
  if (e.type === 'identify') return 'Identified';
  if (e.type.startsWith('form_')) return `${e.type.replace('form_', 'Form ')}: ${e.name ?? ''}`;
  return e.name || e.url || e.type;
}

function Timeline({ lead }: { lead: Lead }) {
  const {
    rows: events,
    next,
    error,
    more,
  } = usePages<TimelineEvent>(`/v1/leads/${encodeURIComponent(lead.id)}/timeline`, { limit: 50 });
  const devices = new Map((lead.anonymousIds ?? []).map((a, i) => [a, i + 1]));

  return (
    <Card title="Timeline (every device, newest first)" wide>
      {error && <Problem error={error} />}
      <ol class="timeline">
        {events.map((e) => (
          <li key={e.id}>
            <time dateTime={e.timestamp}>{when(e.timestamp)}</time>
            <span class={`badge type-${e.type}`}>{e.type}</span>
            <span class="what">{describeEvent(e)}</span>
            {devices.size > 1 && (
              <span class="device" title={e.anonymousId}>
                device {devices.get(e.anonymousId) ?? '?'}
              </span>
            )}
          </li>
        ))}
      </ol>
      {next && (
        <button type="button" onClick={more}>
          Load older events
        </button>
      )}
    </Card>
  );
}
