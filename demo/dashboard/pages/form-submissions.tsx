/**
 * A form's submissions, newest first (`GET /v1/forms/{id}/submissions`): who sent it, from
 * which page, and whether the collector accepted it or kept it aside as likely spam.
 */
import { Card, count, Problem, pathOf, TableWrap, when } from '../ui.tsx';
import { usePages } from '../use-api.ts';

interface Submission {
  id: string;
  status: 'accepted' | 'quarantined';
  reason: string | null;
  anonymousId: string;
  values: Record<string, unknown>;
  url: string | null;
  createdAt: string;
}

/** The values a person typed, in one line (the email first; consent boxes left out). */
function summary(values: Record<string, unknown>): string {
  const { email, ...rest } = values;
  const others = Object.entries(rest)
    .filter(([, v]) => typeof v === 'string' && v !== '')
    .map(([k, v]) => `${k}: ${v}`);
  return [typeof email === 'string' ? email : '', ...others].filter(Boolean).join(' · ') || '—';
}

/**
 * The submissions card of form `formId`, 25 at a time.
 *
 * @example <FormSubmissions formId="newsletter" />
 */
export function FormSubmissions({ formId }: { formId: string }) {
  const { rows, next, error, loaded, more } = usePages<Submission>(
    `/v1/forms/${encodeURIComponent(formId)}/submissions`,
    { limit: 25 },
  );

  return (
    <Card title="Submissions" wide>
      {error && <Problem error={error} />}
      {loaded && rows.length === 0 && !error && <p class="muted">No submissions yet.</p>}
      {rows.length > 0 && (
        <>
          <p class="muted small">
            {count(rows.length, 'submission')}
            {next ? ' shown, newest first' : ', newest first'}. Likely spam is kept aside, never
            made a lead.
          </p>
          <TableWrap label="Submissions">
            <table class="compact submissions">
              <thead>
                <tr>
                  <th scope="col">When</th>
                  <th scope="col">Values</th>
                  <th scope="col" class="hide-s">
                    Page
                  </th>
                  <th scope="col">Status</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((r) => (
                  <tr key={r.id}>
                    <td>{when(r.createdAt)}</td>
                    <td>{summary(r.values)}</td>
                    <td class="hide-s url">{pathOf(r.url) || '—'}</td>
                    <td>
                      {r.status === 'accepted' ? (
                        'accepted'
                      ) : (
                        <span class="negative">spam{r.reason ? ` (${r.reason})` : ''}</span>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
        </>
      )}
      {next && (
        <button type="button" onClick={more}>
          Show older submissions
        </button>
      )}
    </Card>
  );
}
