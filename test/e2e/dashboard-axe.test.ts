/**
 * Every dashboard page checked by axe-core (WCAG 2.1 A and AA, and best practices) in real
 * Chromium, at desktop and phone width: labels, names, contrast, landmarks, headings.
 */
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium } from '../helpers/browser.ts';
import { type DashboardRig, startDashboard } from './dashboard-harness.ts';

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
  let leadId = '';
  let anon = '';
  beforeAll(async () => {
    rig = await startDashboard();
    const { rows } = await rig.collector.store.query<{ lead_id: string; anonymous_id: string }>(
      `select l.lead_id, al.anonymous_id from leads l
         join anonymous_links al on al.site_id = l.site_id and al.lead_id = l.lead_id
        where l.site_id = $1 and l.stage = 'customer' order by l.lead_id limit 1`,
      [rig.collector.site.id],
    );
    leadId = rows[0]!.lead_id;
    anon = rows[0]!.anonymous_id;
    await fetch(`${rig.collector.url}/v1/forms/newsletter`, {
      method: 'PUT',
      headers: {
        authorization: `Bearer ${rig.collector.site.secretKey}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({
        name: 'Newsletter',
        kind: 'popup',
        fields: [
          { name: 'email', type: 'email', required: true },
          { name: 'topic', type: 'select', options: [{ value: 'a' }, { value: 'b' }] },
        ],
      }),
    });
  });
  afterAll(() => rig?.close());

  const routes = () => [
    ['leads', 'table.leads tbody tr'],
    [`leads/${leadId}`, '.timeline li'],
    ['visitors', 'table.visitors tbody tr'],
    [`visitors/${anon}`, '.timeline li'],
    ['reports', '.chart svg'],
    ['setup', 'table.compact tbody tr'],
    ['setup/forms/newsletter', 'form.editor input'],
    ['setup/new-form', 'form.editor input'],
    ['setup/scoring', 'form.editor input'],
    ['webhooks', 'form.editor input'],
  ];

  for (const width of [1280, 375]) {
    it(`finds no violation on any page (${width} px)`, async () => {
      const { page } = await rig.signedIn(width);
      const found: Record<string, unknown> = {};
      for (const [route, ready] of routes()) {
        // A full load per page (the key stays in this tab's sessionStorage): nothing of the
        // page before is left when the ready element appears.
        await page.goto('about:blank');
        await page.goto(`${rig.url}/dashboard/#/${route}`);
        await page.locator(ready!).first().waitFor();
        const v = await violations(page);
        if (v.length) found[route!] = v;
      }
      expect(found).toEqual({});
      await page.close();
    });
  }
});
