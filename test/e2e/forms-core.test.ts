/**
 * Forms through the real tag (`/tp.js` of the core): the chunk is loaded only when a form will
 * show, a submission made offline arrives after reconnecting (the core's durable queue), and the
 * lead it makes has the visitor's earlier anonymous page views in its timeline.
 */
import { existsSync, readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_FORMS } from '../../collector/forms/demo.ts';
import { type PageServer, startPages } from '../forms/pages.ts';
import { hasChromium, humanContext, launchBrowser } from '../helpers/browser.ts';
import { createForms, type RunningCollector, startCollector } from '../helpers/server.ts';

const coreReady =
  existsSync('dist/tp.js') && readFileSync('dist/tp.js', 'utf8').includes('tp-forms');

describe.skipIf(!hasChromium || !coreReady)('forms through the real tag', () => {
  let collector: RunningCollector;
  let pages: PageServer;
  let browser: Browser;

  beforeAll(async () => {
    pages = await startPages();
    collector = await startCollector({ origins: [pages.url] });
    // The demo popup only on pages that ask for it, so other pages have no form to show.
    const demo = { ...DEMO_FORMS[1]!, targeting: { include: ['/page?*auto=demo*'] } };
    await createForms(collector, [DEMO_FORMS[0]!, demo]);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await collector?.dispose();
    await pages?.close();
  });

  /** A browser context that looks like a person (bots are flagged and kept out of leads). */
  const human = () => humanContext(browser);

  const url = (params: Record<string, string>) =>
    `${pages.url}/page?${new URLSearchParams({ pk: collector.site.publicKey, collector: collector.url, tag: '1', ...params })}`;

  const chunkRequests = (page: Page) => {
    const seen: string[] = [];
    page.on('request', (r) => {
      if (r.url().includes('tp-forms')) seen.push(r.url());
    });
    return seen;
  };

  it('a page without forms loads no forms chunk; an inline placeholder loads it', async () => {
    const context = await human();
    const page = await context.newPage();
    const seen = chunkRequests(page);
    await page.goto(url({}));
    await page.waitForLoadState('networkidle');
    expect(seen).toEqual([]);
    await page.goto(url({ inline: 'newsletter' }));
    await page.locator('tp-form h2').waitFor();
    expect(seen.length).toBeGreaterThan(0);
    await context.close();
  });

  it('a popup targeting the page loads the chunk from the collector’s answer to the pageview', async () => {
    const context = await human();
    const page = await context.newPage();
    const seen = chunkRequests(page);
    const answer = page.waitForResponse((r) => r.url().endsWith('/v1/collect'));
    // Waited for from the start: the chunk may read its config before the 202 is looked at.
    const config = page.waitForResponse((r) => r.url().includes('/config'));
    await page.goto(url({ auto: 'demo' }));
    expect((await answer).headers()['touchpoint-forms']).toBe('1');
    await expect.poll(() => seen.length).toBeGreaterThan(0);
    // The demo popup opens on exit intent once the chunk has armed it.
    await config;
    await page.waitForTimeout(100);
    await page.evaluate(() =>
      document.dispatchEvent(new MouseEvent('mouseout', { clientY: -1, relatedTarget: null })),
    );
    await page.locator('tp-form [role=dialog]').waitFor();
    await context.close();
  });

  it("touchpoint('form', id) shows that form now", async () => {
    const context = await human();
    const page = await context.newPage();
    await page.goto(url({ show: 'demo' }));
    await page.locator('tp-form [role=dialog]').waitFor();
    await context.close();
  });

  it('a submission made offline arrives after reconnecting, exactly once', async () => {
    const context = await human();
    const page = await context.newPage();
    await page.goto(url({ inline: 'newsletter' }));
    const f = page.locator('tp-form');
    await f.getByLabel(/email/i).first().waitFor();
    await page.waitForTimeout(1_600);
    await context.setOffline(true);
    await f.getByLabel(/email/i).first().fill('offline@example.com');
    await f.getByRole('checkbox').check();
    await f.locator('button[type=submit]').click();
    await f.getByRole('status').waitFor();
    await page.waitForTimeout(500);
    const count = async () =>
      (
        await collector.store.query<{ n: number }>(
          `select count(*)::int as n from form_submissions where field_values->>'email' = 'offline@example.com'`,
        )
      ).rows[0]!.n;
    expect(await count()).toBe(0);
    await context.setOffline(false);
    await expect.poll(count, { timeout: 20_000 }).toBe(1);
    await page.reload();
    await page.waitForTimeout(1_000);
    expect(await count()).toBe(1);
    await context.close();
  });

  it("the submission's lead has the earlier anonymous page views in its timeline", async () => {
    const context = await human();
    const page = await context.newPage();
    await page.goto(url({ step: '1' }));
    await page.goto(url({ step: '2' }));
    await page.goto(url({ inline: 'newsletter', step: '3' }));
    const f = page.locator('tp-form');
    await f.getByLabel(/email/i).first().waitFor();
    await page.waitForTimeout(1_600);
    await f.getByLabel(/email/i).first().fill('timeline@example.com');
    await f.getByRole('checkbox').check();
    await f.locator('button[type=submit]').click();
    const api = (path: string) =>
      fetch(`${collector.url}${path}`, {
        headers: { authorization: `Bearer ${collector.site.secretKey}` },
      }).then((r) => r.json());
    let lead: { id: string } | undefined;
    await expect
      .poll(async () => (lead = (await api('/v1/leads?q=timeline@example.com')).data?.[0]), {
        timeout: 20_000,
      })
      .toBeTruthy();
    const timeline = await api(`/v1/leads/${lead!.id}/timeline?limit=100`);
    const views = timeline.data.filter((e: { type: string }) => e.type === 'pageview');
    expect(views.map((e: { url: string }) => new URL(e.url).searchParams.get('step'))).toEqual(
      expect.arrayContaining(['1', '2', '3']),
    );
    expect(timeline.data.map((e: { type: string }) => e.type)).toEqual(
      expect.arrayContaining(['form_submit', 'identify']),
    );
    await context.close();
  });
});
