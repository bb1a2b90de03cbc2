/**
 * Webhooks: where lead changes are pushed (a CRM, a chat channel, an automation tool). Add an
 * endpoint (`POST /v1/webhooks`; its signing secret is shown this once), see each endpoint's
 * recent deliveries with their outcome, send it a test event, send a delivery again, delete one
 * (DESIGN §6).
 */
import type { ComponentChildren } from 'preact';
import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { WebhookType } from '../../../collector/webhooks/index.ts';
import { api } from '../api.ts';
import { type FieldErrors, saveErrors, TextInput } from '../edit.tsx';
import { fieldMessage } from '../field-errors.ts';
import { messages } from '../i18n.ts';
import { Card, Loading, num, PageHeading, Problem, TableWrap, when } from '../ui.tsx';
import { useApi, usePages } from '../use-api.ts';

const t = messages({
  'a new lead': 'có khách hàng tiềm năng mới',
  'a lead gives a new email or user id':
    'khách hàng tiềm năng cung cấp email hoặc ID người dùng mới',
  'a lead moves stage (sales-ready leads: to SQL)':
    'khách hàng tiềm năng chuyển giai đoạn (sẵn sàng bán hàng: sang SQL)',
  'two leads are merged': 'hai khách hàng tiềm năng được gộp',
  'a form is submitted': 'một biểu mẫu được gửi',
  Webhooks: 'Webhook',
  "Touchpoint POSTs each chosen event as JSON to your URL, signed with the endpoint's secret ({code}), and retries for 24 hours until it is answered with a 2xx.":
    'Touchpoint gửi (POST) từng sự kiện đã chọn dưới dạng JSON đến URL của bạn, ký bằng khóa bí mật của địa chỉ nhận ({code}), và thử lại trong 24 giờ cho đến khi nhận được phản hồi 2xx.',
  Endpoints: 'Địa chỉ nhận',
  'No endpoints yet: nothing is pushed.': 'Chưa có địa chỉ nhận nào: chưa có gì được gửi đi.',
  'Add an endpoint': 'Thêm địa chỉ nhận',
  'Add a webhook endpoint': 'Thêm địa chỉ nhận webhook',
  URL: 'URL',
  Events: 'Sự kiện',
  'Add endpoint': 'Thêm địa chỉ nhận',
  'Added {url}. Its signing secret, shown only now:':
    'Đã thêm {url}. Khóa ký bí mật của địa chỉ nhận này, chỉ hiển thị lần này:',
  "Keep it where your receiver can read it, and check each request's {code} with it (README, Webhooks).":
    'Hãy lưu khóa ở nơi hệ thống nhận đọc được, và dùng nó để kiểm tra {code} của từng yêu cầu (README, Webhooks).',
  'Delete the endpoint {url}? Its pending deliveries are dropped.':
    'Xóa địa chỉ nhận {url}? Các lần gửi đang chờ sẽ bị hủy.',
  'added {date}': 'thêm lúc {date}',
  'Hide deliveries': 'Ẩn các lần gửi',
  'Show deliveries': 'Xem các lần gửi',
  'Delete {url}': 'Xóa {url}',
  Delete: 'Xóa',
  'No deliveries yet.': 'Chưa có lần gửi nào.',
  Deliveries: 'Các lần gửi',
  Event: 'Sự kiện',
  Status: 'Trạng thái',
  Attempts: 'Số lần thử',
  'Last answer': 'Phản hồi cuối',
  When: 'Thời điểm',
  pending: 'đang chờ',
  delivered: 'đã gửi',
  failed: 'thất bại',
  ' (next {date})': ' (thử lại lúc {date})',
  'Show older deliveries': 'Xem các lần gửi cũ hơn',
  'Send a test event': 'Gửi sự kiện thử',
  'Send a test event to {url}': 'Gửi sự kiện thử đến {url}',
  'Test event queued: it is sent within seconds and listed below.':
    'Đã xếp sự kiện thử vào hàng đợi: sẽ được gửi trong vài giây và hiện ở danh sách bên dưới.',
  'Send again': 'Gửi lại',
  'Send the {type} delivery of {date} again': 'Gửi lại lần gửi {type} lúc {date}',
  'Queued again: it is sent within seconds.':
    'Đã xếp lại vào hàng đợi: sẽ được gửi trong vài giây.',
  'New secret': 'Khóa bí mật mới',
  Edit: 'Sửa',
  'Change {url}': 'Sửa {url}',
  Save: 'Lưu',
  Cancel: 'Hủy',
  'Give {url} a new signing secret': 'Cấp khóa ký bí mật mới cho {url}',
  'Give {url} a new signing secret? Every delivery from now on is signed with it: your receiver must check with the new one.':
    'Cấp khóa ký bí mật mới cho {url}? Mọi lần gửi từ bây giờ đều được ký bằng khóa mới: hệ thống nhận phải kiểm tra bằng khóa mới.',
  'The new signing secret of {url}, shown only now:':
    'Khóa ký bí mật mới của {url}, chỉ hiển thị lần này:',
});

/** Every event type an endpoint can take, with what it means (the record keeps the list whole). */
const TYPES = {
  'lead.created': 'a new lead',
  'lead.identified': 'a lead gives a new email or user id',
  'lead.stage_changed': 'a lead moves stage (sales-ready leads: to SQL)',
  'lead.merged': 'two leads are merged',
  'form.submitted': 'a form is submitted',
} as const satisfies Record<WebhookType, string>;

/** A delivery's status in the dashboard's language (an unknown one as it is). */
const STATUSES = ['pending', 'delivered', 'failed'] as const;
const statusLabel = (s: string) =>
  (STATUSES as readonly string[]).includes(s) ? t(s as (typeof STATUSES)[number]) : s;

/**
 * A translated text with elements in its `{name}` places (`{code}` as <code>…</code>), so the
 * element can sit where each language puts it.
 */
function withParts(text: string, parts: Record<string, ComponentChildren>) {
  return text
    .split(/\{(\w+)\}/)
    .map((piece, i) => (i % 2 === 0 ? piece : (parts[piece] ?? `{${piece}}`)));
}

/** A new element at each use: one vnode must not be drawn in two places. */
const signatureHeader = () => <code>Touchpoint-Signature</code>;

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
      <PageHeading title={t('Webhooks')} />
      <p class="muted">
        {withParts(
          t(
            "Touchpoint POSTs each chosen event as JSON to your URL, signed with the endpoint's secret ({code}), and retries for 24 hours until it is answered with a 2xx.",
          ),
          { code: signatureHeader() },
        )}
      </p>
      <div class="grid">
        <AddEndpoint onAdded={list.reload} />
        <Card title={t('Endpoints')} wide>
          {list.error && <Problem error={list.error} />}
          {list.loading && !list.data && <Loading />}
          {list.data && list.data.data.length === 0 && (
            <p class="muted">{t('No endpoints yet: nothing is pushed.')}</p>
          )}
          {list.data && list.data.data.length > 0 && (
            <ul class="endpoints">
              {list.data.data.map((e) => (
                <EndpointItem key={e.id} endpoint={e} onChanged={list.reload} />
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

  // In the commit that shows the secret, not after the next paint: a keyboard or screen-reader
  // user is on it the moment it appears.
  useLayoutEffect(() => {
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

  return (
    <Card title={t('Add an endpoint')} wide>
      <form class="editor" onSubmit={add} aria-label={t('Add a webhook endpoint')}>
        <EndpointFields
          url={url}
          setUrl={setUrl}
          events={events}
          setEvents={setEvents}
          errors={errors}
        />
        <div class="actions">
          <button type="submit" class="primary">
            {t('Add endpoint')}
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
              {withParts(t('Added {url}. Its signing secret, shown only now:'), {
                url: <span class="url">{created.url}</span>,
              })}
            </p>
            <code ref={secretRef} tabIndex={-1}>
              {created.secret}
            </code>
            <p class="muted small">
              {withParts(
                t(
                  "Keep it where your receiver can read it, and check each request's {code} with it (README, Webhooks).",
                ),
                { code: signatureHeader() },
              )}
            </p>
          </div>
        )}
      </form>
    </Card>
  );
}

/**
 * An endpoint's URL and event types, with the API's errors at their fields. `prefix` keeps the
 * fields' ids apart when several forms are on the page (the API's paths are `url`, `events.0`…).
 */
function EndpointFields({
  url,
  setUrl,
  events,
  setEvents,
  errors,
  prefix = '',
}: {
  url: string;
  setUrl(v: string): void;
  events: WebhookType[];
  setEvents(f: (prev: WebhookType[]) => WebhookType[]): void;
  errors: FieldErrors;
  prefix?: string;
}) {
  const at = (path: string) => (prefix ? `${prefix}.${path}` : path);
  const eventsError = errors
    .filter((x) => x.path.startsWith('events'))
    .map((x) => fieldMessage(x.message));
  const eventsErrorId = `${prefix ? `${prefix}-` : ''}events-error`;
  return (
    <>
      <TextInput
        label={t('URL')}
        path={at('url')}
        errors={errors.map((e) => ({ ...e, path: at(e.path) }))}
        required
        maxLength={2048}
        placeholder="https://crm.example.com/hooks/touchpoint"
        value={url}
        onValue={setUrl}
      />
      <fieldset class="group" aria-describedby={eventsError.length ? eventsErrorId : undefined}>
        <legend>{t('Events')}</legend>
        {(Object.keys(TYPES) as WebhookType[]).map((type) => (
          <label key={type} class="check-line">
            <input
              type="checkbox"
              checked={events.includes(type)}
              onChange={(e) =>
                setEvents((prev) =>
                  e.currentTarget.checked ? [...prev, type] : prev.filter((x) => x !== type),
                )
              }
            />{' '}
            <code>{type}</code> — {t(TYPES[type])}
          </label>
        ))}
        {eventsError.length > 0 && (
          <span id={eventsErrorId} class="field-error">
            {eventsError.join(' · ')}
          </span>
        )}
      </fieldset>
    </>
  );
}

/** Changes an endpoint's URL or event types in place (`PATCH /v1/webhooks/{id}`). */
function EditEndpoint({
  endpoint,
  onSaved,
  onCancel,
}: {
  endpoint: Endpoint;
  onSaved(): void;
  onCancel(): void;
}) {
  const [url, setUrl] = useState(endpoint.url);
  const [events, setEvents] = useState<WebhookType[]>(endpoint.events);
  const [errors, setErrors] = useState<FieldErrors>([]);
  const [problem, setProblem] = useState('');
  const save = async (e: Event) => {
    e.preventDefault();
    try {
      await api(`/v1/webhooks/${encodeURIComponent(endpoint.id)}`, {
        method: 'PATCH',
        body: JSON.stringify({ url: url.trim(), events }),
      });
      onSaved();
    } catch (err) {
      const { fields, text } = saveErrors(err);
      setErrors(fields);
      setProblem(fields.length ? '' : text);
    }
  };
  return (
    <form class="editor" onSubmit={save} aria-label={t('Change {url}', { url: endpoint.url })}>
      <EndpointFields
        url={url}
        setUrl={setUrl}
        events={events}
        setEvents={setEvents}
        errors={errors}
        prefix={endpoint.id}
      />
      <div class="actions">
        <button type="submit" class="primary">
          {t('Save')}
        </button>
        <button type="button" onClick={onCancel}>
          {t('Cancel')}
        </button>
      </div>
      {problem && (
        <p class="problem" role="alert">
          {problem}
        </p>
      )}
    </form>
  );
}

function EndpointItem({ endpoint, onChanged }: { endpoint: Endpoint; onChanged(): void }) {
  const [open, setOpen] = useState(false);
  const [editing, setEditing] = useState(false);
  const [problem, setProblem] = useState('');
  const [notice, setNotice] = useState('');
  const [secret, setSecret] = useState('');
  const secretRef = useRef<HTMLElement>(null);
  // Focus on the new secret in the commit that shows it (as on adding an endpoint).
  useLayoutEffect(() => {
    if (secret) secretRef.current?.focus();
  }, [secret]);
  const rotate = async () => {
    if (
      !confirm(
        t(
          'Give {url} a new signing secret? Every delivery from now on is signed with it: your receiver must check with the new one.',
          { url: endpoint.url },
        ),
      )
    )
      return;
    try {
      const res = await api<{ secret: string }>(
        `/v1/webhooks/${encodeURIComponent(endpoint.id)}/secret`,
        { method: 'POST' },
      );
      setProblem('');
      setSecret(res.secret);
    } catch (e) {
      setProblem(saveErrors(e).text);
    }
  };
  // Bumped to read the deliveries again after a test event is queued.
  const [reads, setReads] = useState(0);
  const sendTest = async () => {
    try {
      await api(`/v1/webhooks/${encodeURIComponent(endpoint.id)}/test`, { method: 'POST' });
      setProblem('');
      setNotice(t('Test event queued: it is sent within seconds and listed below.'));
      setOpen(true);
      setReads((n) => n + 1);
    } catch (e) {
      setNotice('');
      setProblem(saveErrors(e).text);
    }
  };
  const remove = async () => {
    if (
      !confirm(
        t('Delete the endpoint {url}? Its pending deliveries are dropped.', { url: endpoint.url }),
      )
    )
      return;
    try {
      await api(`/v1/webhooks/${encodeURIComponent(endpoint.id)}`, { method: 'DELETE' });
      onChanged();
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
        {endpoint.events.join(', ')} · {t('added {date}', { date: when(endpoint.createdAt) })}
      </p>
      <div class="actions">
        <button type="button" aria-expanded={open} onClick={() => setOpen(!open)}>
          {open ? t('Hide deliveries') : t('Show deliveries')}
        </button>
        <button
          type="button"
          aria-label={t('Send a test event to {url}', { url: endpoint.url })}
          onClick={sendTest}
        >
          {t('Send a test event')}
        </button>
        <button
          type="button"
          aria-expanded={editing}
          aria-label={t('Change {url}', { url: endpoint.url })}
          onClick={() => setEditing(!editing)}
        >
          {t('Edit')}
        </button>
        <button
          type="button"
          aria-label={t('Give {url} a new signing secret', { url: endpoint.url })}
          onClick={rotate}
        >
          {t('New secret')}
        </button>
        <button
          type="button"
          class="danger"
          aria-label={t('Delete {url}', { url: endpoint.url })}
          onClick={remove}
        >
          {t('Delete')}
        </button>
      </div>
      {problem && (
        <p class="problem" role="alert">
          {problem}
        </p>
      )}
      <p class="muted small" role="status">
        {notice}
      </p>
      {editing && (
        <EditEndpoint
          endpoint={endpoint}
          onSaved={() => {
            setEditing(false);
            onChanged();
          }}
          onCancel={() => setEditing(false)}
        />
      )}
      {secret && (
        <div class="secret">
          <p>
            {withParts(t('The new signing secret of {url}, shown only now:'), {
              url: <span class="url">{endpoint.url}</span>,
            })}
          </p>
          <code ref={secretRef} tabIndex={-1}>
            {secret}
          </code>
        </div>
      )}
      {open && <Deliveries key={reads} id={endpoint.id} />}
    </li>
  );
}

function Deliveries({ id }: { id: string }) {
  const { rows, next, error, loaded, more } = usePages<Delivery>(
    `/v1/webhooks/${encodeURIComponent(id)}/deliveries`,
    { limit: 20 },
  );
  // Deliveries sent again from this list: shown as queued until the list is read again.
  const [again, setAgain] = useState<Record<string, Delivery>>({});
  const [problem, setProblem] = useState('');
  const sendAgain = async (d: Delivery) => {
    try {
      const queued = await api<Delivery>(
        `/v1/webhooks/${encodeURIComponent(id)}/deliveries/${encodeURIComponent(d.id)}/retry`,
        { method: 'POST' },
      );
      setProblem('');
      setAgain((prev) => ({ ...prev, [d.id]: queued }));
    } catch (e) {
      setProblem(saveErrors(e).text);
    }
  };
  if (error) return <Problem error={error} />;
  if (!loaded) return <Loading />;
  if (rows.length === 0) return <p class="muted small">{t('No deliveries yet.')}</p>;
  return (
    <>
      <TableWrap label={t('Deliveries')}>
        <table class="compact" aria-label={t('Deliveries')}>
          <thead>
            <tr>
              <th scope="col">{t('Event')}</th>
              <th scope="col">{t('Status')}</th>
              <th scope="col" class="num">
                {t('Attempts')}
              </th>
              <th scope="col" class="hide-s">
                {t('Last answer')}
              </th>
              <th scope="col">{t('When')}</th>
            </tr>
          </thead>
          <tbody>
            {rows
              .map((row) => ({ ...row, ...again[row.id] }))
              .map((d) => (
                <tr key={d.id}>
                  <td>
                    <code>{d.type}</code>
                  </td>
                  <td class={d.status === 'failed' ? 'negative' : undefined}>
                    {statusLabel(d.status)}
                    {d.status === 'pending' && d.nextAttemptAt
                      ? t(' (next {date})', { date: when(d.nextAttemptAt) })
                      : ''}
                    {d.status === 'failed' && (
                      <>
                        {' '}
                        <button
                          type="button"
                          class="link"
                          aria-label={t('Send the {type} delivery of {date} again', {
                            type: d.type,
                            date: when(d.createdAt),
                          })}
                          onClick={() => sendAgain(d)}
                        >
                          {t('Send again')}
                        </button>
                      </>
                    )}
                  </td>
                  <td class="num">{num(d.attempts)}</td>
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
      {problem && (
        <p class="problem" role="alert">
          {problem}
        </p>
      )}
      <p class="muted small" role="status">
        {Object.keys(again).length > 0 ? t('Queued again: it is sent within seconds.') : ''}
      </p>
      {next && (
        <button type="button" onClick={more}>
          {t('Show older deliveries')}
        </button>
      )}
    </>
  );
}
