/**
 * Audit findings of the forms chunk, through the real tag (`/tp.js`, which imports the built
 * `tp-forms.js`) against a real collector, on a small single-page app served from its own origin:
 * a second person's submission on one browser takes the browser's next page views to their lead;
 * a page's `@property` registrations cannot reach the form's styles; popups are armed and disarmed
 * per route of a single-page app.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_FORMS } from '../../collector/forms/demo.ts';
import type { FormDefinition } from '../../shared/forms.ts';
import { hasChromium, humanContext, launchBrowser } from '../helpers/browser.ts';
import { createForms, type RunningCollector, startCollector } from '../helpers/server.ts';
import { dialogs, exitIntent, listens, SHOTS } from './forms-harness.ts';

const coreReady =
  existsSync('dist/tp.js') && readFileSync('dist/tp.js', 'utf8').includes('tp-forms');

/** An exit popup armed on two routes of the app; its title names it. */
const EXIT: FormDefinition = {
  id: 'exit-spa',
  name: 'Exit SPA',
  kind: 'popup',
  trigger: { type: 'exit_intent' },
  targeting: { include: ['/exit-spa-start*', '/exit-spa-target*'] },
  fields: [{ name: 'email', type: 'email', label: 'Email', required: true }],
  texts: { title: 'Leaving so soon?' },
};

/** A popup on `/property*` pages, themed by the form (accent, radius) and the page (text colour). */
const THEMED: FormDefinition = {
  id: 'themed',
  name: 'Themed',
  kind: 'popup',
  trigger: { type: 'load' },
  targeting: { include: ['/property*'] },
  fields: [
    { name: 'email', type: 'email', label: 'Work email', required: true },
    { name: 'company', type: 'text', label: 'Company' },
  ],
  texts: { title: 'See Touchpoint live', description: 'A 20 minute call.', submit: 'Book' },
  theme: { '--tp-accent': '#c2185b', '--tp-radius': '12px' },
};

/**
 * The forms chunk's old internal custom properties, registered as a page might: the animated
 * gradient snippet's `--a` and other short names, each with a syntax their values do not fit and
 * `inherits: false`.
 */
const PROPERTY_CSS = `@property --a{syntax:'<angle>';inherits:false;initial-value:0deg}
@property --af{syntax:'<angle>';inherits:false;initial-value:0deg}
@property --bg{syntax:'<color>';inherits:false;initial-value:transparent}
@property --fg{syntax:'<length>';inherits:false;initial-value:0px}
@property --mu{syntax:'<color>';inherits:false;initial-value:transparent}
@property --er{syntax:'<angle>';inherits:false;initial-value:0deg}
@property --bd{syntax:'<color>';inherits:false;initial-value:transparent}
@property --r{syntax:'<length>';inherits:false;initial-value:0px}
.spin{--a:0deg;background:conic-gradient(from var(--a),#f80,#08f);height:40px}
tp-form{--tp-fg:#102030}`;

/**
 * The app shell for every path: the real tag, and a router that renders the route's content
 * (`/landing…`: the inline newsletter form) and runs `go(path)` through `history.pushState`.
 */
const shell = (site: { pk: string; collector: string }, path: string) =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>Acme app</title>
<style>body{font-family:Georgia,serif;margin:0;padding:16px;background:#f6f6f2;color:#222}
${path.startsWith('/property') ? PROPERTY_CSS : ''}</style></head><body><main id="app"></main>
<script async src="${site.collector}/tp.js" data-site="${site.pk}"></script>
<script>window.touchpoint=window.touchpoint||function(){(touchpoint.q=touchpoint.q||[]).push(arguments)};
const render = () => {
  app.innerHTML = '<h1>Acme: ' + location.pathname + '</h1><div class="spin"></div><p>Understand every visitor.</p>' +
    (location.pathname.startsWith('/landing') ? '<section data-tp-form="newsletter"></section>' : '');
};
render();
window.go = (p) => { history.pushState({}, '', p); render(); };
addEventListener('popstate', render);
</script></body></html>`;

/** The number of `type` listeners on the page's document (read through the DevTools protocol). */
async function listenerCount(page: Page, type: string): Promise<number> {
  const cdp = await page.context().newCDPSession(page);
  try {
    const { result } = await cdp.send('Runtime.evaluate', { expression: 'document' });
    const { listeners } = await cdp.send('DOMDebugger.getEventListeners', {
      objectId: result.objectId!,
    });
    return listeners.filter((l) => l.type === type).length;
  } finally {
    await cdp.detach();
  }
}

describe.skipIf(!hasChromium || !coreReady)('forms chunk audit', () => {
  let collector: RunningCollector;
  let server: Server;
  let origin: string;
  let browser: Browser;

  beforeAll(async () => {
    const site = { pk: '', collector: '' };
    server = createServer((req, res) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(shell(site, new URL(req.url ?? '/', 'http://x').pathname));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    collector = await startCollector({ origins: [origin] });
    Object.assign(site, { pk: collector.site.publicKey, collector: collector.url });
    await createForms(collector, [DEMO_FORMS[0]!, EXIT, THEMED]);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await collector?.dispose();
    await new Promise((r) => server?.close(r));
  });

  /** A visitor (a fresh profile that looks like a person to the bot policy) on `path`. */
  const visit = async (path: string, width = 1280, height = 800) => {
    const context = await humanContext(browser, { viewport: { width, height }, locale: 'en-US' });
    const page = await context.newPage();
    page.on('pageerror', (e) => console.error('page error', e));
    await page.goto(origin + path);
    await page.waitForFunction(() => (window as { touchpoint?: { tp?: 1 } }).touchpoint?.tp);
    return { context, page };
  };
  /** Runs a tag command, as the page's own script would. */
  const command = (page: Page, ...args: unknown[]) =>
    page.evaluate(
      (a) => (window as unknown as { touchpoint(...a: unknown[]): void }).touchpoint(...a),
      args,
    );
  /** A route change of the app; resolves once the collector answered the batch with its page view. */
  const go = async (page: Page, path: string) => {
    const answered = page.waitForResponse(
      (r) => r.url().endsWith('/v1/collect') && !!r.request().postData()?.includes(path),
    );
    await page.evaluate((p) => (window as unknown as { go(p: string): void }).go(p), path);
    await answered;
  };
  const api = (path: string) =>
    fetch(`${collector.url}${path}`, {
      headers: { authorization: `Bearer ${collector.site.secretKey}` },
    }).then((r) => r.json());
  /** The paths of the page views in the timeline of the lead with `email` (none: no lead yet). */
  const viewsOf = async (email: string): Promise<string[] | undefined> => {
    const lead = (await api(`/v1/leads?q=${encodeURIComponent(email)}`)).data?.[0];
    if (!lead) return undefined;
    const timeline = await api(`/v1/leads/${lead.id}/timeline?limit=100`);
    return timeline.data
      .filter((e: { type: string }) => e.type === 'pageview')
      .map((e: { url: string }) => new URL(e.url).pathname);
  };

  it("a second person's inline submission takes this browser's next page views to their lead", async () => {
    const { context, page } = await visit('/landing-shared');
    await command(page, 'identify', { email: 'alice@example.com' });
    const f = page.locator('tp-form');
    const email = f.getByLabel(/email/i).first();
    await email.waitFor();
    await page.waitForTimeout(1_600); // a human takes longer than the minimum fill time
    await email.fill('bob@example.com');
    await f.getByRole('checkbox').check();
    await f.locator('button[type=submit]').click();
    await f.getByRole('status').waitFor();
    await page.goto(`${origin}/after-bob-1`);
    await page.goto(`${origin}/after-bob-2`);
    await expect
      .poll(async () => (await viewsOf('bob@example.com')) ?? [], { timeout: 20_000 })
      .toEqual(expect.arrayContaining(['/after-bob-1', '/after-bob-2']));
    const alice = await viewsOf('alice@example.com');
    expect(alice).toContain('/landing-shared');
    expect(alice).not.toContain('/after-bob-1');
    expect(alice).not.toContain('/after-bob-2');
    await context.close();
  });

  it("a page's @property registrations of short names do not change the form", async () => {
    for (const width of [1280, 375]) {
      const { context, page } = await visit('/property', width, width > 600 ? 800 : 700);
      const panel = page.locator('tp-form [role=dialog]');
      await panel.waitFor({ timeout: 10_000 });
      await page.waitForTimeout(300);
      const styles = await page.evaluate(() => {
        const root = document.querySelector('tp-form')!.shadowRoot!;
        const css = (sel: string) => getComputedStyle(root.querySelector(sel)!);
        const [p, s, h2, d, input] = ['.p', '.s', 'h2', '.d', 'input[name=email]'].map(css);
        return {
          panel: [p!.backgroundColor, p!.borderTopLeftRadius],
          button: [s!.backgroundColor, s!.color, s!.borderTopLeftRadius],
          title: h2!.color,
          description: d!.color,
          input: [input!.borderTopColor, input!.backgroundColor],
        };
      });
      expect(styles).toEqual({
        panel: ['rgb(255, 255, 255)', '12px'],
        button: ['rgb(194, 24, 91)', 'rgb(255, 255, 255)', '6px'],
        title: 'rgb(16, 32, 48)',
        description: 'rgb(84, 84, 84)',
        input: ['rgb(118, 118, 118)', 'rgb(255, 255, 255)'],
      });
      await page.screenshot({ path: `${SHOTS}/audit-property-${width}.png` });
      await context.close();
    }
  });

  describe('a single-page app', () => {
    it('an exit popup targeting the route the app moves to opens there', async () => {
      // The landing route's inline form starts the chunk; no popup targets the landing route.
      const { context, page } = await visit('/landing');
      await page.locator('tp-form h2').waitFor();
      expect(await listenerCount(page, 'mouseout')).toBe(0);
      await go(page, '/exit-spa-target');
      await expect.poll(() => listens(page, 'mouseout'), { timeout: 10_000 }).toBe(true);
      // Armed once, however often the core mounts for the route.
      expect(await listenerCount(page, 'mouseout')).toBe(1);
      await exitIntent(page);
      await page.locator('tp-form [role=dialog]').waitFor({ timeout: 2_000 });
      expect(await page.locator('tp-form h2').last().textContent()).toBe('Leaving so soon?');
      await context.close();
    });

    it('a popup armed on one route does not open on a route it does not target', async () => {
      const { context, page } = await visit('/exit-spa-start');
      await expect.poll(() => listens(page, 'mouseout'), { timeout: 10_000 }).toBe(true);
      await go(page, '/elsewhere');
      await page.waitForTimeout(300);
      await exitIntent(page);
      await page.waitForTimeout(500);
      expect(await dialogs(page)).toBe(0);
      expect(await listenerCount(page, 'mouseout')).toBe(0);
      // Back on a route it targets it is armed again, once, and opens.
      await go(page, '/exit-spa-start/again');
      await expect.poll(() => listens(page, 'mouseout'), { timeout: 10_000 }).toBe(true);
      expect(await listenerCount(page, 'mouseout')).toBe(1);
      await exitIntent(page);
      await page.locator('tp-form [role=dialog]').waitFor({ timeout: 2_000 });
      // Dismissed: the next route it targets does not arm it again (frequency still holds).
      await page.keyboard.press('Escape');
      await expect.poll(() => dialogs(page)).toBe(0);
      await go(page, '/exit-spa-target');
      await page.waitForTimeout(500);
      expect(await listenerCount(page, 'mouseout')).toBe(0);
      await context.close();
    });
  });
});
