/** Consent, and loading nothing extra: what the tag does NOT do, checked in Chromium. */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertForm } from '../../collector/forms/definitions.ts';
import { hasChromium } from '../helpers/browser.ts';
import { type TagRig, tagRig } from './widget-helpers.ts';

const fixture = (key: string, attrs: string) => `<!doctype html><html><head><title>Fixture</title>
<script async src="/tp.js" data-site="${key}" ${attrs}></script>
<script>window.touchpoint=window.touchpoint||function(){(touchpoint.q=touchpoint.q||[]).push(arguments)}</script>
</head><body><h1>Consent page</h1><a href="/demo/pricing">pricing</a>
<button data-tp-event="cta">Click</button></body></html>`;

type Tag = { touchpoint?: ((...a: unknown[]) => unknown) & { tp?: 1 } };
/** Runs one tag command in the page, as the page's own script would. */
const tp = (page: Page, ...args: unknown[]) =>
  page.evaluate((a) => (window as unknown as Tag).touchpoint?.(...a), args);
/** Waits until the real tag has replaced the stub. */
const ready = (page: Page) =>
  page.waitForFunction(() => (window as unknown as Tag).touchpoint?.tp === 1);

describe.skipIf(!hasChromium)('tag in Chromium: consent and lazy loading', () => {
  let rig: TagRig;
  beforeAll(async () => {
    rig = await tagRig();
  });
  afterAll(() => rig?.close());

  it('stores and sends nothing before consent, then delivers what happened', async () => {
    const { ctx, page, errors } = await rig.page();
    // The host page is a fixture; the tag and the collector are the real ones.
    await page.route(`${rig.c.url}/shop/consent`, (r) =>
      r.fulfill({
        contentType: 'text/html',
        body: fixture(rig.demoKey, 'data-consent="required"'),
      }),
    );
    const requests: string[] = [];
    page.on('request', (r) => requests.push(new URL(r.url()).pathname));
    await page.goto(`${rig.c.url}/shop/consent`);
    await ready(page);
    await page.click('button');
    await tp(page, 'track', 'before_consent');
    await page.waitForTimeout(500);

    expect(requests).toEqual(['/shop/consent', '/tp.js']);
    expect(await ctx.cookies()).toEqual([]);
    const stored = await page.evaluate(async () => ({
      local: localStorage.length,
      session: sessionStorage.length,
      dbs: (await indexedDB.databases()).map((d) => d.name),
    }));
    expect(stored).toEqual({ local: 0, session: 0, dbs: [] });

    await tp(page, 'consent', 'granted');
    const rows = await rig.waitRows<{ type: string; name: string | null }>(
      `select type, name from events where site_id = 'site_demo' order by ts`,
      [],
      (r) => r.some((e) => e.name === 'before_consent'),
    );
    expect(rows.map((r) => r.name ?? r.type)).toEqual(
      expect.arrayContaining(['pageview', 'cta', 'before_consent']),
    );
    expect((await ctx.cookies()).map((c) => c.name)).toContain('_tp_id');
    expect(errors).toEqual([]);
  });

  it('writes no cookie at all, not even a probe, when consent is denied before any grant', async () => {
    const { ctx, page, errors } = await rig.page();
    await page.route(`${rig.c.url}/shop/deny-first`, (r) =>
      r.fulfill({
        contentType: 'text/html',
        body: fixture(rig.demoKey, 'data-consent="required"'),
      }),
    );
    // Every cookie write the page makes, expired ones included (a probe is set, then expired).
    await ctx.addInitScript(() => {
      const d = Object.getOwnPropertyDescriptor(Document.prototype, 'cookie')!;
      const w = window as unknown as { cookieWrites: string[] };
      w.cookieWrites = [];
      Object.defineProperty(document, 'cookie', {
        get: () => d.get!.call(document),
        set: (v: string) => {
          w.cookieWrites.push(v);
          d.set!.call(document, v);
        },
      });
    });
    await page.goto(`${rig.c.url}/shop/deny-first`);
    await ready(page);
    await tp(page, 'consent', 'denied');
    await tp(page, 'track', 'after_denial');
    await page.waitForTimeout(300);
    expect(
      await page.evaluate(() => (window as unknown as { cookieWrites: string[] }).cookieWrites),
    ).toEqual([]);
    expect(await page.evaluate(() => localStorage.length)).toBe(0);
    expect(await ctx.cookies()).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('stores nothing more once consent is denied; what was granted is still delivered', async () => {
    const { ctx, page, errors } = await rig.page();
    await page.route(`${rig.c.url}/shop/deny`, (r) =>
      r.fulfill({
        contentType: 'text/html',
        body: fixture(rig.demoKey, 'data-consent="required"'),
      }),
    );
    const queued = () =>
      page.evaluate(
        () =>
          new Promise<string[]>((resolve, reject) => {
            const open = indexedDB.open('touchpoint');
            open.onsuccess = () => {
              const get = open.result.transaction('q').objectStore('q').get(0);
              get.onsuccess = () => {
                resolve(((get.result ?? []) as { name?: string }[]).map((e) => e.name ?? ''));
                open.result.close();
              };
              get.onerror = () => reject(get.error);
            };
          }),
      );
    await page.goto(`${rig.c.url}/shop/deny`);
    await ready(page);
    await tp(page, 'consent', 'granted');
    await ctx.setOffline(true);
    await tp(page, 'track', 'granted_offline');
    await expect.poll(queued).toContain('granted_offline');
    await tp(page, 'consent', 'denied');
    await tp(page, 'track', 'after_deny');
    await page.waitForTimeout(300);
    // Was: written to IndexedDB after the denial, and sent with the next page's grant.
    expect(await queued()).not.toContain('after_deny');
    expect(await queued()).toContain('granted_offline');
    expect((await ctx.cookies()).map((c) => c.name)).not.toContain('_tp_id');
    expect(await page.evaluate(() => localStorage.length)).toBe(0);

    await ctx.setOffline(false);
    await page.reload();
    await ready(page);
    await tp(page, 'consent', 'granted');
    const rows = await rig.waitRows<{ name: string }>(
      `select name from events where site_id = 'site_demo' and name in ('granted_offline', 'after_deny')`,
      [],
      (r) => r.length > 0,
    );
    await page.waitForTimeout(500);
    expect(rows.map((r) => r.name)).toEqual(['granted_offline']);
    const again = await rig.c.store.query<{ name: string }>(
      `select name from events where site_id = 'site_demo' and name = 'after_deny'`,
    );
    expect(again.rows).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('loads no forms chunk on a page without forms, and loads it where a form is', async () => {
    const { page, errors } = await rig.page();
    const scripts: string[] = [];
    page.on('request', (r) => scripts.push(new URL(r.url()).pathname));
    await page.goto(`${rig.c.url}/demo/pricing`);
    await ready(page);
    await page.waitForTimeout(500);
    expect(scripts).not.toContain('/tp-forms.js');
    expect(scripts.filter((p) => p.endsWith('.js'))).toEqual(['/tp.js']);

    await page.goto(`${rig.c.url}/demo/blog/launch-week`);
    await expect.poll(() => scripts.includes('/tp-forms.js')).toBe(true);
    expect(errors).toEqual([]);
  });

  it('shows a form before consent without storing anything or naming the visitor', async () => {
    await insertForm(
      rig.c.store,
      'site_demo',
      {
        id: 'consent-news',
        name: 'News',
        kind: 'inline',
        fields: [{ name: 'email', type: 'email', label: 'Email', required: true }],
      },
      new Date(),
    );
    const { ctx, page, errors } = await rig.page();
    await page.route(`${rig.c.url}/shop/form`, (r) =>
      r.fulfill({
        contentType: 'text/html',
        body: fixture(rig.demoKey, 'data-consent="required"').replace(
          '</body>',
          '<div data-tp-form="consent-news"></div></body>',
        ),
      }),
    );
    const configs: string[] = [];
    page.on('request', (r) => r.url().includes('/config') && configs.push(r.url()));
    await page.goto(`${rig.c.url}/shop/form`);
    await page.locator('tp-form').first().waitFor();
    await page.waitForTimeout(300);
    // The form is the page's content; remembering the visitor is what waits for consent.
    expect(configs).toHaveLength(1);
    expect(new URL(configs[0]!).searchParams.has('anonymousId')).toBe(false);
    expect(await page.evaluate(() => localStorage.length)).toBe(0);
    expect(await ctx.cookies()).toEqual([]);

    await tp(page, 'consent', 'granted');
    await page.reload();
    await page.locator('tp-form').first().waitFor();
    await expect.poll(() => configs.length).toBe(2);
    expect(new URL(configs[1]!).searchParams.get('anonymousId')).toBeTruthy();
    await expect
      .poll(() =>
        page.evaluate(() => Object.keys(localStorage).some((k) => k.startsWith('tp_forms_'))),
      )
      .toBe(true);
    expect(errors).toEqual([]);
  });

  it('delivers a form the visitor sends before consent, and none of the tracking', async () => {
    await insertForm(
      rig.c.store,
      'site_demo',
      {
        id: 'consent-contact',
        name: 'Contact',
        kind: 'inline',
        fields: [{ name: 'email', type: 'email', label: 'Email', required: true }],
      },
      new Date(),
    );
    const { ctx, page, errors } = await rig.page();
    await page.route(`${rig.c.url}/shop/contact`, (r) =>
      r.fulfill({
        contentType: 'text/html',
        body: fixture(rig.demoKey, 'data-consent="required"').replace(
          '</body>',
          '<div data-tp-form="consent-contact"></div></body>',
        ),
      }),
    );
    const collects: string[] = [];
    page.on('request', (r) => r.url().includes('/v1/collect') && collects.push(r.url()));
    await page.goto(`${rig.c.url}/shop/contact`);
    const f = page.locator('tp-form');
    await f.getByLabel(/email/i).first().waitFor();
    // A person takes a moment to type (quicker is kept aside as spam, still stored).
    await page.waitForTimeout(1_600);
    await f.getByLabel(/email/i).first().fill('before-consent@example.com');
    await f.locator('button[type=submit]').click();
    await f.getByRole('status').waitFor();
    // Was: "Thanks!" on screen, and the submission held in the page's memory until a grant that
    // never came: lost when the visitor left.
    const rows = await rig.waitRows<{ email: string }>(
      `select field_values->>'email' as email from form_submissions where form_id = 'consent-contact'`,
      [],
      (r) => r.length > 0,
    );
    expect(rows).toEqual([{ email: 'before-consent@example.com' }]);
    // The page's pageview and clicks still wait for consent; nothing about the visitor is kept.
    await page.click('button');
    await page.waitForTimeout(500);
    expect(collects).toEqual([]);
    expect(await ctx.cookies()).toEqual([]);
    expect(
      await page.evaluate(async () => ({
        local: localStorage.length,
        dbs: (await indexedDB.databases()).map((d) => d.name),
      })),
    ).toEqual({ local: 0, dbs: [] });
    expect(errors).toEqual([]);
  });

  it('warns on the console about unknown commands instead of throwing', async () => {
    const { page, errors } = await rig.page();
    const warnings: string[] = [];
    page.on('console', (m) => m.type() === 'warning' && warnings.push(m.text()));
    await page.goto(`${rig.c.url}/demo/`);
    await ready(page);
    const r = await tp(page, 'nope', 1);
    expect(r).toBeUndefined();
    await expect.poll(() => warnings.some((w) => w.startsWith('touchpoint: nope'))).toBe(true);
    expect(errors).toEqual([]);
  });

  it('captures only email, name, phone and company of a site form marked data-tp-capture', async () => {
    const { page, errors } = await rig.page();
    await page.route(`${rig.c.url}/shop/signup`, (r) =>
      r.fulfill({
        contentType: 'text/html',
        body: `${fixture(rig.demoKey, '')}<form data-tp-capture="signup" onsubmit="event.preventDefault()">
          <input name="email" value="Ann@Example.com"><input name="company" value="Acme">
          <input type="password" name="pw" value="hunter2"><input type="hidden" name="csrf" value="t0k">
          <input name="card_number" value="4111"><input name="ref" value="4111 1111 1111 1111">
          <textarea name="notes">my plans</textarea><button>Sign up</button></form>`,
      }),
    );
    await page.goto(`${rig.c.url}/shop/signup`);
    await ready(page);
    await page.click('form button');
    const rows = await rig.waitRows<{ name: string; traits: Record<string, unknown> }>(
      `select name, traits from events
        where site_id = 'site_demo' and type = 'form_submit' and name = 'signup'`,
      [],
      (r) => r.length > 0,
    );
    expect(rows).toEqual([
      { name: 'signup', traits: { email: 'ann@example.com', company: 'Acme' } },
    ]);
    expect(errors).toEqual([]);
  });
});
