/**
 * The tag behind a first-party path (what keeps it working where blockers drop third-party
 * trackers): the site's own server forwards `/_tp/*` to the collector, the tag is loaded from
 * `/_tp/tp.js` with `data-host` on that path, and every request the page makes stays on the
 * site's origin — pageviews, the forms chunk, the forms config and a submission included.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_FORMS } from '../../collector/forms/demo.ts';
import { MIN_FILL_MS } from '../../collector/forms/index.ts';
import { hasChromium, humanContext, launchBrowser } from '../helpers/browser.ts';
import { createForms, type RunningCollector, startCollector } from '../helpers/server.ts';

const SITE = 'http://www.shop.test';

describe.skipIf(!hasChromium)('tag behind a first-party path', () => {
  let collector: RunningCollector;
  let browser: Browser;

  beforeAll(async () => {
    collector = await startCollector({ origins: [SITE] });
    await createForms(collector, [DEMO_FORMS[0]]);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await collector?.dispose();
  });

  it('sends everything through the site’s own origin', async () => {
    const form = DEMO_FORMS[0]!;
    // A person, not automation: the lead is made (bots are kept out of leads' scoring).
    const ctx = await humanContext(browser);
    // The site's server: its pages, and `/_tp/*` forwarded to the collector as a reverse proxy
    // does (the prefix stripped, the browser's headers — Origin included — passed on).
    await ctx.route(`${SITE}/**`, async (r) => {
      const u = new URL(r.request().url());
      if (u.pathname.startsWith('/_tp/')) {
        const response = await r.fetch({ url: collector.url + u.pathname.slice(4) + u.search });
        return r.fulfill({ response });
      }
      return r.fulfill({
        contentType: 'text/html',
        body: `<!doctype html><html lang="en"><title>Shop</title><h1>Shop</h1>
          <div data-tp-form="${form.id}"></div>
          <script async src="/_tp/tp.js" data-site="${collector.site.publicKey}" data-host="${SITE}/_tp"></script>`,
      });
    });
    const page = await ctx.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    const origins = new Set<string>();
    page.on('request', (r) => origins.add(new URL(r.url()).origin));

    await page.goto(`${SITE}/pricing`);
    const anon = await page.evaluate(() => document.cookie.match(/_tp_id=([^;]+)/)?.[1]);
    expect(anon).toBeTruthy();
    const views = await waitRows(
      `select url from events where site_id = $1 and anonymous_id = $2 and type = 'pageview'`,
      [collector.site.id, anon],
    );
    expect(views.map((v) => v.url)).toEqual([`${SITE}/pricing`]);

    // The inline form came through the proxy (chunk and config); a submission does too.
    const email = page.locator('tp-form input[type=email]');
    await email.waitFor();
    await email.fill('lan@shop.test');
    for (const box of await page.locator('tp-form input[type=checkbox][required]').all())
      await box.check();
    await page.waitForTimeout(MIN_FILL_MS + 100); // past the spam check's minimum fill time
    await page.locator('tp-form button[type=submit]').click();
    const subs = await waitRows(
      `select form_id, status from form_submissions where site_id = $1 and anonymous_id = $2`,
      [collector.site.id, anon],
    );
    expect(subs).toEqual([{ form_id: form.id, status: 'accepted' }]);
    const leads = await waitRows(
      `select l.email from anonymous_links a join leads l using (site_id, lead_id) where a.site_id = $1 and a.anonymous_id = $2`,
      [collector.site.id, anon],
    );
    expect(leads).toEqual([{ email: 'lan@shop.test' }]);
    expect([...origins]).toEqual([SITE]);
    expect(errors).toEqual([]);
    await ctx.close();
  });

  /** Rows of `sql` once there are any (polls the store for at most 15 s). */
  async function waitRows(sql: string, params: unknown[]) {
    const end = Date.now() + 15_000;
    for (;;) {
      const { rows } = await collector.store.query<Record<string, unknown>>(sql, params);
      if (rows.length || Date.now() > end) return rows;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
});
