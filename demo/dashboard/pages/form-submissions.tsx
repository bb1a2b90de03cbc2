/**
 * A form's submissions, newest first (`GET /v1/forms/{id}/submissions`): who sent it, from
 * which page, and whether the collector accepted it or kept it aside as likely spam.
 */
import { useEffect, useState } from 'preact/hooks';
import { ApiError, api, query } from '../api.ts';
import { Card, count, Problem, pathOf, TableWrap, when } from '../ui.tsx';

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
  const [rows, setRows] = useState<Submission[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [loaded, setLoaded] = useState(false);

  const load = async (from: string | null) => {
    try {
      const page = await api<{ data: Submission[]; nextCursor: string | null }>(
        `/v1/forms/${encodeURIComponent(formId)}/submissions${query({ limit: 25, cursor: from })}`,
      );
      setRows((prev) => (from ? [...prev, ...page.data] : page.data));
      setCursor(page.nextCursor);
      setError(null);
    } catch (e) {
      setError(e instanceof ApiError ? e : new ApiError(0, String(e)));
    } finally {
      setLoaded(true);
    }
  };
  useEffect(() => {
    void load(null);
  }, [formId]);

  return (
    <Card title="Submissions" wide>
      {error && <Problem error={error} />}
      {loaded && rows.length === 0 && !error && <p class="muted">No submissions yet.</p>}
      {rows.length > 0 && (
        <>
          <p class="muted small">
            {count(rows.length, 'submission')}
            {cursor ? ' shown, newest first' : ', newest first'}. Likely spam is kept aside, never
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
      {cursor && (
        <button type="button" onClick={() => void load(cursor)}>
          Show older submissions
        </button>
      )}
    </Card>
  );
}
