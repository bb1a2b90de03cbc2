// @vitest-environment happy-dom
/** The chunk's `mount` in happy-dom with a real in-memory FormsHost: what a page gets from it. */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { FormDefinition, SiteConfig } from '../../shared/forms.ts';
import type { FormsHost, SubmissionBody } from '../../shared/forms-host.ts';

const newsletter: FormDefinition = {
  id: 'newsletter',
  name: 'Newsletter',
  kind: 'inline',
  progressiveLimit: 1,
  fields: [
    { name: 'email', type: 'email', label: 'Email', required: true },
    { name: 'name', type: 'text', label: 'Name', progressive: true },
    { name: 'company', type: 'text', label: 'Company', progressive: true },
    { name: 'utm_campaign', type: 'hidden' },
  ],
};
const promo: FormDefinition = {
  id: 'promo',
  name: 'Promo',
  kind: 'popup',
  trigger: { type: 'pageviews', count: 2 },
  frequency: { show: 'always', hideKnown: true },
  fields: [{ name: 'email', type: 'email', label: 'Email', required: true }],
};

function makeHost(config: SiteConfig) {
  const submits: { formId: string; body: SubmissionBody }[] = [];
  const events: { type: string; name?: string }[] = [];
  const host: FormsHost = {
    site: 'pk_test',
    host: 'https://collector.invalid',
    anonymousId: () => 'anon-1',
    sessionId: () => 'sess-1',
    track: (type, { name }) => {
      events.push({ type, name });
    },
    submit: ({ f, ...body }) => {
      submits.push({ formId: f, body });
    },
    identified: vi.fn(),
    config,
  };
  return { host, submits, events };
}

/** A fresh chunk (its boot state is per module instance). */
const load = async () => {
  vi.resetModules();
  return (await import('../../widget/forms/index.tsx')).mount;
};
const flush = () => new Promise((r) => setTimeout(r, 20));
const roots = () => Array.from(document.querySelectorAll('tp-form')).map((el) => el.shadowRoot!);
const names = (root: ShadowRoot) =>
  Array.from(root.querySelectorAll<HTMLInputElement>('input[id^="f-"]')).map((i) => i.name);

describe('mount', () => {
  beforeEach(() => {
    localStorage.clear();
    // A new <body>: earlier chunk instances keep observing the old one (a page has just one).
    const body = document.createElement('body');
    body.innerHTML = '<div data-tp-form="newsletter"></div>';
    document.documentElement.replaceChild(body, document.body);
    history.replaceState(null, '', '/landing?utm_campaign=spring');
  });

  it('skips known progressive fields and shows the next unknown one, never a value', async () => {
    const mount = await load();
    const { host } = makeHost({
      forms: [newsletter],
      settings: { captureForms: false },
      visitor: { known: { name: true }, identified: false },
    });
    mount(host);
    await flush();
    const [root] = roots();
    expect(names(root!)).toEqual(['email', 'company']);
    expect(root!.querySelector('label[for="f-company"]')!.textContent).toBe('Company');
  });

  it('submits validated values with the hidden campaign field through the host queue', async () => {
    const mount = await load();
    const { host, submits } = makeHost({
      forms: [newsletter],
      settings: { captureForms: false },
      visitor: { known: {}, identified: false },
    });
    mount(host);
    await flush();
    const root = roots()[0]!;
    const form = root.querySelector('form')!;
    form.dispatchEvent(new Event('submit', { cancelable: true }));
    await flush();
    expect(root.querySelector('#f-email-e')!.textContent).toBe('This field is required.');
    expect(submits).toEqual([]);
    const email = root.querySelector<HTMLInputElement>('#f-email')!;
    email.value = ' Ana@Example.com ';
    email.dispatchEvent(new Event('input', { bubbles: true }));
    await flush();
    root.querySelector('form')!.dispatchEvent(new Event('submit', { cancelable: true }));
    await flush();
    expect(submits).toHaveLength(1);
    expect(submits[0]!.body).toMatchObject({
      site: 'pk_test',
      anonymousId: 'anon-1',
      sessionId: 'sess-1',
      values: { email: 'ana@example.com', utm_campaign: 'spring' },
      hp: '',
      locale: 'en',
    });
    expect(host.identified).toHaveBeenCalledWith({ email: 'ana@example.com' });
    expect(root.querySelector('[role=status]')).not.toBeNull();
  });

  it('opens a pageviews popup from the n-th view, and never for a known lead', async () => {
    const config = (identified: boolean): SiteConfig => ({
      forms: [promo],
      settings: { captureForms: false },
      visitor: { known: {}, identified },
    });
    const dialogs = () => roots().filter((r) => r.querySelector('[role=dialog]')).length;
    let mount = await load();
    mount(makeHost(config(false)).host);
    await flush();
    expect(dialogs()).toBe(0); // first view
    mount = await load();
    const second = makeHost(config(false));
    mount(second.host);
    await flush();
    expect(dialogs()).toBe(1);
    expect(second.events).toContainEqual({ type: 'form_view', name: 'promo' });
    document.body.innerHTML = '';
    mount = await load();
    mount(makeHost(config(true)).host);
    await flush();
    expect(dialogs()).toBe(0);
  });
});
