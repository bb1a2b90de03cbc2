/**
 * The built dashboard in real Chromium: sign-in, the funnel and report charts, strings as text,
 * and what keyboard and screen-reader users get (focus, titles, skip link, the charts' figures).
 */
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChannelsReport } from '../../collector/api/reports-schema.ts';
import { hasChromium } from '../helpers/browser.ts';
import { type DashboardRig, focused, HOSTILE, SHOTS, startDashboard } from './dashboard-harness.ts';

/** WCAG contrast ratio of two `rgb(r, g, b)` colours. */
function contrast(a: string, b: string): number {
  const lum = (c: string) => {
    const [r = 0, g = 0, bl = 0] = (c.match(/\d+(\.\d+)?/g) ?? []).map(Number).map((v) => {
      const s = v / 255;
      return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
  };
  const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

/** The top left of the page, where the focus screenshots look. */
const TOP = { x: 0, y: 0, width: 640, height: 260 };

/** The focused control's ring (outline and the band inside it) and the colour behind the control. */
const ring = (page: Page) =>
  page.evaluate(() => {
    const el = document.activeElement as HTMLElement;
    const css = getComputedStyle(el);
    let bg = 'rgba(0, 0, 0, 0)';
    // The ring is drawn outside the control, over its container's background.
    for (let n = el.parentElement; n && /rgba\(.*, 0\)|transparent/.test(bg); n = n.parentElement)
      bg = getComputedStyle(n).backgroundColor;
    return {
      style: css.outlineStyle,
      outline: css.outlineColor,
      band: css.boxShadow.match(/rgba?\([^)]*\)/)?.[0] ?? '',
      behind: bg,
    };
  });

describe.skipIf(!hasChromium)('dashboard: sign-in and reports', () => {
  let rig: DashboardRig;
  beforeAll(async () => {
    rig = await startDashboard();
  });
  afterAll(() => rig?.close());

  it('refuses a wrong key, then keeps the right one in sessionStorage', async () => {
    const page = await rig.browser.newPage();
    const missing: string[] = [];
    page.on('response', (r) => r.status() === 404 && missing.push(r.url()));
    await page.goto(`${rig.url}/dashboard/`);
    // The key field is ready to paste into, and the tab says where one is.
    await expect.poll(() => focused(page)).toBe('input#key:');
    expect(await page.title()).toBe('Sign in · Touchpoint');
    await page.getByRole('button', { name: 'Sign in' }).click();
    const hint = (await page.getByRole('alert').textContent()) ?? '';
    expect(hint).toContain('from whoever set up Touchpoint');
    expect(hint).not.toContain('npm');
    await page.getByLabel('Secret key').fill(rig.collector.site.publicKey);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toContain('not accepted');
    await page.getByLabel('Secret key').fill(rig.collector.site.secretKey);
    await page.keyboard.press('Enter');
    await page.getByRole('navigation', { name: 'Sections' }).waitFor();
    expect(await page.evaluate(() => sessionStorage.getItem('touchpoint.key'))).toBe(
      rig.collector.site.secretKey,
    );
    // Signed in: focus and the tab's title are on the page that opened.
    await expect.poll(() => focused(page)).toBe('h1:Leads');
    expect(await page.title()).toBe('Leads · Touchpoint');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('Secret key').waitFor();
    expect(await page.evaluate(() => sessionStorage.getItem('touchpoint.key'))).toBeNull();
    await expect.poll(() => focused(page)).toBe('input#key:');
    // The favicon is inline: nothing the dashboard asks for is missing.
    expect(missing).toEqual([]);
    await page.close();
  });

  for (const width of [1280, 375]) {
    it(`shows the funnel, channel and form charts with labels and values (${width}px)`, async () => {
      const { page, dialogs } = await rig.signedIn(width);
      await page.getByRole('link', { name: 'Reports' }).click();
      const funnel = page.getByRole('img', { name: /Lifecycle funnel/ });
      await funnel.waitFor();
      // The window in force, written as English writes dates, is also in the date fields.
      expect(await page.locator('form.filters .actions .muted').textContent()).toMatch(
        /^Last 30 days: [A-Z][a-z]{2} \d{1,2}, \d{4} to [A-Z][a-z]{2} \d{1,2}, \d{4}$/,
      );
      expect(await page.locator('input[name="from"]').inputValue()).toMatch(/^\d{4}-\d\d-\d\d$/);
      const text = (await funnel.textContent()) ?? '';
      for (const label of ['Visitor', 'Lead', 'MQL', 'SQL', 'Opportunity', 'Customer'])
        expect(text).toContain(label);
      expect(text).toMatch(/\d+ entered/);
      expect(text).toMatch(/\d+\.\d% moved on/);
      // Each series has a pattern or a value in text, not only a colour.
      expect(await funnel.locator('rect[fill^="url(#"]').count()).toBeGreaterThan(0);
      const channels = page.getByRole('img', { name: /per channel/ });
      expect(await channels.textContent()).toContain('Organic search');
      // A screen reader gets the channel figures too, as a table named like the chart.
      const res = await fetch(`${rig.url}/v1/reports/channels`, {
        headers: { authorization: `Bearer ${rig.collector.site.secretKey}` },
      });
      const organic = ((await res.json()) as ChannelsReport).firstTouch.find(
        (r) => r.channel === 'organic_search',
      )!;
      const row = page
        .getByRole('table', { name: /per channel \(first touch\)/ })
        .getByRole('row', { name: /Organic search/ });
      const cells = await row.getByRole('cell').allTextContents();
      expect(cells.slice(0, 4).map((c) => Number.parseInt(c, 10))).toEqual([
        organic.visitors,
        organic.leads,
        organic.mqls,
        organic.customers,
      ]);
      expect(cells[4]).toMatch(/\d+\.\d% became leads/);
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
      // Each rule's condition is a sentence, not its JSON.
      const conditions = await rules.locator('td.when').allTextContents();
      expect(conditions).toContain('Email is not a free-mail address');
      expect(conditions).toContain('Phone is set');
      expect(conditions).toContain('Company size is at least 50');
      expect(conditions).toContain('page view of */pricing* · at most 30 points');
      expect(conditions).toContain('track event signup · only the latest counts');
      expect(conditions.join('\n')).not.toMatch(/[{}"]|freeEmailDomain|exists|null/);
      // Every rule's points are on the screen, not past a sideways scroll.
      const right = await rules
        .locator('td.num')
        .evaluateAll((tds) => Math.max(...tds.map((td) => td.getBoundingClientRect().right)));
      expect(right).toBeLessThanOrEqual(width);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - innerWidth);
      expect(overflow).toBeLessThanOrEqual(0);
      await page.screenshot({ path: join(SHOTS, `setup-${width}.png`), fullPage: true });
      expect([errors, dialogs]).toEqual([[], []]);
      await page.close();
    });
  }

  it('is usable with the keyboard alone: focus follows the page, skip link, visible ring', async () => {
    const { page } = await rig.signedIn();
    await expect.poll(() => focused(page)).toBe('h1:Leads');
    await page.keyboard.press('Shift+Tab'); // Sign out
    await page.keyboard.press('Shift+Tab'); // Tiếng Việt
    await page.keyboard.press('Shift+Tab'); // English
    await page.keyboard.press('Shift+Tab'); // Webhooks
    await page.keyboard.press('Shift+Tab'); // Forms & scoring
    await page.keyboard.press('Shift+Tab'); // Reports
    expect(await focused(page)).toBe('a:Reports');
    // The ring shows on the dark header: its light band stands out from the navy.
    const inHeader = await ring(page);
    expect(inHeader.style).toBe('solid');
    expect(contrast(inHeader.band, inHeader.behind)).toBeGreaterThanOrEqual(3);
    await page.screenshot({ path: join(SHOTS, 'focus-header.png'), clip: TOP });
    await page.keyboard.press('Enter');
    await page.getByRole('img', { name: /Lifecycle funnel/ }).waitFor();
    expect(page.url()).toContain('#/reports');
    await expect.poll(() => focused(page)).toBe('h1:Reports');
    expect(await page.title()).toBe('Reports · Touchpoint');

    // From the top of the page, the skip link goes to the content and the page stays Reports.
    await page.reload();
    await page.getByRole('heading', { name: 'Reports' }).waitFor();
    await page.keyboard.press('Tab');
    expect(await focused(page)).toBe('a:Skip to content');
    await page.screenshot({ path: join(SHOTS, 'focus-skip.png'), clip: TOP });
    await page.keyboard.press('Enter');
    expect(await focused(page)).toMatch(/^main#main:/);
    expect(page.url()).toContain('#/reports');
    await expect(page.getByRole('heading', { name: 'Reports' }).isVisible()).resolves.toBe(true);
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => (document.activeElement as HTMLInputElement).name)).toBe(
      'from',
    );
    // On white the ring is dark.
    const onWhite = await ring(page);
    expect(contrast(onWhite.outline, 'rgb(255, 255, 255)')).toBeGreaterThanOrEqual(3);
    expect(contrast(onWhite.outline, onWhite.behind)).toBeGreaterThanOrEqual(3);
    await page.screenshot({ path: join(SHOTS, 'focus-content.png'), clip: TOP });
    await page.close();
  });

  it('says once, next to the dates, that From is after To, without asking the API', async () => {
    const { page } = await rig.signedIn();
    await page.getByRole('link', { name: 'Reports' }).click();
    await page.getByRole('img', { name: /Lifecycle funnel/ }).waitFor();
    const dates = page.getByRole('form', { name: 'Report window' });
    const fromField = dates.getByLabel('From', { exact: true });
    const toField = dates.getByLabel('To', { exact: true });
    const asked: string[] = [];
    page.on('request', (r) => r.url().includes('/v1/reports/') && asked.push(r.url()));
    await fromField.fill('2025-03-10');
    await toField.fill('2025-03-01');
    await page.getByRole('button', { name: 'Show' }).click();
    const alert = page.getByRole('alert');
    await expect(alert.textContent()).resolves.toBe('“From” must be on or before “To”.');
    expect(await page.locator('.problem').count()).toBe(1);
    expect(await page.getByRole('region', { name: 'Channels' }).count()).toBe(0);
    expect(await fromField.getAttribute('aria-invalid')).toBe('true');
    // Focus stays on the button that was pressed.
    expect(await focused(page)).toBe('button:Show');
    await page.screenshot({ path: join(SHOTS, 'reports-backwards.png') });
    expect(asked).toEqual([]);
    await toField.fill('2025-03-20');
    await page.getByRole('button', { name: 'Show' }).click();
    await page.getByRole('img', { name: /Lifecycle funnel/ }).waitFor();
    expect(await page.locator('.problem').count()).toBe(0);
    await page.close();
  });
});
