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

const exit: FormDefinition = {
  id: 'exit',
  name: 'Before you go',
  kind: 'popup',
  trigger: { type: 'exit_intent' },
  frequency: { show: 'session', hideKnown: true },
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
    // ESC closes the popups an earlier test left open (their listeners are on the document).
    document.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape' }));
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

  describe('asks the frequency again when a trigger fires', () => {
    const config: SiteConfig = {
      forms: [newsletter, exit],
      settings: { captureForms: false },
      visitor: { known: {}, identified: false },
    };
    const leave = () =>
      document.dispatchEvent(new MouseEvent('mouseout', { clientY: -1, relatedTarget: null }));
    const dialogs = () => roots().filter((r) => r.querySelector('[role=dialog]')).length;
    const typeIn = (root: ShadowRoot | Document, sel: string, value: string) => {
      const el = root.querySelector<HTMLInputElement>(sel)!;
      el.value = value;
      el.dispatchEvent(new Event('input', { bubbles: true }));
    };

    it('opens when nothing changed since it was armed', async () => {
      (await load())(makeHost(config).host);
      await flush();
      leave();
      expect(dialogs()).toBe(1);
    });

    it('not after the visitor signed up through an inline form of the page', async () => {
      (await load())(makeHost(config).host);
      await flush();
      const inline = roots()[0]!;
      typeIn(inline, '#f-email', 'an@example.com');
      inline.querySelector('form')!.dispatchEvent(new Event('submit', { cancelable: true }));
      await flush();
      leave();
      expect(dialogs()).toBe(0);
    });

    it('not after the visitor sent a site form of the page with an email', async () => {
      document.body.insertAdjacentHTML(
        'beforeend',
        '<form data-tp-capture><input type="email" name="email"></form>',
      );
      (await load())(makeHost(config).host);
      await flush();
      typeIn(document, 'form[data-tp-capture] input', 'an@example.com');
      const site = document.querySelector('form[data-tp-capture]')!;
      site.addEventListener('submit', (e) => e.preventDefault());
      site.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }));
      leave();
      expect(dialogs()).toBe(0);
    });

    it('not when another tab showed it this session, or the visitor signed up there', async () => {
      (await load())(makeHost(config).host);
      await flush();
      // What another tab stores meanwhile, in the same session.
      const key = 'tp_forms_pk_test';
      const other = JSON.parse(localStorage.getItem(key)!);
      localStorage.setItem(
        key,
        JSON.stringify({ ...other, f: { exit: { shownAt: 1, shownSession: 'sess-1' } } }),
      );
      leave();
      expect(dialogs()).toBe(0);
      // This tab's own writes keep what the other tab stored.
      expect(JSON.parse(localStorage.getItem(key)!).f.exit.shownSession).toBe('sess-1');

      document.body.innerHTML = '';
      (await load())(makeHost({ ...config, forms: [exit] }).host);
      await flush();
      localStorage.setItem(key, JSON.stringify({ f: {}, k: { email: true }, p: 1 }));
      leave();
      expect(dialogs()).toBe(0);
    });
  });
});
