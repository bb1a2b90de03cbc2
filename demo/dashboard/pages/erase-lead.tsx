/**
 * The lead page's "Erase" card: a person's request to be forgotten, carried out from the
 * dashboard (`DELETE /v1/leads/{id}`: the lead, its identities, events and submissions).
 */
import { useState } from 'preact/hooks';
import type { Lead } from '../../../collector/openapi/contract.ts';
import { api } from '../api.ts';
import { saveErrors } from '../edit.tsx';
import { messages } from '../i18n.ts';
import { href } from '../router.ts';
import { Card, leaveNotice } from '../ui.tsx';

const t = messages({
  'Erase {who}? Their identities, events, submissions and score are deleted for good.':
    'Xóa vĩnh viễn {who}? Danh tính, sự kiện, lượt gửi và điểm của người này sẽ mất hẳn.',
  '{who} was erased.': 'Đã xóa vĩnh viễn {who}.',
  Erase: 'Xóa vĩnh viễn',
  'For a request to be forgotten: the lead, every identity and device linked to it, its events and form submissions are deleted. This cannot be undone.':
    'Dùng khi có yêu cầu được lãng quên: khách hàng tiềm năng này, mọi danh tính và thiết bị liên kết với họ, các sự kiện và lượt gửi biểu mẫu của họ đều bị xóa. Thao tác này không thể hoàn tác.',
  'Erase this lead': 'Xóa vĩnh viễn khách hàng tiềm năng này',
});

/**
 * Erases the lead after a confirmation naming it, then returns to the leads list.
 *
 * @example <EraseLead lead={lead} />
 */
export function EraseLead({ lead }: { lead: Lead }) {
  const [problem, setProblem] = useState('');
  const who = lead.email || lead.name || lead.id;
  const erase = async () => {
    if (
      !confirm(
        t('Erase {who}? Their identities, events, submissions and score are deleted for good.', {
          who,
        }),
      )
    )
      return;
    try {
      await api(`/v1/leads/${encodeURIComponent(lead.id)}`, { method: 'DELETE' });
      leaveNotice(t('{who} was erased.', { who }));
      location.hash = href(['leads']);
    } catch (e) {
      setProblem(saveErrors(e).text);
    }
  };
  return (
    <Card title={t('Erase')}>
      <p class="muted small">
        {t(
          'For a request to be forgotten: the lead, every identity and device linked to it, its events and form submissions are deleted. This cannot be undone.',
        )}
      </p>
      <button type="button" class="danger" onClick={erase}>
        {t('Erase this lead')}
      </button>
      {problem && (
        <p class="problem" role="alert">
          {problem}
        </p>
      )}
    </Card>
  );
}
