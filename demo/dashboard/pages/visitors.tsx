/**
 * Visitors: the anonymous prospects, the lifecycle's first stage (`GET /v1/visitors`), most
 * recently seen first, and one visitor's sessions with their touches and events
 * (`GET /v1/visitors/{anonymousId}`), with the lead it became once identified.
 */
import type { TimelineEvent, Touch } from '../../../collector/openapi/contract.ts';
import { href } from '../router.ts';
import {
  Card,
  channelLabel,
  count,
  Loading,
  PageHeading,
  Problem,
  pathOf,
  TableWrap,
  when,
} from '../ui.tsx';
import { useApi, usePages } from '../use-api.ts';
import { describeEvent, TouchView } from './lead.tsx';

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
const WHICH: readonly (readonly [Which, string])[] = [
  ['', 'All visitors'],
  ['false', 'Still anonymous'],
  ['true', 'Became leads'],
];

/** An anonymous id for the screen: a long one cut to its first 16 characters (still unique enough). */
const short = (id: string) => (id.length > 20 ? `${id.slice(0, 16)}…` : id);

/** Where a touch came from, in one line: `Paid search · google / cpc · spring-sale`. */
function origin(t: Touch): string {
  if (!t) return '—';
  const sm = [t.source, t.medium].filter(Boolean).join(' / ');
  return [channelLabel(t.channel), sm, t.campaign].filter(Boolean).join(' · ');
}

export function VisitorsPage({ params }: { params: URLSearchParams }) {
  const which = (params.get('identified') ?? '') as Which;
  const { rows, next, error, loading, more } = usePages<Visitor>('/v1/visitors', {
    identified: which,
    limit: 50,
  });

  return (
    <>
      <PageHeading title="Visitors" />
      <p class="muted">
        Every browser the tag has seen, most recently seen first: where it came from, where it
        landed, and the lead it became once the person gave their email.
      </p>
      <fieldset class="toggle">
        <legend class="sr-only">Show</legend>
        {WHICH.map(([v, label]) => (
          <a
            key={v}
            class="button"
            href={href(['visitors'], { identified: v })}
            aria-current={which === v ? 'page' : undefined}
          >
            {label}
          </a>
        ))}
      </fieldset>
      {error && <Problem error={error} />}
      <p class="result-count" role="status">
        {loading && rows.length === 0 ? '' : count(rows.length, 'visitor')}
        {next ? ' shown' : ''}
      </p>
      <TableWrap label="Visitors" busy={loading}>
        <table class="compact visitors">
          <thead>
            <tr>
              <th scope="col">Visitor</th>
              <th scope="col">Came from</th>
              <th scope="col" class="hide-s">
                Landing page
              </th>
              <th scope="col">Last seen</th>
              <th scope="col">Lead</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((v) => (
              <tr key={v.anonymousId}>
                <td>
                  <a href={href(['visitors', v.anonymousId])} title={v.anonymousId}>
                    <code>{short(v.anonymousId)}</code>
                  </a>
                  {v.isBot && <span class="badge"> bot</span>}
                </td>
                <td>{origin(v.firstTouch)}</td>
                <td class="hide-s url">{pathOf(v.firstTouch?.landingUrl) || '—'}</td>
                <td>{when(v.lastSeenAt)}</td>
                <td>
                  {v.leadId ? (
                    <a
                      href={href(['leads', v.leadId])}
                      aria-label={`Open lead (visitor ${short(v.anonymousId)})`}
                    >
                      Open lead
                    </a>
                  ) : (
                    <span class="muted">anonymous</span>
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
            Show more visitors
          </button>
        </p>
      )}
    </>
  );
}

export function VisitorPage({ id }: { id: string }) {
  const v = useApi<Visitor & { sessions: Session[]; events: TimelineEvent[] }>(
    `/v1/visitors/${encodeURIComponent(id)}`,
  );
  return (
    <>
      <p class="crumbs">
        <a href={href(['visitors'])}>Visitors</a>
      </p>
      <PageHeading title={`Visitor ${short(id)}`} />
      {v.error && <Problem error={v.error} />}
      {v.loading && !v.data && <Loading />}
      {v.data && (
        <div class="grid">
          <Card title="Visitor">
            <dl class="pairs">
              <dt>Anonymous id</dt>
              <dd>
                <code>{v.data.anonymousId}</code>
              </dd>
              <dt>First seen</dt>
              <dd>{when(v.data.firstSeenAt)}</dd>
              <dt>Last seen</dt>
              <dd>{when(v.data.lastSeenAt)}</dd>
              <dt>Sessions</dt>
              <dd>{v.data.sessions.length}</dd>
              <dt>Lead</dt>
              <dd>
                {v.data.leadId ? (
                  <a href={href(['leads', v.data.leadId])}>Open lead</a>
                ) : (
                  'not identified yet'
                )}
              </dd>
              {v.data.isBot && (
                <>
                  <dt>Automation</dt>
                  <dd>flagged as a bot: kept out of scoring and reports</dd>
                </>
              )}
            </dl>
          </Card>
          <Card title="First and last touch">
            <TouchView label="First touch" touch={v.data.firstTouch} />
            <TouchView label="Last touch" touch={v.data.lastTouch} />
          </Card>
          <Card title={`Sessions (${v.data.sessions.length})`} wide>
            <TableWrap label="Sessions">
              <table class="compact">
                <thead>
                  <tr>
                    <th scope="col">Started</th>
                    <th scope="col">Came from</th>
                    <th scope="col" class="hide-s">
                      Landing page
                    </th>
                    <th scope="col" class="num">
                      Pages
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {v.data.sessions.map((s) => (
                    <tr key={s.id}>
                      <td>{when(s.startedAt)}</td>
                      <td>{origin(s.touch)}</td>
                      <td class="hide-s url">{pathOf(s.touch?.landingUrl) || '—'}</td>
                      <td class="num">{s.pageviews}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableWrap>
          </Card>
          <Card title="Events (newest first)" wide>
            <ol class="timeline">
              {v.data.events.map((e) => (
                <li key={e.id}>
                  <time dateTime={e.timestamp}>{when(e.timestamp)}</time>
                  <span class={`badge type-${e.type}`}>{e.type}</span>
                  <span class="what">{describeEvent(e)}</span>
                </li>
              ))}
            </ol>
          </Card>
        </div>
      )}
    </>
  );
}
