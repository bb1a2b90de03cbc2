/**
 * What the tag audit found about a page's last events, checked on the built dist/tp.js in
 * Chromium: the engagement of a tab whose earlier events another tab delivered still gets out
 * when it is left; reading time counts after a return to the tab and in a tab opened in the
 * background; an SPA route reports the scroll depth of the page left; a late engagement stays
 * in its page's session. Time passes on the page's clock (Date.now), not the wall clock; tab
 * visibility is emulated (headless Chromium never hides a tab).
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { hasChromium } from '../helpers/browser.ts';
import {
  type AuditSite,
  auditSite,
  clock,
  later,
  ready,
  T,
  type Tag,
  tagged,
  tp,
} from './widget-audit-site.ts';

/** An init script: `setHidden` shows or hides the tab; a URL with `#background` opens hidden. */
const visibility = () => {
  const w = window as unknown as { away: boolean; setHidden(h: boolean): void };
  w.away = location.hash === '#background';
  const proto = Document.prototype;
  Object.defineProperty(proto, 'hidden', { configurable: true, get: () => w.away });
  Object.defineProperty(proto, 'visibilityState', {
    configurable: true,
    get: () => (w.away ? 'hidden' : 'visible'),
  });
  w.setHidden = (h) => {
    w.away = h;
    document.dispatchEvent(new Event('visibilitychange', { bubbles: true }));
  };
};
const setHidden = (page: Page, h: boolean) =>
  page.evaluate((h) => (window as unknown as { setHidden(h: boolean): void }).setHidden(h), h);

describe.skipIf(!hasChromium)('tag audit in Chromium: engagement and last events', () => {
  let site: AuditSite;
  beforeAll(async () => {
    site = await auditSite();
  });
  afterAll(() => site?.close());
  beforeEach(() => site.reset());
  /** The most engaged time `host`'s page at `path` reported (-1: none). */
  const engaged = (host: string, path: string) =>
    Math.max(-1, ...site.engagements(host, path).map((e) => e.properties.engagedMs ?? -1));

  it('a tab whose events another tab delivered still gets its last events out when left', async () => {
    const host = 'stale.shop.test';
    site.page = (u) =>
      u.hostname === host
        ? tagged('', `<a id=out href="${site.url('partner.shop.test')}">partner</a>`)
        : 'Partner';
    // Tab A's first request hangs: A holds the send lock while tab B records.
    let release = () => {};
    const gate = new Promise<void>((ok) => {
      release = ok;
    });
    let first = true;
    site.hold = () => {
      const wait = first ? gate : undefined;
      first = false;
      return Promise.resolve(wait);
    };
    try {
      const v = await site.visitor();
      const a = await v.tab();
      await a.goto(site.url(host, '/a'));
      await ready(a);
      const b = await v.tab();
      await b.goto(site.url(host, '/b'));
      await ready(b);
      await b.evaluate(() => {
        for (let i = 0; i < 250; i++)
          (window as unknown as Tag).touchpoint('track', `read_${i}`, { text: 'x'.repeat(250) });
      });
      release();
      // Tab A, the lock holder, delivers the queue B's events are in; then B sends one itself.
      const read = () => site.named(host).filter((n) => n.startsWith('read_')).length;
      await expect.poll(read, T).toBe(250);
      await tp(b, 'track', 'still_reading');
      await expect.poll(() => site.named(host), T).toContain('still_reading');
      const delivered = new Set(site.got(host).map((e) => e.id));
      const before = site.hits.length;
      await Promise.all([b.waitForURL(/partner/), b.click('#out')]);
      // Was: B beaconed A's deliveries again (over 100 KB): the beacon quota ran out before its
      // engagement.
      await expect.poll(() => site.engagements(host, '/b').length, T).toBe(1);
      expect(site.named(host)).toContain('outbound');
      const again = site.hits
        .slice(before)
        .filter((h) => h.mode === 'no-cors')
        .flatMap((h) => h.events)
        .filter((e) => delivered.has(e.id));
      expect(again).toEqual([]);
      expect(v.errors).toEqual([]);
    } finally {
      release();
    }
  });

  it('counts the reading time after the visitor comes back to the tab', async () => {
    const host = 'return.shop.test';
    const v = await site.visitor();
    await v.ctx.addInitScript(clock);
    await v.ctx.addInitScript(visibility);
    const page = await v.tab();
    await page.goto(site.url(host, '/article'));
    await ready(page);
    // Reads 1 s, is in another tab for a minute, comes back and reads 4 s more.
    await later(page, 1000);
    await setHidden(page, true);
    await later(page, 60_000);
    await setHidden(page, false);
    await later(page, 4000);
    await setHidden(page, true);
    // Was: 1 s: the clock never restarted on the return.
    await expect.poll(() => engaged(host, '/article'), T).toBeGreaterThanOrEqual(5000);
    expect(engaged(host, '/article')).toBeLessThan(30_000);
    expect(v.errors).toEqual([]);
  });

  it('counts the reading time of a page opened in a background tab', async () => {
    const host = 'background.shop.test';
    const v = await site.visitor();
    await v.ctx.addInitScript(clock);
    await v.ctx.addInitScript(visibility);
    const page = await v.tab();
    await page.goto(site.url(host, '/later#background'));
    await ready(page);
    await later(page, 30_000);
    await setHidden(page, false);
    await later(page, 4000);
    await setHidden(page, true);
    // Was: 0.
    await expect.poll(() => engaged(host, '/later'), T).toBeGreaterThanOrEqual(4000);
    expect(engaged(host, '/later')).toBeLessThan(30_000);
    expect(v.errors).toEqual([]);
  });

  it('an SPA route change reports how far the page being left was read, not the next page', async () => {
    const host = 'spa.shop.test';
    // A long article (10,000 px, the top 800 px seen); its router renders a short next route.
    site.page = () =>
      tagged(
        '',
        `<main id=app style="height:10000px">Article</main><script>
          function go(path) { history.pushState({}, '', path); app.style.height = '200px'; scrollTo(0, 0); }
        </script>`,
      ).replace('<body>', '<body style="margin:0">');
    const v = await site.visitor({ viewport: { width: 1000, height: 800 } });
    const page = await v.tab();
    await page.goto(site.url(host, '/blog/long-article'));
    await ready(page);
    await page.evaluate(() => (window as unknown as { go(p: string): void }).go('/contact'));
    await expect.poll(() => site.engagements(host, '/blog/long-article').length, T).toBe(1);
    // Was: 100, measured on the next route's page.
    expect(site.engagements(host, '/blog/long-article')[0]!.properties.scroll).toBe(8);
    expect(v.errors).toEqual([]);
  });

  it("the engagement sent on leaving after 30 idle minutes stays in the page's session", async () => {
    const host = 'idle.shop.test';
    const v = await site.visitor();
    await v.ctx.addInitScript(clock);
    const page = await v.tab();
    await page.goto(site.url(host, '/webinar?utm_source=news&utm_medium=email'));
    await expect.poll(() => site.views(host, '/webinar').length, T).toBe(1);
    // 35 minutes on the page (a video), then the tab is closed.
    await later(page, 35 * 60e3);
    await page.close({ runBeforeUnload: true });
    await expect.poll(() => site.engagements(host, '/webinar').length, T).toBe(1);
    // Was: a new session, one without a pageview.
    const [view] = site.views(host, '/webinar');
    expect(site.engagements(host, '/webinar')[0]!.sessionId).toBe(view!.sessionId);
    expect(site.got(host).map((e) => e.type)).toEqual(['pageview', 'engagement']);
    expect(v.errors).toEqual([]);
  });
});
