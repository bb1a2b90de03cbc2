/** The built, minified /tp.js in Chromium against a real collector: pageviews, campaigns, SPA. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_SITE_ID } from '../../collector/demo.ts';
import { seedDemoForms } from '../../collector/forms/index.ts';
import { hasChromium } from '../helpers/browser.ts';
import { type TagRig, tagRig } from './widget-helpers.ts';

describe.skipIf(!hasChromium)('tag in Chromium: pageviews and campaigns', () => {
  let rig: TagRig;
  beforeAll(async () => {
    rig = await tagRig();
  });
  afterAll(() => rig?.close());

  it('records a pageview with its campaign and the right channel', async () => {
    const { page, errors } = await rig.page();
    await page.goto(
      `${rig.c.url}/demo/pricing?utm_source=google&utm_medium=cpc&utm_campaign=spring`,
    );
    const anon = await page.evaluate(() => document.cookie.match(/_tp_id=([^;]+)/)?.[1]);
    expect(anon).toBeTruthy();
    const sessions = await rig.waitRows<{
      channel: string;
      campaign: string;
      landing_url: string;
      pageviews: number;
    }>(
      `select channel, campaign, landing_url, pageviews from sessions where site_id = 'site_demo' and anonymous_id = $1`,
      [anon],
      (r) => r.length > 0,
    );
    expect(sessions).toEqual([
      expect.objectContaining({ channel: 'paid_search', campaign: 'spring', pageviews: 1 }),
    ]);
    expect(sessions[0]!.landing_url).toContain('/demo/pricing?utm_source=google');
    const visitors = await rig.waitRows<{ first_touch: { channel: string } }>(
      `select first_touch from visitors where site_id = 'site_demo' and anonymous_id = $1`,
      [anon],
      (r) => !!r[0]?.first_touch,
    );
    expect(visitors[0]!.first_touch).toMatchObject({
      channel: 'paid_search',
      source: 'google',
      campaign: 'spring',
    });
    expect(errors).toEqual([]);
  });

  it("the demo's Book a demo button opens the demo form and is counted as a click", async () => {
    // The demo's forms, as `npm start` seeds them; removed after (the other tests have none).
    await seedDemoForms(rig.c.store, DEMO_SITE_ID, new Date());
    try {
      const { page, errors } = await rig.page();
      await page.goto(`${rig.c.url}/demo/`);
      const anon = await page.evaluate(() => document.cookie.match(/_tp_id=([^;]+)/)?.[1]);
      await page.getByRole('button', { name: 'Book a demo' }).click();
      await page.locator('tp-form [role=dialog]').waitFor({ timeout: 10_000 });
      expect(await page.locator('tp-form h2').textContent()).toBe(
        'Before you go: see Touchpoint live',
      );
      const clicks = await rig.waitRows<{ name: string }>(
        `select name from events where site_id = 'site_demo' and anonymous_id = $1 and type = 'click'`,
        [anon],
        (r) => r.length > 0,
      );
      expect(clicks).toEqual([{ name: 'book_demo' }]);
      expect(errors).toEqual([]);
    } finally {
      await rig.c.store.query('delete from forms where site_id = $1', [DEMO_SITE_ID]);
    }
  });

  it('counts SPA navigation exactly once per route', async () => {
    const { page, errors } = await rig.page();
    await page.goto(`${rig.c.url}/demo/app/`);
    const anon = await page.evaluate(() => document.cookie.match(/_tp_id=([^;]+)/)?.[1]);
    for (const link of ['Timeline', 'Scoring', 'Scoring', 'Reports']) {
      await page.click(`#tour >> text=${link}`);
      await page.waitForTimeout(30);
    }
    // replaceState of the same route and a hash change count nothing; the first back only
    // leaves the hash (same route), the second returns to Scoring: counted again, once.
    await page.evaluate(() => history.replaceState({}, '', location.pathname));
    await page.evaluate(() => {
      location.hash = 'x';
    });
    await page.goBack();
    await page.goBack();
    const rows = await rig.waitRows<{ url: string }>(
      `select url from events where site_id = 'site_demo' and anonymous_id = $1 and type = 'pageview' order by ts, url`,
      [anon],
      (r) => r.length >= 5,
    );
    await page.waitForTimeout(300); // nothing more arrives
    const again = await rig.c.store.query(
      `select 1 from events where site_id = 'site_demo' and anonymous_id = $1 and type = 'pageview'`,
      [anon],
    );
    expect(again.rows.length).toBe(5);
    const paths = rows.map((r) => new URL(r.url).pathname);
    expect(paths.sort()).toEqual(
      [
        '/demo/app/',
        '/demo/app/timeline',
        '/demo/app/scoring',
        '/demo/app/reports',
        '/demo/app/scoring',
      ].sort(),
    );
    expect(errors).toEqual([]);
  });

  it('sends engagement (deepest scroll, engaged time) once when the page is hidden', async () => {
    const { page, errors } = await rig.page();
    await page.goto(`${rig.c.url}/demo/pricing`);
    const anon = await page.evaluate(() => document.cookie.match(/_tp_id=([^;]+)/)?.[1]);
    // A page four viewports tall, read to its middle, then back to the top: the deepest point
    // counts. The tag measures no height at load (no forced layout); it does on scroll and hide.
    await page.evaluate(() => {
      const tall = document.createElement('div');
      tall.style.height = `${innerHeight * 3}px`;
      document.body.append(tall);
    });
    const expected = await page.evaluate(async () => {
      const h = document.documentElement.scrollHeight;
      scrollTo(0, h / 2 - innerHeight / 2);
      await new Promise((r) => setTimeout(r, 100));
      const deepest = Math.round(((scrollY + innerHeight) / h) * 100);
      scrollTo(0, 0);
      return deepest;
    });
    await page.waitForTimeout(1200);
    await page.goto(`${rig.c.url}/demo/`); // pagehide: engagement, then the beacon
    const rows = await rig.waitRows<{
      url: string;
      properties: { scroll: number; engagedMs: number };
    }>(
      `select url, properties from events where site_id = 'site_demo' and anonymous_id = $1 and type = 'engagement'`,
      [anon],
      (r) => r.length > 0,
    );
    await page.waitForTimeout(300); // nothing more arrives
    expect(rows).toHaveLength(1);
    expect(new URL(rows[0]!.url).pathname).toBe('/demo/pricing');
    expect(rows[0]!.properties.scroll).toBe(expected);
    expect(rows[0]!.properties.engagedMs).toBeGreaterThanOrEqual(1200);
    expect(errors).toEqual([]);
  });

  it('shares one anonymous id across subdomains (cookie on the registrable domain, probed once)', async () => {
    const { ctx, page, errors } = await rig.page();
    // Two subdomains of one site, served by the test with the real built tag (a public origin
    // may not load from 127.0.0.1: Private Network Access), the collector's answers faked.
    const tagJs = Buffer.from(await (await fetch(`${rig.c.url}/tp.js`)).arrayBuffer());
    await ctx.route('http://*.shop.test/**', (r) => {
      const path = new URL(r.request().url()).pathname;
      if (path === '/tp.js') return r.fulfill({ contentType: 'text/javascript', body: tagJs });
      if (path.startsWith('/v1/'))
        return r.fulfill({ status: 202, contentType: 'application/json', body: '{"accepted":1}' });
      return r.fulfill({
        contentType: 'text/html',
        body: '<!doctype html><title>Shop</title><script async src="/tp.js" data-site="pk_x"></script>',
      });
    });
    // Every cookie the page writes, recorded before any script runs.
    await ctx.addInitScript(() => {
      const w = window as unknown as { writes: string[] };
      w.writes = [];
      const d = Object.getOwnPropertyDescriptor(Document.prototype, 'cookie')!;
      Object.defineProperty(Document.prototype, 'cookie', {
        configurable: true,
        get: d.get,
        set(v: string) {
          w.writes.push(v);
          d.set!.call(this, v);
        },
      });
    });
    const visit = async (url: string) => {
      await page.goto(url);
      await page.waitForFunction(() => localStorage._tp);
      return page.evaluate(() => ({
        state: JSON.parse(localStorage._tp) as { id: string; d?: string },
        probes: (window as unknown as { writes: string[] }).writes.filter((w) =>
          w.startsWith('_tp_p='),
        ).length,
      }));
    };
    const first = await visit('http://www.shop.test/');
    expect(first.state.d).toBe('shop.test');
    expect(first.probes).toBeGreaterThan(0);
    const cookies = await ctx.cookies('http://www.shop.test/');
    // The id on the registrable domain, no probe cookie left behind.
    expect(cookies.map((c) => [c.name, c.value, c.domain, c.sameSite])).toEqual([
      ['_tp_id', first.state.id, '.shop.test', 'Lax'],
    ]);
    // The next page of this origin knows the domain: no probing.
    const again = await visit('http://www.shop.test/pricing');
    expect([again.state.id, again.probes]).toEqual([first.state.id, 0]);
    // Another subdomain (its own localStorage) reads the same id from the shared cookie.
    const blog = await visit('http://blog.shop.test/');
    expect(blog.state.id).toBe(first.state.id);
    expect(errors).toEqual([]);
  });
});
