/**
 * The lead page's changes besides stage moves: correcting a person's details
 * (`PATCH /v1/leads/{id}`) and merging a duplicate into this lead (`POST /v1/leads/{id}/merge`),
 * the two things sales do when a person shows up twice or with a typo.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { Lead } from '../../../collector/openapi/contract.ts';
import { api, query } from '../api.ts';
import { type FieldErrors, saveErrors, TextInput } from '../edit.tsx';
import { fieldMessage } from '../field-errors.ts';
import { messages } from '../i18n.ts';
import { Breakable, Card, StageBadge } from '../ui.tsx';

const t = messages({
  Name: 'Tên',
  Email: 'Email',
  Company: 'Công ty',
  'Job title': 'Chức danh',
  Phone: 'Số điện thoại',
  'Nothing changed.': 'Không có gì thay đổi.',
  'Saved.': 'Đã lưu.',
  'Edit details': 'Sửa thông tin',
  'Save details': 'Lưu thông tin',
  'No other lead matches.': 'Không có khách hàng tiềm năng nào khác khớp.',
  'Merge {them} into {me}? Their history, devices and identities move here.':
    'Gộp {them} vào {me}? Lịch sử, thiết bị và danh tính của họ sẽ được chuyển sang đây.',
  'Merged {them} into this lead.': 'Đã gộp {them} vào khách hàng tiềm năng này.',
  'Merge a duplicate': 'Gộp bản trùng lặp',
  'Find a duplicate': 'Tìm bản trùng lặp',
  'Email or name of the other lead': 'Email hoặc tên của khách hàng tiềm năng kia',
  Find: 'Tìm',
  'Merge into this lead: {who}': 'Gộp vào khách hàng tiềm năng này: {who}',
  'Merge into this lead': 'Gộp vào đây',
});

/** The details a person gives most often, edited as text. */
const DETAILS = [
  ['name', 'Name'],
  ['email', 'Email'],
  ['company', 'Company'],
  ['title', 'Job title'],
  ['phone', 'Phone'],
] as const;

type Detail = (typeof DETAILS)[number][0];

const detailOf = (lead: Lead, k: Detail): string => {
  const v = k === 'email' ? lead.email : k === 'name' ? lead.name : lead.traits?.[k];
  return typeof v === 'string' || typeof v === 'number' ? String(v) : '';
};

/**
 * Edits name, email, company, title and phone; sends only what changed (an emptied detail is
 * removed, except the email, which identifies the person and can only be replaced).
 *
 * @example <EditDetails lead={lead} onSaved={reload} />
 */
export function EditDetails({ lead, onSaved }: { lead: Lead; onSaved(): void }) {
  const fresh = () => Object.fromEntries(DETAILS.map(([k]) => [k, detailOf(lead, k)]));
  const [values, setValues] = useState(fresh);
  /** The lead's details the fields were last filled from. */
  const shown = useRef<Record<string, string>>(values);
  // The lead changed (this save, a merge, a move): each field shows it as it is now — unless the
  // user has typed in it since, which a reload landing late must not undo.
  useEffect(() => {
    const now = fresh();
    setValues((typed) =>
      Object.fromEntries(
        DETAILS.map(([k]) => [k, typed[k] === shown.current[k] ? now[k] : typed[k]]),
      ),
    );
    shown.current = now;
  }, [lead.updatedAt]);
  const [errors, setErrors] = useState<FieldErrors>([]);
  const [status, setStatus] = useState('');
  const [problem, setProblem] = useState('');

  const save = async (e: Event) => {
    e.preventDefault();
    const traits: Record<string, string | null> = {};
    for (const [k] of DETAILS) {
      const v = (values[k] ?? '').trim();
      if (v === detailOf(lead, k)) continue;
      if (k === 'email' && !v) continue;
      traits[k] = v || null;
    }
    if (Object.keys(traits).length === 0) {
      setStatus(t('Nothing changed.'));
      return;
    }
    try {
      await api(`/v1/leads/${encodeURIComponent(lead.id)}`, {
        method: 'PATCH',
        body: JSON.stringify({ traits }),
      });
      setErrors([]);
      setProblem('');
      setStatus(t('Saved.'));
      onSaved();
    } catch (err) {
      const { fields, text } = saveErrors(err);
      setErrors(fields);
      setProblem(fields.length ? '' : text);
      setStatus('');
    }
  };

  return (
    <Card title={t('Edit details')}>
      <form class="editor" onSubmit={save} aria-label={t('Edit details')}>
        {DETAILS.map(([k, label]) => (
          <TextInput
            key={k}
            label={t(label)}
            path={`traits.${k}`}
            errors={errors}
            maxLength={k === 'email' ? 254 : 500}
            value={values[k]}
            onValue={(v) => {
              setValues((x) => ({ ...x, [k]: v }));
              setStatus('');
            }}
          />
        ))}
        <div class="actions">
          <button type="submit" class="primary">
            {t('Save details')}
          </button>
          <p class="muted small" role="status">
            {status}
          </p>
        </div>
        {problem && (
          <p class="problem" role="alert">
            {problem}
          </p>
        )}
      </form>
    </Card>
  );
}

/**
 * Finds another lead by email or name and merges it into this one after a confirmation naming
 * both (its identities, devices, events and history come here; the other id then answers with
 * this lead).
 *
 * @example <MergeLead lead={lead} onMerged={reload} />
 */
export function MergeLead({ lead, onMerged }: { lead: Lead; onMerged(): void }) {
  const [found, setFound] = useState<Lead[] | null>(null);
  const [status, setStatus] = useState('');
  const [problem, setProblem] = useState('');
  const input = useRef<HTMLInputElement>(null);
  const me = lead.email || lead.name || lead.id;

  const search = async (e: Event) => {
    e.preventDefault();
    const q = input.current?.value.trim() ?? '';
    if (!q) return;
    try {
      const page = await api<{ data: Lead[] }>(`/v1/leads${query({ q, limit: 6 })}`);
      const others = page.data.filter((l) => l.id !== lead.id).slice(0, 5);
      setFound(others);
      setProblem('');
      setStatus(others.length ? '' : t('No other lead matches.'));
    } catch (err) {
      setProblem(saveErrors(err).text);
    }
  };

  const merge = async (other: Lead) => {
    const them = other.email || other.name || other.id;
    if (
      !confirm(
        t('Merge {them} into {me}? Their history, devices and identities move here.', { them, me }),
      )
    )
      return;
    try {
      await api(`/v1/leads/${encodeURIComponent(lead.id)}/merge`, {
        method: 'POST',
        body: JSON.stringify({ leadId: other.id }),
      });
      setFound(null);
      setProblem('');
      setStatus(t('Merged {them} into this lead.', { them }));
      onMerged();
    } catch (err) {
      const { fields, text } = saveErrors(err);
      setProblem(fields.length ? fields.map((f) => fieldMessage(f.message)).join(' · ') : text);
    }
  };

  return (
    <Card title={t('Merge a duplicate')}>
      <form class="merge" onSubmit={search} aria-label={t('Find a duplicate')}>
        <label for="merge-q">{t('Email or name of the other lead')}</label>
        <div class="row-inline">
          <input id="merge-q" ref={input} type="search" maxLength={200} />
          <button type="submit">{t('Find')}</button>
        </div>
      </form>
      {found && found.length > 0 && (
        <ul class="candidates">
          {found.map((o) => (
            <li key={o.id}>
              <span>
                {o.name || o.email || o.id}{' '}
                <span class="muted small">{o.email && <Breakable text={o.email} />}</span>{' '}
                <StageBadge stage={o.stage} />
              </span>
              <button
                type="button"
                aria-label={t('Merge into this lead: {who}', { who: o.email || o.name || o.id })}
                onClick={() => merge(o)}
              >
                {t('Merge into this lead')}
              </button>
            </li>
          ))}
        </ul>
      )}
      <p class="muted small" role="status">
        {status}
      </p>
      {problem && (
        <p class="problem" role="alert">
          {problem}
        </p>
      )}
    </Card>
  );
}
