/** The lead page's "Move stage" form: a manual move (`POST /v1/leads/{id}/stage`) with its reason. */
import { useRef, useState } from 'preact/hooks';
import type { Lead } from '../../../collector/openapi/contract.ts';
import { ALL_STAGES, type AnyStage } from '../../../shared/funnel.ts';
import { ApiError, api } from '../api.ts';
import { fieldMessage } from '../field-errors.ts';
import { messages } from '../i18n.ts';
import { Card, stageLabel } from '../ui.tsx';

const t = messages({
  'Moved to {stage}.': 'Đã chuyển sang {stage}.',
  'Already {stage}.': 'Đã ở giai đoạn {stage}.',
  'Move stage': 'Chuyển giai đoạn',
  'New stage': 'Giai đoạn mới',
  Reason: 'Lý do',
  Move: 'Chuyển',
  'Needed to move back, and to {lost} or {disqualified}.':
    'Bắt buộc khi lùi giai đoạn và khi chuyển sang {lost} hoặc {disqualified}.',
});

/** Where a lead can be moved by hand: every stage but `visitor` (a lead is known by definition). */
const TARGETS = ALL_STAGES.filter((s) => s !== 'visitor');

/** What the last attempt said: the reason field's own error, or a line for the whole form. */
type Outcome = { ok: true; text: string } | { ok: false; reason?: string; text?: string };

/**
 * Moves the lead, then asks the page to fetch it again so the badge and history show the move.
 *
 * @example <MoveStage lead={lead} onMoved={reload} />
 */
export function MoveStage({ lead, onMoved }: { lead: Lead; onMoved: () => void }) {
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [busy, setBusy] = useState(false);
  const reasonRef = useRef<HTMLInputElement>(null);

  const move = async (e: Event) => {
    e.preventDefault();
    if (busy) return;
    const form = e.currentTarget as HTMLFormElement;
    const data = new FormData(form);
    const stage = String(data.get('stage')) as AnyStage;
    const reason = String(data.get('reason') ?? '').trim();
    setBusy(true);
    try {
      const res = await api<{ moved: boolean }>(`/v1/leads/${encodeURIComponent(lead.id)}/stage`, {
        method: 'POST',
        body: JSON.stringify(reason ? { stage, reason } : { stage }),
      });
      // The stage stays as chosen (it is the lead's stage now); the reason was for this move.
      if (reasonRef.current) reasonRef.current.value = '';
      setOutcome({
        ok: true,
        text: res.moved
          ? t('Moved to {stage}.', { stage: stageLabel(stage) })
          : t('Already {stage}.', { stage: stageLabel(stage) }),
      });
      onMoved();
    } catch (err) {
      const fields = err instanceof ApiError ? err.fields : [];
      const said = fields.find((f) => f.path === 'reason')?.message;
      const reasonError = said === undefined ? undefined : fieldMessage(said);
      const others = fields.filter((f) => f.path !== 'reason').map((f) => fieldMessage(f.message));
      setOutcome({
        ok: false,
        reason: reasonError,
        // The problem's title only when no field says more; the reason's error sits by its field.
        text:
          reasonError && others.length === 0
            ? undefined
            : [String((err as Error).message), ...others].join(' · '),
      });
      // The field to fix gets the caret, so a keyboard user can type the reason straight away.
      if (reasonError) reasonRef.current?.focus();
    } finally {
      setBusy(false);
    }
  };

  const reasonError = outcome && !outcome.ok ? outcome.reason : undefined;
  return (
    <Card title={t('Move stage')}>
      <form class="move-stage" onSubmit={move} aria-label={t('Move stage')}>
        <label>
          {t('New stage')}
          <select name="stage">
            {TARGETS.map((s) => (
              <option key={s} value={s} selected={s === lead.stage}>
                {stageLabel(s)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('Reason')}
          <input
            ref={reasonRef}
            name="reason"
            maxLength={1000}
            aria-invalid={reasonError ? 'true' : undefined}
            aria-describedby={
              reasonError ? 'move-reason-error move-reason-hint' : 'move-reason-hint'
            }
          />
        </label>
        {/* Not `disabled` while busy: a disabled button would drop keyboard focus to <body>. */}
        <button type="submit" class="primary" aria-disabled={busy ? 'true' : undefined}>
          {t('Move')}
        </button>
        <p id="move-reason-hint" class="muted small">
          {t('Needed to move back, and to {lost} or {disqualified}.', {
            lost: stageLabel('lost'),
            disqualified: stageLabel('disqualified'),
          })}
        </p>
        {reasonError && (
          <p id="move-reason-error" class="field-error" role="alert">
            {reasonError}
          </p>
        )}
        {/* Always present, so each success is announced when its text arrives. */}
        <p class="muted small" role="status">
          {outcome?.ok ? outcome.text : ''}
        </p>
        {outcome && !outcome.ok && outcome.text && (
          <p class="problem" role="alert">
            {outcome.text}
          </p>
        )}
      </form>
    </Card>
  );
}
