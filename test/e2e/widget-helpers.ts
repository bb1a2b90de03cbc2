/** Shared set-up of the tag's browser tests: a real collector with the demo site, one Chromium. */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { DEMO_SITE_ID } from '../../collector/demo.ts';
import { createSite } from '../../collector/sites/index.ts';
import { launchBrowser } from '../helpers/browser.ts';
import { type RunningCollector, startCollector } from '../helpers/server.ts';

export interface TagRig {
  c: RunningCollector;
  browser: Browser;
  /** The demo site's public key (the demo pages carry it). */
  demoKey: string;
  /** A fresh context and page that fail the test on any page error. */
  page(): Promise<{ ctx: BrowserContext; page: Page; errors: string[] }>;
  /** Rows of `sql` once `until(rows)` holds (polls the store, at most `ms`). */
  waitRows<R>(
    sql: string,
    params: unknown[],
    until: (rows: R[]) => boolean,
    ms?: number,
  ): Promise<R[]>;
  close(): Promise<void>;
}

/**
 * Starts the collector (demo pages on), creates the demo site allowed from the collector's origin,
 * launches Chromium.
 *
 * @example const rig = await tagRig(); const { page } = await rig.page();
 */
export async function tagRig(): Promise<TagRig> {
  const c = await startCollector();
  const demo = await createSite(c.store, {
    siteId: DEMO_SITE_ID,
    name: 'Demo',
    allowedOrigins: [c.url],
  });
  const browser = await launchBrowser();
  const contexts: BrowserContext[] = [];
  return {
    c,
    browser,
    demoKey: demo.publicKey,
    async page() {
      const ctx = await browser.newContext();
      contexts.push(ctx);
      const page = await ctx.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(String(e)));
      return { ctx, page, errors };
    },
    async waitRows<R>(sql: string, params: unknown[], until: (rows: R[]) => boolean, ms = 15_000) {
      const end = Date.now() + ms;
      for (;;) {
        const { rows } = await c.store.query<R>(sql, params);
        if (until(rows) || Date.now() > end) return rows;
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    async close() {
      for (const x of contexts) await x.close().catch(() => {});
      await browser.close();
      await c.dispose();
    },
  };
}
