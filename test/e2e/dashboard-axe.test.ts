/**
 * Every dashboard page checked by axe-core (WCAG 2.1 A and AA, and best practices) in real
 * Chromium, at desktop and phone width, in English and in Vietnamese: labels, names, contrast,
 * landmarks, headings, the page's language.
 */
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium } from '../helpers/browser.ts';
import {
  type DashboardPage,
  type DashboardRig,
  everyPage,
  startDashboard,
} from './dashboard-harness.ts';

const AXE = readFileSync('node_modules/axe-core/axe.min.js', 'utf8');

type Axe = {
  run(
    ctx: unknown,
    opts: unknown,
  ): Promise<{ violations: { id: string; nodes: { target: unknown }[] }[] }>;
};

/** axe's violations on the page as it is: rule id and the elements it found. */
async function violations(page: Page) {
  await page.addScriptTag({ content: AXE });
  return page.evaluate(async () => {
    const res = await (window as unknown as { axe: Axe }).axe.run(document, {
      runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'],
    });
    return res.violations.map((v) => ({
      id: v.id,
      targets: v.nodes.slice(0, 5).map((n) => JSON.stringify(n.target)),
    }));
  });
}

describe.skipIf(!hasChromium)('dashboard: axe-core on every page', () => {
  let rig: DashboardRig;
  let pages: DashboardPage[] = [];
  beforeAll(async () => {
    rig = await startDashboard();
    pages = await everyPage(rig);
  });
  afterAll(() => rig?.close());

  for (const [width, locale] of [
    [1280, 'en-US'],
    [375, 'en-US'],
    [1280, 'vi-VN'],
    [375, 'vi-VN'],
  ] as const) {
    it(`finds no violation on any page (${width} px, ${locale})`, async () => {
      const { page } = await rig.signedIn(width, false, locale);
      const found: Record<string, unknown> = {};
      for (const [route, ready] of pages) {
        // A full load per page (the key stays in this tab's sessionStorage): nothing of the
        // page before is left when the ready element appears.
        await page.goto('about:blank');
        await page.goto(`${rig.url}/dashboard/#/${route}`);
        await page.locator(ready).first().waitFor();
        const v = await violations(page);
        if (v.length) found[route] = v;
      }
      expect(found).toEqual({});
      await page.close();
    });
  }
});
