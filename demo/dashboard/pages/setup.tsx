/** Forms and scoring rules: what the site shows and how it scores, with the ways to change them. */
import type { z } from 'zod';
import type { formDefinitionSchema } from '../../../shared/forms-schema.ts';
import type { scoringRulesSchema } from '../../../shared/scoring-schema.ts';
import { messages } from '../i18n.ts';
import { href } from '../router.ts';
import { engagementSentence, fitSentence } from '../rule-text.ts';
import { Card, Loading, num, PageHeading, Problem, TableWrap } from '../ui.tsx';
import { useApi } from '../use-api.ts';
import { ruleLabel } from '../words.ts';

const t = messages({
  'Forms & scoring': 'Biểu mẫu & chấm điểm',
  Forms: 'Biểu mẫu',
  'New form': 'Biểu mẫu mới',
  'No forms yet. Create one, then place it in a page or let it pop up.':
    'Chưa có biểu mẫu nào. Hãy tạo một biểu mẫu rồi đặt vào trang hoặc cho hiện dạng cửa sổ bật lên.',
  'Form table': 'Bảng biểu mẫu',
  Form: 'Biểu mẫu',
  Kind: 'Loại',
  Fields: 'Trường',
  'Sales-ready': 'Sẵn sàng bán hàng',
  yes: 'có',
  no: 'không',
  // A form's kind, shown in English as its code.
  inline: 'nhúng trong trang',
  popup: 'cửa sổ bật lên',
  slide_in: 'hộp trượt',
  bar: 'thanh thông báo',
  'Scoring rules': 'Quy tắc chấm điểm',
  'Edit scoring rules': 'Sửa quy tắc chấm điểm',
  'MQL at {n} points': 'MQL khi đạt {n} điểm',
  'engagement half-life {n} days': 'chu kỳ bán rã điểm tương tác {n} ngày',
  'engagement never fades': 'điểm tương tác không bao giờ giảm',
  'caps: {caps}': 'mức trần: {caps}',
  fit: 'mức phù hợp',
  engagement: 'mức tương tác',
  total: 'tổng',
  'Rule table': 'Bảng quy tắc',
  Rule: 'Quy tắc',
  When: 'Điều kiện',
  Points: 'Điểm',
});

/** `text` (a translated `…{n}…` template) with `value` in bold where `{n}` stands. */
function withStrong(text: string, value: string) {
  const [before = '', after = ''] = text.split('{n}');
  return (
    <>
      {before}
      <strong>{value}</strong>
      {after}
    </>
  );
}

// Types only: no zod reaches the browser bundle.
type FormDefinition = z.infer<typeof formDefinitionSchema>;
type ScoringRules = z.infer<typeof scoringRulesSchema>;

export function SetupPage() {
  const forms = useApi<{ data: FormDefinition[] }>('/v1/forms');
  // The rules exactly as PUT takes them (the version travels in headers only).
  const rules = useApi<ScoringRules>('/v1/scoring');
  return (
    <>
      <PageHeading title={t('Forms & scoring')} />
      <div class="grid">
        <Card title={t('Forms')} wide>
          {forms.error && <Problem error={forms.error} />}
          {forms.loading && !forms.data && <Loading />}
          <p>
            <a class="button primary" href={href(['setup', 'new-form'])}>
              {t('New form')}
            </a>
          </p>
          {forms.data && forms.data.data.length === 0 && (
            <p class="muted">
              {t('No forms yet. Create one, then place it in a page or let it pop up.')}
            </p>
          )}
          {forms.data && forms.data.data.length > 0 && (
            <>
              <TableWrap label={t('Form table')}>
                <table class="compact">
                  <thead>
                    <tr>
                      <th scope="col">{t('Form')}</th>
                      <th scope="col">{t('Kind')}</th>
                      <th scope="col">{t('Fields')}</th>
                      <th scope="col">{t('Sales-ready')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {forms.data.data.map((f) => (
                      <tr key={f.id}>
                        <td>
                          <a href={href(['setup', 'forms', f.id])}>{f.name}</a>{' '}
                          <code class="muted">{f.id}</code>
                        </td>
                        <td>{t(f.kind)}</td>
                        <td>{f.fields.map((x) => x.name).join(', ')}</td>
                        <td>{f.salesReady ? t('yes') : t('no')}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </TableWrap>
              <details>
                <summary>JSON</summary>
                <pre>{JSON.stringify(forms.data.data, null, 2)}</pre>
              </details>
            </>
          )}
        </Card>
        <Card title={t('Scoring rules')} wide>
          {rules.error && <Problem error={rules.error} />}
          {rules.loading && !rules.data && <Loading />}
          <p>
            <a class="button primary" href={href(['setup', 'scoring'])}>
              {t('Edit scoring rules')}
            </a>
          </p>
          {rules.data && (
            <Rules
              rules={rules.data}
              formName={(id) => forms.data?.data.find((f) => f.id === id)?.name ?? id}
            />
          )}
        </Card>
      </div>
    </>
  );
}

/**
 * The rules, each with its condition as a sentence. On a phone each row stacks (label and
 * points, then kind and condition) instead of scrolling a four-column table sideways.
 */
function Rules({ rules, formName }: { rules: ScoringRules; formName: (id: string) => string }) {
  const caps = (['fit', 'engagement', 'total'] as const)
    .filter((k) => rules.caps?.[k] !== undefined)
    .map((k) => `${t(k)} ${num(rules.caps?.[k] as number)}`)
    .join(', ');
  return (
    <>
      <p>
        {withStrong(t('MQL at {n} points'), num(rules.mqlThreshold))} ·{' '}
        {rules.halfLifeDays
          ? withStrong(t('engagement half-life {n} days'), num(rules.halfLifeDays))
          : t('engagement never fades')}
        {caps && ` · ${t('caps: {caps}', { caps })}`}
      </p>
      <TableWrap label={t('Rule table')}>
        <table class="compact stack rules">
          <thead>
            <tr>
              <th scope="col">{t('Rule')}</th>
              <th scope="col">{t('Kind')}</th>
              <th scope="col">{t('When')}</th>
              <th scope="col" class="num">
                {t('Points')}
              </th>
            </tr>
          </thead>
          <tbody>
            {(rules.fit ?? []).map((r) => (
              <tr key={`fit-${r.id}`}>
                <td>{ruleLabel(r.id, r.label)}</td>
                <td class="kind">{t('fit')}</td>
                <td class="when">{fitSentence(r)}</td>
                <td class="num">{num(r.points)}</td>
              </tr>
            ))}
            {(rules.engagement ?? []).map((r) => (
              <tr key={`eng-${r.id}`}>
                <td>{ruleLabel(r.id, r.label)}</td>
                <td class="kind">{t('engagement')}</td>
                <td class="when">{engagementSentence(r, formName)}</td>
                <td class="num">{num(r.points)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableWrap>
      <details>
        <summary>JSON</summary>
        <pre>{JSON.stringify(rules, null, 2)}</pre>
      </details>
    </>
  );
}
