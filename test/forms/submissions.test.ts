/** Submissions: the email field by type, whatever its name; error paths; the marketer's list. */
import { beforeAll, describe, expect, it } from 'vitest';
import { submittedEmail } from '../../collector/forms/submissions.ts';
import type { FormDefinition } from '../../shared/forms.ts';
import { ORIGIN } from '../helpers/app.ts';
import { suiteHarness } from '../helpers/fixture.ts';
import { storeCases } from '../helpers/stores.ts';

const work: FormDefinition = {
  id: 'work',
  name: 'Talk to sales',
  kind: 'inline',
  fields: [
    { name: 'work_email', type: 'email', label: 'Work email', required: true },
    { name: 'company', type: 'text' },
    { name: 'consent', type: 'consent', required: true, label: 'I agree to be contacted.' },
  ],
};

describe('submittedEmail', () => {
  const field = (name: string, type: FormDefinition['fields'][number]['type']) => ({ name, type });
  const def = (...fields: FormDefinition['fields']) => ({ ...work, fields });

  it('reads the first email-type field, whatever it is called', () => {
    const d = def(field('work_email', 'email'), field('home_email', 'email'));
    expect(submittedEmail(d, { work_email: 'a@x.co', home_email: 'b@x.co' })).toBe('a@x.co');
  });

  it('falls back to a field named email', () => {
    expect(submittedEmail(def(field('email', 'text')), { email: 'a@x.co' })).toBe('a@x.co');
    const optional = def(field('other', 'email'), field('email', 'text'));
    expect(submittedEmail(optional, { email: 'a@x.co' })).toBe('a@x.co');
  });

  it('finds none in a form without one', () => {
    expect(submittedEmail(def(field('company', 'text')), { company: 'a@x.co' })).toBeNull();
  });
});

let seq = 0;

describe.each(storeCases)('form submissions on $name', (sc) => {
  const h = suiteHarness(sc);

  beforeAll(async () => {
    const res = await h.secret('/v1/forms', { method: 'POST', body: JSON.stringify(work) });
    expect(res.status).toBe(201);
  });

  const submit = (
    values: Record<string, unknown>,
    over: Record<string, unknown> = {},
    form = 'work',
  ) =>
    h.app.request(`/v1/forms/${form}/submissions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: ORIGIN },
      body: JSON.stringify({
        site: h.site.publicKey,
        id: `sub-${Date.now().toString(36)}-${++seq}`,
        anonymousId: 'anon-work',
        url: 'https://www.example.com/sales',
        elapsedMs: 9_000,
        hp: '',
        values,
        ...over,
      }),
    });

  const pathsOf = async (res: Response) => {
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    return ((await res.json()).errors as { path: string }[]).map((e) => e.path).sort();
  };

  it('makes a lead from an email field not named email', async () => {
    const values = { work_email: ' Lan@Example.COM ', company: 'Acme', consent: true };
    expect((await submit(values, { anonymousId: 'anon-lan' })).status).toBe(202);
    const res = await h.secret(`/v1/leads?q=${encodeURIComponent('lan@example.com')}`);
    const leads = (await res.json()).data;
    expect(leads).toHaveLength(1);
    expect(leads[0]).toMatchObject({
      email: 'lan@example.com',
      traits: { company: 'Acme' },
      identities: [{ kind: 'email', value: 'lan@example.com' }],
      anonymousIds: ['anon-lan'],
    });
  });

  it('keys a value over the 8,192-character limit by field name, like every field error', async () => {
    const huge = 'x'.repeat(9_000);
    const overLimit = await submit({ work_email: 'a@example.com', company: huge, consent: true });
    const overField = await submit({ work_email: 'a@example.com', company: 'x'.repeat(600) });
    expect(await pathsOf(overLimit)).toEqual(['company']);
    expect(await pathsOf(overField)).toEqual(['company', 'consent']);
    // Problems of the body itself keep their body path.
    const body = await submit({ company: huge }, { elapsedMs: 'slow' });
    expect(await pathsOf(body)).toEqual(['company', 'elapsedMs']);
  });

  it('answers 404 for the submissions of a form that does not exist', async () => {
    const res = await h.secret('/v1/forms/nope/submissions');
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect((await res.json()).type).toMatch(/unknown-form/);
  });

  it("keeps a deleted form's submissions listable", async () => {
    const gone = { ...work, id: 'gone' };
    expect(
      (await h.secret('/v1/forms', { method: 'POST', body: JSON.stringify(gone) })).status,
    ).toBe(201);
    const values = { work_email: 'gone@example.com', consent: true };
    expect((await submit(values, {}, 'gone')).status).toBe(202);
    expect((await h.secret('/v1/forms/gone', { method: 'DELETE' })).status).toBe(204);
    const res = await h.secret('/v1/forms/gone/submissions');
    expect(res.status).toBe(200);
    expect((await res.json()).data.map((s: { values: unknown }) => s.values)).toEqual([values]);
  });
});
