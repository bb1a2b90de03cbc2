/**
 * The lead page's "Erase" card: a person's request to be forgotten, carried out from the
 * dashboard (`DELETE /v1/leads/{id}`: the lead, its identities, events and submissions).
 */
import { useState } from 'preact/hooks';
import type { Lead } from '../../../collector/openapi/contract.ts';
import { api } from '../api.ts';
import { saveErrors } from '../edit.tsx';
import { href } from '../router.ts';
import { Card, leaveNotice } from '../ui.tsx';

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
        `Erase ${who}? Their identities, events, submissions and score are deleted for good.`,
      )
    )
      return;
    try {
      await api(`/v1/leads/${encodeURIComponent(lead.id)}`, { method: 'DELETE' });
      leaveNotice(`${who} was erased.`);
      location.hash = href(['leads']);
    } catch (e) {
      setProblem(saveErrors(e).text);
    }
  };
  return (
    <Card title="Erase">
      <p class="muted small">
        For a request to be forgotten: the lead, every identity and device linked to it, its events
        and form submissions are deleted. This cannot be undone.
      </p>
      <button type="button" class="danger" onClick={erase}>
        Erase this lead
      </button>
      {problem && (
        <p class="problem" role="alert">
          {problem}
        </p>
      )}
    </Card>
  );
}
