// @vitest-environment happy-dom
/**
 * The chunk's `mount` in happy-dom, for two audit findings: a submission carries the ids the host
 * has once the visitor is identified (a new person gets a new anonymous id first), and each route
 * of a single-page app is a fresh page for the triggers of popups (the core mounts again, without
 * an id, after counting its page view).
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { FormDefinition, SiteConfig } from '../../shared/forms.ts';
import type { FormsHost, QueuedSubmission } from '../../shared/forms-host.ts';

const newsletter: FormDefinition = {
  id: 'newsletter',
  name: 'Newsletter',
  kind: 'inline',
  fields: [{ name: 'email', type: 'email', label: 'Email', required: true }],
};

const popup = (id: string, trigger: FormDefinition['trigger']): FormDefinition => ({
  id,
  name: id,
  kind: 'popup',
  trigger,
  targeting: { include: ['/a*', '/b*'] },
  frequency: { show: 'always' },
  fields: [{ name: 'email', type: 'email', label: 'Email', required: true }],
});

/** A host whose `identified` rotates the anonymous id and session, as the core's `who` does. */
function makeHost(forms: FormDefinition[]) {
  const ids = { anon: 'anon-alice', session: 'sess-alice' };
  const submits: QueuedSubmission[] = [];
  const config: SiteConfig = {
    forms,
    settings: { captureForms: false },
    visitor: { known: {}, identified: false },
  };
  const host: FormsHost = {
    site: 'pk_routes',
    host: 'https://collector.invalid',
    anonymousId: () => ids.anon,
    sessionId: () => ids.session,
    track: () => {},
    submit: (s) => {
      submits.push(s);
    },
    identified: ({ email }) => {
      if (email !== 'alice@example.com')
        Object.assign(ids, { anon: 'anon-bob', session: 'sess-bob' });
    },
    config,
  };
  return { host, submits };
}

const load = async () => {
  vi.resetModules();
  return (await import('../../widget/forms/index.tsx')).mount;
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const dialogs = () =>
  Array.from(document.querySelectorAll('tp-form')).filter((el) =>
    el.shadowRoot!.querySelector('[role=dialog]'),
  ).length;

describe('mount (audit)', () => {
  beforeEach(() => {
    document.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape' }));
    localStorage.clear();
    const body = document.createElement('body');
    document.documentElement.replaceChild(body, document.body);
    history.replaceState(null, '', '/a');
  });

  it('queues a submission with the anonymous id and session the host has once identified', async () => {
    document.body.innerHTML = '<div data-tp-form="newsletter"></div>';
    const { host, submits } = makeHost([newsletter]);
    (await load())(host);
    await sleep(20);
    const root = document.querySelector('tp-form')!.shadowRoot!;
    const email = root.querySelector<HTMLInputElement>('#f-email')!;
    email.value = 'bob@example.com';
    email.dispatchEvent(new Event('input', { bubbles: true }));
    root.querySelector('form')!.dispatchEvent(new Event('submit', { cancelable: true }));
    await sleep(20);
    expect(submits).toEqual([
      expect.objectContaining({ f: 'newsletter', anonymousId: 'anon-bob', sessionId: 'sess-bob' }),
    ]);
  });

  it('identifies by the email field whatever its name, as the collector reads it', async () => {
    const contact: FormDefinition = {
      id: 'contact',
      name: 'Contact',
      kind: 'inline',
      fields: [{ name: 'work_email', type: 'email', label: 'Work email', required: true }],
    };
    document.body.innerHTML = '<div data-tp-form="contact"></div>';
    const { host, submits } = makeHost([contact]);
    (await load())(host);
    await sleep(20);
    const root = document.querySelector('tp-form')!.shadowRoot!;
    const email = root.querySelector<HTMLInputElement>('#f-work_email')!;
    email.value = 'bob@example.com';
    email.dispatchEvent(new Event('input', { bubbles: true }));
    root.querySelector('form')!.dispatchEvent(new Event('submit', { cancelable: true }));
    await sleep(20);
    // Was: only a field named `email` identified: Bob's submission and next pages kept Alice's id.
    expect(submits).toEqual([
      expect.objectContaining({ f: 'contact', anonymousId: 'anon-bob', sessionId: 'sess-bob' }),
    ]);
    // And the visitor is known from now on (`hideKnown`), in this browser's form memory.
    expect(Object.keys(localStorage).some((k) => localStorage[k].includes('"email"'))).toBe(true);
  });

  it('starts a delay again on a new route, and not for another mount of the same route', async () => {
    const { host } = makeHost([popup('later', { type: 'delay', seconds: 0.3 })]);
    const mount = await load();
    mount(host);
    await sleep(200);
    mount(host); // the same route again (DOMContentLoaded, the collector's answer): nothing new
    history.pushState(null, '', '/b');
    mount(host);
    await sleep(200);
    expect(dialogs()).toBe(0);
    await sleep(250);
    expect(dialogs()).toBe(1);
  });

  it('counts each new route once for a pageviews trigger', async () => {
    const { host } = makeHost([popup('second', { type: 'pageviews', count: 2 })]);
    const mount = await load();
    mount(host);
    await sleep(20);
    mount(host);
    await sleep(20);
    expect(dialogs()).toBe(0);
    history.pushState(null, '', '/b');
    mount(host);
    await sleep(20);
    expect(dialogs()).toBe(1);
  });

  it('disarms what a route armed when the page leaves it for a route no form targets', async () => {
    const { host } = makeHost([popup('later', { type: 'delay', seconds: 0.1 })]);
    (await load())(host);
    await sleep(20);
    // No form targets /c: the core does not mount again, the popup must not open there.
    history.pushState(null, '', '/c');
    await sleep(200);
    expect(dialogs()).toBe(0);
  });

  it('a click trigger left armed by another route neither opens the form nor stops the click', async () => {
    document.body.innerHTML = '<a id="cta" href="#talk">Talk to sales</a>';
    const { host } = makeHost([popup('sales', { type: 'click', selector: '#cta' })]);
    const mount = await load();
    mount(host);
    await sleep(20);
    const click = () => {
      const e = new MouseEvent('click', { bubbles: true, cancelable: true });
      document.getElementById('cta')!.dispatchEvent(e);
      return e.defaultPrevented;
    };
    history.pushState(null, '', '/c');
    expect(click()).toBe(false);
    expect(dialogs()).toBe(0);
    // Back on a route it targets (the core mounts again there), the click opens it.
    history.pushState(null, '', '/a/again');
    mount(host);
    await sleep(20);
    expect(click()).toBe(true);
    expect(dialogs()).toBe(1);
  });
});
