/**
 * The built dashboard in real Chromium on the leads API: filter the table, open a lead, see its
 * score breakdown, stage history and cross-device timeline; a hostile name stays text.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium } from '../helpers/browser.ts';
import { type DashboardRig, HOSTILE, SHOTS, startDashboard } from './dashboard-harness.ts';

// Needs the leads API (GET /v1/leads, /v1/leads/{id}, /timeline) from the identity feature:
// runs with TP_FULL=1 until that branch is merged.
describe.skipIf(!hasChromium || !process.env.TP_FULL)('dashboard: leads', () => {
  let rig: DashboardRig;
  beforeAll(async () => {
    rig = await startDashboard();
  });
  afterAll(() => rig?.close());

  for (const width of [1280, 375]) {
    it(`lists leads, filters them by stage and score, and pages (${width}px)`, async () => {
      const { page, dialogs } = await rig.signedIn(width);
      const rows = page.locator('table.leads tbody tr');
      await rows.first().waitFor();
      expect(await rows.count()).toBe(25);
      await page.getByLabel('Stage').selectOption('mql');
      await page.getByLabel('Min score').fill('50');
      await page.getByRole('button', { name: 'Apply' }).click();
      await page.waitForURL(/stage=mql/);
      await page.locator('table.leads tbody tr').first().waitFor();
      const stages = await page.locator('table.leads tbody tr .badge').allTextContents();
      expect(stages.length).toBeGreaterThan(0);
      expect(new Set(stages)).toEqual(new Set(['MQL']));
      const scores = (await page.locator('table.leads tbody td.num').allTextContents()).map(Number);
      expect(scores.every((s) => s >= 50)).toBe(true);
      await page.screenshot({ path: join(SHOTS, `leads-${width}.png`) });
      // Next page, then back to the first.
      await page.getByRole('link', { name: 'Reset' }).click();
      await page.locator('table.leads tbody tr').first().waitFor();
      const first = await page.locator('.lead-link').first().textContent();
      await page.getByRole('button', { name: 'Next →' }).click();
      await page.waitForURL(/cursor=/);
      await page.waitForFunction(
        (f) => document.querySelector('.lead-link')?.textContent !== f,
        first,
      );
      await page.getByRole('button', { name: '← Previous' }).click();
      await page.waitForFunction(
        (f) => document.querySelector('.lead-link')?.textContent === f,
        first,
      );
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - innerWidth);
      expect(overflow).toBeLessThanOrEqual(0);
      expect(dialogs).toEqual([]);
      await page.close();
    });
  }

  it('shows a lead named with markup as text, and nothing runs', async () => {
    const { page, dialogs } = await rig.signedIn();
    await page.getByLabel('Search').fill('onerror');
    await page.keyboard.press('Enter');
    const link = page.getByRole('link', { name: HOSTILE });
    await link.waitFor();
    await link.click();
    await page.getByRole('heading', { name: HOSTILE }).waitFor();
    expect(await page.locator('main img').count()).toBe(0);
    expect(dialogs).toEqual([]);
    await page.close();
  });

  for (const width of [1280, 375]) {
    it(`opens a lead: score breakdown, stage history, touches, cross-device timeline (${width}px)`, async () => {
      const { rows } = await rig.collector.store.query<{ lead_id: string }>(
        `select lead_id from anonymous_links where site_id = $1
          group by lead_id having count(*) > 1 order by lead_id limit 1`,
        [rig.collector.site.id],
      );
      const id = rows[0]!.lead_id;
      const { page, dialogs } = await rig.signedIn(width);
      await page.goto(`${rig.url}/dashboard/#/leads/${id}`);
      await page.getByRole('region', { name: 'Score' }).waitFor();
      await expect(
        page.getByRole('region', { name: 'Stage history' }).textContent(),
      ).resolves.toContain('Lead');
      await expect(
        page.getByRole('region', { name: 'First and last touch' }).textContent(),
      ).resolves.toContain('Channel');
      const timeline = page.locator('ol.timeline li');
      await timeline.first().waitFor();
      const devices = new Set(await page.locator('ol.timeline .device').allTextContents());
      expect(devices.size).toBeGreaterThanOrEqual(2);
      const breakdown = page.getByRole('table', { name: 'Score breakdown' });
      if (await breakdown.count())
        expect(await breakdown.locator('tbody tr').count()).toBeGreaterThan(0);
      await page.screenshot({ path: join(SHOTS, `lead-${width}.png`), fullPage: true });
      expect(dialogs).toEqual([]);
      await page.close();
    });
  }
});
