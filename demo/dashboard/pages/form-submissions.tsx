/**
 * A form's submissions, newest first (`GET /v1/forms/{formId}/submissions`): who sent it, from
 * which page, and whether the collector accepted it or kept it aside as likely spam.
 */
import { messages } from '../i18n.ts';
import { Card, Problem, pathOf, TableWrap, when } from '../ui.tsx';
import { usePages } from '../use-api.ts';
import { spamReason, traitLabel } from '../words.ts';

const t = messages({
  Submissions: 'Lượt gửi',
  'No submissions yet.': 'Chưa có lượt gửi nào.',
  '{n} submission shown, newest first. Likely spam is kept aside, never made a lead.|{n} submissions shown, newest first. Likely spam is kept aside, never made a lead.':
    'Đang hiển thị {n} lượt gửi, mới nhất trước. Lượt gửi nghi là spam được để riêng, không bao giờ thành khách hàng tiềm năng.',
  '{n} submission, newest first. Likely spam is kept aside, never made a lead.|{n} submissions, newest first. Likely spam is kept aside, never made a lead.':
    '{n} lượt gửi, mới nhất trước. Lượt gửi nghi là spam được để riêng, không bao giờ thành khách hàng tiềm năng.',
  When: 'Thời điểm',
  Values: 'Giá trị',
  Page: 'Trang',
  Status: 'Trạng thái',
  accepted: 'đã nhận',
  spam: 'spam',
  'spam ({reason})': 'spam ({reason})',
  'Show older submissions': 'Xem các lượt gửi cũ hơn',
});

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
    .map(([k, v]) => `${traitLabel(k)}: ${v}`);
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
    <Card title={t('Submissions')} wide>
      {error && <Problem error={error} />}
      {loaded && rows.length === 0 && !error && <p class="muted">{t('No submissions yet.')}</p>}
      {rows.length > 0 && (
        <>
          <p class="muted small">
            {next
              ? t(
                  '{n} submission shown, newest first. Likely spam is kept aside, never made a lead.|{n} submissions shown, newest first. Likely spam is kept aside, never made a lead.',
                  { n: rows.length },
                )
              : t(
                  '{n} submission, newest first. Likely spam is kept aside, never made a lead.|{n} submissions, newest first. Likely spam is kept aside, never made a lead.',
                  { n: rows.length },
                )}
          </p>
          <TableWrap label={t('Submissions')}>
            <table class="compact submissions">
              <thead>
                <tr>
                  <th scope="col">{t('When')}</th>
                  <th scope="col">{t('Values')}</th>
                  <th scope="col" class="hide-s">
                    {t('Page')}
                  </th>
                  <th scope="col">{t('Status')}</th>
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
                        t('accepted')
                      ) : (
                        <span class="negative">
                          {r.reason
                            ? t('spam ({reason})', { reason: spamReason(r.reason) })
                            : t('spam')}
                        </span>
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
          {t('Show older submissions')}
        </button>
      )}
    </Card>
  );
}
