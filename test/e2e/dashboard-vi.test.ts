/**
 * The dashboard in Vietnamese, in real Chromium: a Vietnamese browser gets it from the sign-in
 * on; the switch redraws the page in place and is remembered; every page, at phone width, shows
 * its interface in Vietnamese (no English control, heading or label left) and fits the screen.
 */
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium } from '../helpers/browser.ts';
import {
  type DashboardPage,
  type DashboardRig,
  everyPage,
  SHOTS,
  startDashboard,
} from './dashboard-harness.ts';

/**
 * English words of the dashboard's own interface. None is a word of the demo data (names,
 * companies, form and rule labels the marketer typed), so finding one in a Vietnamese page's
 * controls, headings or labels means a text was left untranslated.
 */
const ENGLISH =
  /\b(the|and|of|to|for|with|Save|Delete|Edit|Add|Next|Previous|Page|Filter|Apply|Stage|Score|Channel|Created|Loading|Search|Export|Leads?|Visitors?|Reports?|Sign|Webhooks? (?:endpoint|deliver)|Rules?|Fields?|Forms?|Events?|Sessions?|Touch|Merge|Erase|Move|Cancel|Required|Threshold|Engagement|Fit|Label|Show|Hide|Language)\b/;

/**
 * The interface texts on the page: headings, table headers, labels, legends, buttons, links
 * of the navigation, options, and accessible names and hints given by attributes. Values the
 * API returned are not among them, but for headings naming a lead or visitor (the lead page's
 * h1), which a test skips with `skip`, and the marketer's own labels (`data`: scoring rules'
 * labels, in the scoring editor's accessible names), which are taken out of the texts.
 */
async function interfaceTexts(page: Page, skip: string, data: string[]): Promise<string[]> {
  const texts = await ownTexts(page, skip);
  return texts.map((t) => data.reduce((rest, d) => rest.split(d).join(''), t));
}

function ownTexts(page: Page, skip: string): Promise<string[]> {
  return page.evaluate((skip) => {
    const out: string[] = [];
    const own = (el: Element) =>
      Array.from(el.childNodes)
        .filter((n) => n.nodeType === Node.TEXT_NODE)
        .map((n) => n.textContent ?? '')
        .join('')
        .trim();
    const sel =
      'h1, h2, h3, th, label, legend, button, nav a, option, caption, summary, .muted, .hint, [role=status]';
    for (const el of document.querySelectorAll(sel)) {
      // The language switch's legend names itself in both languages on purpose.
      if ((skip && el.matches(skip)) || el.matches('.langs legend')) continue;
      const t = own(el);
      if (t) out.push(t);
    }
    for (const el of document.querySelectorAll('[aria-label], [title], [placeholder]'))
      for (const a of ['aria-label', 'title', 'placeholder']) {
        const v = el.getAttribute(a);
        if (v && !(skip && el.matches(skip))) out.push(v);
      }
    return out;
  }, skip);
}

describe.skipIf(!hasChromium)('dashboard: Vietnamese', () => {
  let rig: DashboardRig;
  let pages: DashboardPage[] = [];
  beforeAll(async () => {
    rig = await startDashboard();
    pages = await everyPage(rig);
  });
  afterAll(() => rig?.close());

  it('greets a Vietnamese browser in Vietnamese, from the sign-in on', async () => {
    const page = await rig.browser.newPage({ locale: 'vi-VN' });
    await page.goto(`${rig.url}/dashboard/`);
    await page.getByRole('heading', { name: 'Touchpoint' }).waitFor();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('vi');
    expect(await page.title()).toBe('Đăng nhập · Touchpoint');
    await page.getByRole('button', { name: 'Đăng nhập' }).click();
    expect(await page.getByRole('alert').textContent()).toContain('Dán khóa bí mật');
    await page.getByLabel('Khóa bí mật').fill(rig.collector.site.secretKey);
    await page.getByRole('button', { name: 'Đăng nhập' }).click();
    const nav = page.getByRole('navigation', { name: 'Các mục' });
    await nav.getByRole('link', { name: 'Khách hàng tiềm năng' }).waitFor();
    await page.getByRole('heading', { level: 1, name: 'Khách hàng tiềm năng' }).waitFor();
    await page.locator('table.leads tbody tr').first().waitFor();
    // Stages, channels and dates as a Vietnamese reader writes them.
    const badges = await page.locator('table.leads .badge').allTextContents();
    expect(badges.some((b) => ['Khách hàng', 'Cơ hội bán hàng', 'Đã mất'].includes(b))).toBe(true);
    expect(badges).not.toContain('Customer');
    const dates = await page.locator('table.leads tbody td.hide-s').allTextContents();
    expect(dates.some((d) => /thg \d+/.test(d))).toBe(true);
    await page.close();
  });

  it('switches language in place, keeps the page as it was and remembers the choice', async () => {
    const { page } = await rig.signedIn();
    await page.goto(`${rig.url}/dashboard/#/leads?stage=mql`);
    await page.getByRole('heading', { level: 1, name: 'Leads' }).waitFor();
    await page.locator('.table-wrap[aria-busy="false"]').waitFor();
    const rows = await page.locator('table.leads tbody tr').count();
    await page.getByRole('button', { name: 'Tiếng Việt' }).click();
    await page.getByRole('heading', { level: 1, name: 'Khách hàng tiềm năng' }).waitFor();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('vi');
    expect(page.url()).toContain('#/leads?stage=mql');
    expect(await page.locator('table.leads tbody tr').count()).toBe(rows);
    expect(
      await page.getByRole('button', { name: 'Tiếng Việt' }).getAttribute('aria-pressed'),
    ).toBe('true');
    // The tab stays signed in and Vietnamese after a reload.
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Khách hàng tiềm năng' }).waitFor();
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { level: 1, name: 'Leads' }).waitFor();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');

    // An edit not yet saved stays through a switch: the form is the same, only its words change.
    await page.goto(`${rig.url}/dashboard/#/setup/new-form`);
    await page.getByLabel('Name', { exact: true }).fill('Hội thảo');
    await page.getByRole('button', { name: 'Tiếng Việt' }).click();
    await page.getByRole('heading', { level: 1, name: 'Biểu mẫu mới' }).waitFor();
    expect(await page.getByLabel('Tên', { exact: true }).inputValue()).toBe('Hội thảo');
    await page.getByRole('button', { name: 'English' }).click();
    await page.close();
  });

  it('shows every page in Vietnamese, fitting a phone screen', async () => {
    const { page } = await rig.signedIn(375, false, 'vi-VN');
    const rules = (await (
      await fetch(`${rig.collector.url}/v1/scoring`, {
        headers: { authorization: `Bearer ${rig.collector.site.secretKey}` },
      })
    ).json()) as { fit: { label: string }[]; engagement: { label: string }[] };
    const labels = [...rules.fit, ...rules.engagement].map((r) => r.label);
    const left: Record<string, string[]> = {};
    const wide: Record<string, number> = {};
    for (const [route, ready, skip] of pages) {
      await page.goto('about:blank');
      await page.goto(`${rig.url}/dashboard/#/${route}`);
      await page.locator(ready).first().waitFor();
      await page.locator('[aria-busy="true"]').first().waitFor({ state: 'detached' });
      const english = (await interfaceTexts(page, skip, labels)).filter((t) => ENGLISH.test(t));
      if (english.length) left[route] = english;
      const overflow = await page.evaluate(
        () => document.documentElement.scrollWidth - window.innerWidth,
      );
      if (overflow > 0) wide[route] = overflow;
      await page.screenshot({
        path: join(SHOTS, `vi-${route.replace(/\W+/g, '-')}-375.png`),
        fullPage: true,
      });
    }
    expect(left).toEqual({});
    expect(wide).toEqual({});
    await page.close();
  });
});
