/**
 * Webhooks: where lead changes are pushed (a CRM, a chat channel, an automation tool). Add an
 * endpoint (`POST /v1/webhooks`; its signing secret is shown this once), see each endpoint's
 * recent deliveries with their outcome, delete one (DESIGN §6).
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { WebhookType } from '../../../collector/webhooks/index.ts';
import { api } from '../api.ts';
import { type FieldErrors, saveErrors, TextInput } from '../edit.tsx';
import { Card, Loading, PageHeading, Problem, TableWrap, when } from '../ui.tsx';
import { useApi, usePages } from '../use-api.ts';

/** Every event type an endpoint can take, with what it means (the record keeps the list whole). */
const TYPES: Record<WebhookType, string> = {
  'lead.created': 'a new lead',
  'lead.identified': 'a lead gives a new email or user id',
  'lead.stage_changed': 'a lead moves stage (sales-ready leads: to SQL)',
  'lead.merged': 'two leads are merged',
  'form.submitted': 'a form is submitted',
};

interface Endpoint {
  id: string;
  url: string;
  events: WebhookType[];
  createdAt: string;
}

interface Delivery {
  id: string;
  type: WebhookType;
  status: string;
  attempts: number;
  lastStatus: number | null;
  lastError: string | null;
  nextAttemptAt: string | null;
  createdAt: string;
  deliveredAt: string | null;
}

export function WebhooksPage() {
  const list = useApi<{ data: Endpoint[] }>('/v1/webhooks');
  return (
    <>
      <PageHeading title="Webhooks" />
      <p class="muted">
        Touchpoint POSTs each chosen event as JSON to your URL, signed with the endpoint's secret (
        <code>Touchpoint-Signature</code>), and retries for 24 hours until it is answered with a
        2xx.
      </p>
      <div class="grid">
        <AddEndpoint onAdded={list.reload} />
        <Card title="Endpoints" wide>
          {list.error && <Problem error={list.error} />}
          {list.loading && !list.data && <Loading />}
          {list.data && list.data.data.length === 0 && (
            <p class="muted">No endpoints yet: nothing is pushed.</p>
          )}
          {list.data && list.data.data.length > 0 && (
            <ul class="endpoints">
              {list.data.data.map((e) => (
                <EndpointItem key={e.id} endpoint={e} onDeleted={list.reload} />
              ))}
            </ul>
          )}
        </Card>
      </div>
    </>
  );
}

function AddEndpoint({ onAdded }: { onAdded(): void }) {
  const [url, setUrl] = useState('');
  const [events, setEvents] = useState<WebhookType[]>(['lead.stage_changed']);
  const [errors, setErrors] = useState<FieldErrors>([]);
  const [problem, setProblem] = useState('');
  const [created, setCreated] = useState<{ url: string; secret: string } | null>(null);
  const secretRef = useRef<HTMLElement>(null);

  useEffect(() => {
    if (created) secretRef.current?.focus();
  }, [created]);

  const add = async (e: Event) => {
    e.preventDefault();
    try {
      const res = await api<Endpoint & { secret: string }>('/v1/webhooks', {
        method: 'POST',
        body: JSON.stringify({ url: url.trim(), events }),
      });
      setErrors([]);
      setProblem('');
      setCreated({ url: res.url, secret: res.secret });
      setUrl('');
      onAdded();
    } catch (err) {
      const { fields, text } = saveErrors(err);
      setErrors(fields);
      setProblem(fields.length ? '' : text);
      setCreated(null);
    }
  };

  const eventsError = errors.filter((x) => x.path.startsWith('events')).map((x) => x.message);
  return (
    <Card title="Add an endpoint" wide>
      <form class="editor" onSubmit={add} aria-label="Add a webhook endpoint">
        <TextInput
          label="URL"
          path="url"
          errors={errors}
          required
          maxLength={2048}
          placeholder="https://crm.example.com/hooks/touchpoint"
          value={url}
          onValue={setUrl}
        />
        <fieldset class="group" aria-describedby={eventsError.length ? 'events-error' : undefined}>
          <legend>Events</legend>
          {(Object.keys(TYPES) as WebhookType[]).map((t) => (
            <label key={t} class="check-line">
              <input
                type="checkbox"
                checked={events.includes(t)}
                onChange={(e) =>
                  setEvents((prev) =>
                    e.currentTarget.checked ? [...prev, t] : prev.filter((x) => x !== t),
                  )
                }
              />{' '}
              <code>{t}</code> — {TYPES[t]}
            </label>
          ))}
          {eventsError.length > 0 && (
            <span id="events-error" class="field-error">
              {eventsError.join(' · ')}
            </span>
          )}
        </fieldset>
        <div class="actions">
          <button type="submit" class="primary">
            Add endpoint
          </button>
        </div>
        {problem && (
          <p class="problem" role="alert">
            {problem}
          </p>
        )}
        {created && (
          <div class="secret" role="status">
            <p>
              Added <span class="url">{created.url}</span>. Its signing secret, shown only now:
            </p>
            <code ref={secretRef} tabIndex={-1}>
              {created.secret}
            </code>
            <p class="muted small">
              Keep it where your receiver can read it, and check each request's{' '}
              <code>Touchpoint-Signature</code> with it (README, Webhooks).
            </p>
          </div>
        )}
      </form>
    </Card>
  );
}

function EndpointItem({ endpoint, onDeleted }: { endpoint: Endpoint; onDeleted(): void }) {
  const [open, setOpen] = useState(false);
  const [problem, setProblem] = useState('');
  const remove = async () => {
    if (!confirm(`Delete the endpoint ${endpoint.url}? Its pending deliveries are dropped.`))
      return;
    try {
      await api(`/v1/webhooks/${encodeURIComponent(endpoint.id)}`, { method: 'DELETE' });
      onDeleted();
    } catch (e) {
      setProblem(saveErrors(e).text);
    }
  };
  return (
    <li>
      <p class="url tight">
        <strong>{endpoint.url}</strong>
      </p>
      <p class="muted small tight">
        {endpoint.events.join(', ')} · added {when(endpoint.createdAt)}
      </p>
      <div class="actions">
        <button type="button" aria-expanded={open} onClick={() => setOpen(!open)}>
          {open ? 'Hide deliveries' : 'Show deliveries'}
        </button>
        <button type="button" class="danger" aria-label={`Delete ${endpoint.url}`} onClick={remove}>
          Delete
        </button>
      </div>
      {problem && (
        <p class="problem" role="alert">
          {problem}
        </p>
      )}
      {open && <Deliveries id={endpoint.id} />}
    </li>
  );
}

function Deliveries({ id }: { id: string }) {
  const { rows, next, error, loaded, more } = usePages<Delivery>(
    `/v1/webhooks/${encodeURIComponent(id)}/deliveries`,
    { limit: 20 },
  );
  if (error) return <Problem error={error} />;
  if (!loaded) return <Loading />;
  if (rows.length === 0) return <p class="muted small">No deliveries yet.</p>;
  return (
    <>
      <TableWrap label="Deliveries">
        <table class="compact" aria-label="Deliveries">
          <thead>
            <tr>
              <th scope="col">Event</th>
              <th scope="col">Status</th>
              <th scope="col" class="num">
                Attempts
              </th>
              <th scope="col" class="hide-s">
                Last answer
              </th>
              <th scope="col">When</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((d) => (
              <tr key={d.id}>
                <td>
                  <code>{d.type}</code>
                </td>
                <td class={d.status === 'failed' ? 'negative' : undefined}>
                  {d.status}
                  {d.status === 'pending' && d.nextAttemptAt
                    ? ` (next ${when(d.nextAttemptAt)})`
                    : ''}
                </td>
                <td class="num">{d.attempts}</td>
                <td class="hide-s">
                  {d.lastStatus ? `HTTP ${d.lastStatus}` : ''}
                  {d.lastError ? ` ${d.lastError}` : ''}
                  {!d.lastStatus && !d.lastError ? '—' : ''}
                </td>
                <td>{when(d.deliveredAt ?? d.createdAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableWrap>
      {next && (
        <button type="button" onClick={more}>
          Show older deliveries
        </button>
      )}
    </>
  );
}
