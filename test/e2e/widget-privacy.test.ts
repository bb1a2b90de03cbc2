/** Consent, and loading nothing extra: what the tag does NOT do, checked in Chromium. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium } from '../helpers/browser.ts';
import { type TagRig, tagRig } from './widget-helpers.ts';

const fixture = (key: string, attrs: string) => `<!doctype html><html><head><title>Fixture</title>
<script async src="/tp.js" data-site="${key}" ${attrs}></script>
<script>window.touchpoint=window.touchpoint||function(){(touchpoint.q=touchpoint.q||[]).push(arguments)}</script>
</head><body><h1>Consent page</h1><a href="/demo/pricing">pricing</a>
<button data-tp-event="cta">Click</button></body></html>`;

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
    await page.waitForFunction(() => (window as any).touchpoint?.tp === 1);
    await page.click('button');
    await page.evaluate(() => (window as any).touchpoint('track', 'before_consent'));
    await page.waitForTimeout(500);

    expect(requests).toEqual(['/shop/consent', '/tp.js']);
    expect(await ctx.cookies()).toEqual([]);
    const stored = await page.evaluate(async () => ({
      local: localStorage.length,
      session: sessionStorage.length,
      dbs: (await indexedDB.databases()).map((d) => d.name),
    }));
    expect(stored).toEqual({ local: 0, session: 0, dbs: [] });

    await page.evaluate(() => (window as any).touchpoint('consent', 'granted'));
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

  it('loads no forms chunk on a page without forms, and loads it where a form is', async () => {
    const { page, errors } = await rig.page();
    const scripts: string[] = [];
    page.on('request', (r) => scripts.push(new URL(r.url()).pathname));
    await page.goto(`${rig.c.url}/demo/pricing`);
    await page.waitForFunction(() => (window as any).touchpoint?.tp === 1);
    await page.waitForTimeout(500);
    expect(scripts).not.toContain('/tp-forms.js');
    expect(scripts.filter((p) => p.endsWith('.js'))).toEqual(['/tp.js']);

    await page.goto(`${rig.c.url}/demo/blog/launch-week`);
    await expect.poll(() => scripts.includes('/tp-forms.js')).toBe(true);
    expect(errors).toEqual([]);
  });

  it('warns on the console about unknown commands instead of throwing', async () => {
    const { page, errors } = await rig.page();
    const warnings: string[] = [];
    page.on('console', (m) => m.type() === 'warning' && warnings.push(m.text()));
    await page.goto(`${rig.c.url}/demo/`);
    await page.waitForFunction(() => (window as any).touchpoint?.tp === 1);
    const r = await page.evaluate(() => (window as any).touchpoint('nope', 1));
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
    await page.waitForFunction(() => (window as any).touchpoint?.tp === 1);
    await page.click('form button');
    const rows = await rig.waitRows<{ name: string; traits: Record<string, unknown> }>(
      `select name, traits from events where site_id = 'site_demo' and type = 'form_submit'`,
      [],
      (r) => r.length > 0,
    );
    expect(rows).toEqual([
      { name: 'signup', traits: { email: 'ann@example.com', company: 'Acme' } },
    ]);
    expect(errors).toEqual([]);
  });
});
