/** The built dashboard in real Chromium: sign-in, the funnel and report charts, strings as text. */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium } from '../helpers/browser.ts';
import { type DashboardRig, HOSTILE, SHOTS, startDashboard } from './dashboard-harness.ts';

describe.skipIf(!hasChromium)('dashboard: sign-in and reports', () => {
  let rig: DashboardRig;
  beforeAll(async () => {
    rig = await startDashboard();
  });
  afterAll(() => rig?.close());

  it('refuses a wrong key, then keeps the right one in sessionStorage', async () => {
    const page = await rig.browser.newPage();
    await page.goto(`${rig.url}/dashboard/`);
    await page.getByLabel('Secret key').fill(rig.collector.site.publicKey);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toContain('not accepted');
    await page.getByLabel('Secret key').fill(rig.collector.site.secretKey);
    await page.keyboard.press('Enter');
    await page.getByRole('navigation', { name: 'Sections' }).waitFor();
    expect(await page.evaluate(() => sessionStorage.getItem('touchpoint.key'))).toBe(
      rig.collector.site.secretKey,
    );
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('Secret key').waitFor();
    expect(await page.evaluate(() => sessionStorage.getItem('touchpoint.key'))).toBeNull();
    await page.close();
  });

  for (const width of [1280, 375]) {
    it(`shows the funnel, channel and form charts with labels and values (${width}px)`, async () => {
      const { page, dialogs } = await rig.signedIn(width);
      await page.getByRole('link', { name: 'Reports' }).click();
      const funnel = page.getByRole('img', { name: /Lifecycle funnel/ });
      await funnel.waitFor();
      const text = (await funnel.textContent()) ?? '';
      for (const label of ['Visitor', 'Lead', 'MQL', 'SQL', 'Opportunity', 'Customer'])
        expect(text).toContain(label);
      expect(text).toMatch(/\d+ entered/);
      expect(text).toMatch(/\d+\.\d% moved on/);
      // Each series has a pattern or a value in text, not only a colour.
      expect(await funnel.locator('rect[fill^="url(#"]').count()).toBeGreaterThan(0);
      const channels = page.getByRole('img', { name: /per channel/ });
      expect(await channels.textContent()).toContain('Organic search');
      const forms = page.getByRole('img', { name: /Form views/ });
      // A form id with markup is drawn as text, and nothing ran.
      expect(await forms.textContent()).toContain(HOSTILE);
      expect(await page.locator('main img').count()).toBe(0);
      await expect(page.getByText(HOSTILE).first().isVisible()).resolves.toBe(true);
      await page.getByRole('button', { name: 'Last touch' }).click();
      expect(
        await page.getByRole('button', { name: 'Last touch' }).getAttribute('aria-pressed'),
      ).toBe('true');
      // Nothing is wider than the screen at phone width.
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - innerWidth);
      expect(overflow).toBeLessThanOrEqual(0);
      await page.screenshot({ path: join(SHOTS, `reports-${width}.png`), fullPage: true });
      expect(dialogs).toEqual([]);
      await page.close();
    });
  }

  for (const width of [1280, 375]) {
    it(`shows the site's forms and scoring rules (${width}px)`, async () => {
      const { page, dialogs } = await rig.signedIn(width);
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(String(e)));
      await page.getByRole('link', { name: 'Forms & scoring' }).click();
      const rules = page.getByRole('region', { name: 'Scoring rules' });
      await rules.getByRole('cell', { name: 'Work email', exact: true }).waitFor();
      expect(await rules.textContent()).toMatch(/MQL at\s*50\s*points/);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - innerWidth);
      expect(overflow).toBeLessThanOrEqual(0);
      await page.screenshot({ path: join(SHOTS, `setup-${width}.png`), fullPage: true });
      expect([errors, dialogs]).toEqual([[], []]);
      await page.close();
    });
  }

  it('is usable with the keyboard alone', async () => {
    const { page } = await rig.signedIn();
    await page.keyboard.press('Tab'); // skip link
    await page.keyboard.press('Tab'); // Leads
    await page.keyboard.press('Tab'); // Reports
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Reports');
    await page.keyboard.press('Enter');
    await page.getByRole('img', { name: /Lifecycle funnel/ }).waitFor();
    expect(page.url()).toContain('#/reports');
    await page.close();
  });
});
