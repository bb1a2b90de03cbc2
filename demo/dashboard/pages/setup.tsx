/** Forms and scoring rules: what the site shows and how it scores, with the ways to change them. */
import type { z } from 'zod';
import type { formDefinitionSchema } from '../../../shared/forms-schema.ts';
import type { scoringRulesSchema } from '../../../shared/scoring-schema.ts';
import { href } from '../router.ts';
import { Card, Loading, PageHeading, Problem, TableWrap } from '../ui.tsx';
import { useApi } from '../use-api.ts';

// Types only: no zod reaches the browser bundle.
type FormDefinition = z.infer<typeof formDefinitionSchema>;
type ScoringRules = z.infer<typeof scoringRulesSchema>;

export function SetupPage() {
  const forms = useApi<{ data: FormDefinition[] }>('/v1/forms');
  // The rules exactly as PUT takes them (the version travels in headers only).
  const rules = useApi<ScoringRules>('/v1/scoring');
  return (
    <>
      <PageHeading title="Forms & scoring" />
      <div class="grid">
        <Card title="Forms" wide>
          {forms.error && <Problem error={forms.error} />}
          {forms.loading && !forms.data && <Loading />}
          <p>
            <a class="button primary" href={href(['setup', 'new-form'])}>
              New form
            </a>
          </p>
          {forms.data && forms.data.data.length === 0 && (
            <p class="muted">No forms yet. Create one, then place it in a page or let it pop up.</p>
          )}
          {forms.data && forms.data.data.length > 0 && (
            <>
              <TableWrap label="Form table">
                <table class="compact">
                  <thead>
                    <tr>
                      <th scope="col">Form</th>
                      <th scope="col">Kind</th>
                      <th scope="col">Fields</th>
                      <th scope="col">Sales-ready</th>
                    </tr>
                  </thead>
                  <tbody>
                    {forms.data.data.map((f) => (
                      <tr key={f.id}>
                        <td>
                          <a href={href(['setup', 'forms', f.id])}>{f.name}</a>{' '}
                          <code class="muted">{f.id}</code>
                        </td>
                        <td>{f.kind}</td>
                        <td>{f.fields.map((x) => x.name).join(', ')}</td>
                        <td>{f.salesReady ? 'yes' : 'no'}</td>
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
        <Card title="Scoring rules" wide>
          {rules.error && <Problem error={rules.error} />}
          {rules.loading && !rules.data && <Loading />}
          <p>
            <a class="button primary" href={href(['setup', 'scoring'])}>
              Edit scoring rules
            </a>
          </p>
          {rules.data && <Rules rules={rules.data} />}
        </Card>
      </div>
    </>
  );
}

function Rules({ rules }: { rules: ScoringRules }) {
  const caps = (['fit', 'engagement', 'total'] as const)
    .filter((k) => rules.caps?.[k] !== undefined)
    .map((k) => `${k} ${rules.caps?.[k]}`)
    .join(', ');
  return (
    <>
      <p>
        MQL at <strong>{rules.mqlThreshold}</strong> points ·{' '}
        {rules.halfLifeDays ? (
          <>
            engagement half-life <strong>{rules.halfLifeDays}</strong> days
          </>
        ) : (
          'engagement never fades'
        )}
        {caps && ` · caps: ${caps}`}
      </p>
      <TableWrap label="Rule table">
        <table class="compact">
          <thead>
            <tr>
              <th scope="col">Rule</th>
              <th scope="col">Kind</th>
              <th scope="col">When</th>
              <th scope="col" class="num">
                Points
              </th>
            </tr>
          </thead>
          <tbody>
            {(rules.fit ?? []).map((r) => (
              <tr key={`fit-${r.id}`}>
                <td>{r.label}</td>
                <td>fit</td>
                <td>
                  <code>
                    {r.trait} {r.op} {JSON.stringify(r.value ?? null)}
                  </code>
                </td>
                <td class="num">{r.points}</td>
              </tr>
            ))}
            {(rules.engagement ?? []).map((r) => (
              <tr key={`eng-${r.id}`}>
                <td>{r.label}</td>
                <td>engagement</td>
                <td>
                  <code>{JSON.stringify(r.event)}</code>
                  {r.once ? ' · once' : ''}
                  {r.max !== undefined ? ` · max ${r.max}` : ''}
                </td>
                <td class="num">{r.points}</td>
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
