/** The leads page's "Save segment" form: the filters in force, under a name (`POST /v1/segments`). */
import { useState } from 'preact/hooks';
import type { Segment } from '../../../collector/api/segments-schema.ts';
import { ApiError, api } from '../api.ts';
import { fieldMessage } from '../field-errors.ts';
import { messages } from '../i18n.ts';

const t = messages({
  'Saved “{name}”.': 'Đã lưu “{name}”.',
  'Save these filters as a segment': 'Lưu bộ lọc này thành phân khúc',
  'Segment name': 'Tên phân khúc',
  'e.g. Hot paid-search leads': 'VD: Khách hàng tiềm năng nóng từ tìm kiếm trả phí',
  'Save segment': 'Lưu phân khúc',
});

/**
 * Saves the filters in force (not the sort) as a named segment; `onSaved` gets its id.
 *
 * @example <SaveSegment filters={filters} onSaved={(id) => go({ ...filters, segment: id })} />
 */
export function SaveSegment({
  filters,
  onSaved,
}: {
  filters: Record<string, string>;
  onSaved: (id: string) => void;
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
      onSaved(seg.id);
    } catch (err) {
      // The fields' errors say more than the problem's title; the name's by its label.
      const fields =
        err instanceof ApiError
          ? err.fields.map(
              (f) =>
                `${f.path === 'name' ? t('Segment name') : f.path}: ${fieldMessage(f.message)}`,
            )
          : [];
      setMessage({
        ok: false,
        text: fields.length ? fields.join(' · ') : String((err as Error).message),
      });
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
