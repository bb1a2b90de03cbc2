/**
 * The built dashboard in real Chromium on the leads API: filter the table, open a lead, see its
 * score breakdown, stage history and cross-device timeline; a hostile name stays text; focus,
 * titles and the result count keep keyboard and screen-reader users where they are.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STAGE_LABELS } from '../../shared/funnel.ts';
import { hasChromium } from '../helpers/browser.ts';
import {
  type DashboardRig,
  focused,
  HOSTILE,
  parseCsv,
  SHOTS,
  startDashboard,
} from './dashboard-harness.ts';

/** The lead ids the table shows, in order. */
const shownIds = (page: Page) =>
  page.locator('.lead-link').evaluateAll((as) => as.map((a) => a.getAttribute('href')));

/** The stages of the leads the table shows. */
const shownStages = (page: Page) => page.locator('table.leads tbody tr .badge').allTextContents();

/** A leads list's filters, as its request and the address both say them (the page size aside). */
function listFilters(params: URLSearchParams): string {
  const filters = new URLSearchParams(params);
  filters.delete('limit');
  filters.delete('count');
  if (!filters.get('sort')) filters.set('sort', '-score');
  filters.sort();
  return filters.toString();
}

/**
 * Runs `action` and waits until the list it asks for (the filters in the address after it) is
 * answered and drawn. Only that list's answer counts: one for an earlier list (the filters before,
 * the segment a save chose) can still come in after the action, and taken for the action's, the
 * next step would read the earlier list.
 */
async function listed(page: Page, action: () => Promise<unknown>): Promise<void> {
  const answeredLists = new Set<string>();
  let wanted: string | undefined;
  const answered = page.waitForResponse((r) => {
    const url = new URL(r.url());
    if (url.pathname !== '/v1/leads') return false;
    answeredLists.add(listFilters(url.searchParams));
    return wanted !== undefined && answeredLists.has(wanted);
  });
  await action();
  wanted = listFilters(new URLSearchParams(await page.evaluate(() => location.hash.split('?')[1])));
  // Answered already, during the action: that waiter ends with the page.
  if (answeredLists.has(wanted)) answered.catch(() => {});
  else await answered;
  await page.locator('.table-wrap[aria-busy="false"]').waitFor();
}

describe.skipIf(!hasChromium)('dashboard: leads', () => {
  let rig: DashboardRig;
  beforeAll(async () => {
    rig = await startDashboard();
  });
  afterAll(() => rig?.close());

  /** Leads of the site the list can show (not merged away), narrowed by `where`. */
  const liveLeads = async (where: string) =>
    (
      await rig.collector.store.query<{ n: number }>(
        `select count(*)::int as n from leads where site_id = $1 and merged_into is null ${where}`,
        [rig.collector.site.id],
      )
    ).rows[0]!.n;

  for (const width of [1280, 375]) {
    it(`lists leads, filters them by stage and score, and pages (${width}px)`, async () => {
      const { page, dialogs } = await rig.signedIn(width);
      const rows = page.locator('table.leads tbody tr');
      await page.locator('.table-wrap[aria-busy="false"]').waitFor();
      expect(await rows.count()).toBe(25);
      await page.getByLabel('Stage').selectOption('mql');
      await page.getByLabel('Min score').fill('50');
      await listed(page, () => page.getByRole('button', { name: 'Apply' }).click());
      expect(page.url()).toContain('stage=mql');
      // Focus stays on Apply (not <body>), and the count is announced.
      expect(await focused(page)).toBe('button:Apply');
      const shown = await rows.count();
      // How many match, all pages together, is said with the page's count.
      const matching = await liveLeads("and stage = 'mql' and score_total >= 50");
      await expect
        .poll(() => page.getByRole('status').textContent())
        .toBe(
          matching > shown
            ? `${shown} of ${matching} leads shown (1–${shown})`
            : `${shown} lead${shown === 1 ? '' : 's'} shown`,
        );
      const stages = await page.locator('table.leads tbody tr .badge').allTextContents();
      expect(stages.length).toBeGreaterThan(0);
      expect(new Set(stages)).toEqual(new Set(['MQL']));
      const scores = (await page.locator('table.leads tbody td.num').allTextContents()).map(Number);
      expect(scores.every((s) => s >= 50)).toBe(true);
      await page.screenshot({ path: join(SHOTS, `leads-${width}.png`) });
      // Next page, then back to the first.
      await listed(page, () => page.getByRole('link', { name: 'Reset' }).click());
      const first = await shownIds(page);
      expect(await page.getByRole('status').textContent()).toBe(
        `25 of ${(await liveLeads('')).toLocaleString('en-US')} leads shown (1–25)`,
      );
      await listed(page, () => page.getByRole('button', { name: 'Next →' }).click());
      expect(page.url()).toContain('cursor=');
      // Where this page is in the list, said and shown.
      await expect.poll(() => page.getByRole('status').textContent()).toMatch(/ shown \(26–\d+\)$/);
      expect(await page.getByRole('navigation', { name: 'Pages' }).textContent()).toContain(
        'Page 2',
      );
      const second = await shownIds(page);
      expect(second.some((n) => first.includes(n))).toBe(false);
      await listed(page, () => page.getByRole('button', { name: '← Previous' }).click());
      expect(await shownIds(page)).toEqual(first);
      await page.getByRole('searchbox', { name: 'Search' }).fill('nobody-by-this-name');
      await listed(page, () => page.getByRole('button', { name: 'Apply' }).click());
      await expect
        .poll(() => page.getByRole('status').textContent())
        .toBe('No leads match these filters.');
      // No empty table and pager: what to do instead, with a way back to every lead.
      expect(await page.getByRole('navigation', { name: 'Pages' }).count()).toBe(0);
      expect(await page.locator('table.leads').count()).toBe(0);
      expect(await page.getByRole('link', { name: 'reset the filters' }).getAttribute('href')).toBe(
        '#/leads',
      );
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - innerWidth);
      expect(overflow).toBeLessThanOrEqual(0);
      expect(dialogs).toEqual([]);
      await page.close();
    });
  }

  it('saves the filters as a segment and lists its leads from the segment menu', async () => {
    const { page } = await rig.signedIn();
    page.setDefaultTimeout(8000);
    await page.locator('.table-wrap[aria-busy="false"]').waitFor();
    await page.getByLabel('Stage').selectOption('customer');
    await listed(page, () => page.getByRole('button', { name: 'Apply' }).click());
    await page.getByLabel('Segment name').fill('Customers <b>VIP</b>');
    const saveForm = page.getByRole('form', { name: 'Save these filters as a segment' });
    // Saving chooses the new segment: its leads are listed.
    await listed(page, async () => {
      await page.getByRole('button', { name: 'Save segment' }).click();
      // Polled: the status is on the page (empty) before the save's answer fills it.
      await expect.poll(() => saveForm.getByRole('status').textContent()).toContain('Saved');
    });
    // The new segment is the one chosen now, and the list is its leads.
    await expect.poll(() => page.locator('select[name="segment"]').inputValue()).toMatch(/^seg_/);
    expect(page.url()).toContain('segment=seg_');
    expect(new Set(await shownStages(page))).toEqual(new Set(['Customer']));
    await listed(page, () => page.getByRole('link', { name: 'Reset' }).click());
    // Every lead again (not only the customers), so the segment menu below is what narrows it.
    expect(new Set(await shownStages(page))).not.toEqual(new Set(['Customer']));
    await page.locator('select[name="segment"]').selectOption({ label: 'Customers <b>VIP</b>' });
    await listed(page, () => page.getByRole('button', { name: 'Apply' }).click());
    expect(page.url()).toContain('segment=seg_');
    const stages = await shownStages(page);
    expect(stages.length).toBeGreaterThan(0);
    expect(new Set(stages)).toEqual(new Set(['Customer']));
    await page.close();
  });

  it('explains the score with the rules that gave points', async () => {
    const { rows } = await rig.collector.store.query<{ lead_id: string }>(
      `select lead_id from leads where site_id = $1 and stage = 'sql' order by lead_id limit 1`,
      [rig.collector.site.id],
    );
    const { page } = await rig.signedIn();
    await page.goto(`${rig.url}/dashboard/#/leads/${rows[0]!.lead_id}`);
    const breakdown = page.getByRole('table', { name: 'Score breakdown' });
    await breakdown.waitFor();
    expect(await breakdown.textContent()).toContain('Asked for a demo');
    await page.close();
  });

  it('shows a lead named with markup as text, and nothing runs', async () => {
    const { page, dialogs } = await rig.signedIn();
    await page.getByRole('searchbox', { name: 'Search' }).fill('onerror');
    await page.keyboard.press('Enter');
    const link = page.getByRole('link', { name: HOSTILE });
    await link.waitFor();
    // One lead, said so, and the caret is still in the search field.
    await expect.poll(() => page.getByRole('status').textContent()).toBe('1 lead shown');
    expect(await focused(page)).toBe('input:');
    await link.click();
    await page.getByRole('heading', { name: HOSTILE }).waitFor();
    // The lead's page has focus on its name, which also names the tab (as text).
    await expect.poll(() => focused(page)).toBe(`h1:${HOSTILE} Lost`);
    expect(await page.title()).toBe(`${HOSTILE} · Touchpoint`);
    expect(await page.locator('main img').count()).toBe(0);
    expect(dialogs).toEqual([]);
    await page.close();
  });

  it('says plainly that a lead does not exist (no hint about an older collector)', async () => {
    const { page } = await rig.signedIn();
    await page.goto(`${rig.url}/dashboard/#/leads/lead_nobody`);
    const alert = page.getByRole('alert');
    await expect(alert.textContent()).resolves.toBe('No such lead on this site');
    await expect.poll(() => focused(page)).toBe('h1:Lead');
    await page.getByRole('link', { name: '← All leads' }).click();
    await expect.poll(() => focused(page)).toBe('h1:Leads');
    expect(await page.title()).toBe('Leads · Touchpoint');
    await page.close();
  });

  for (const width of [1280, 375]) {
    it(`opens a lead: score breakdown, stage history, touches, cross-device timeline (${width}px)`, async () => {
      const { rows } = await rig.collector.store.query<{ lead_id: string }>(
        `select al.lead_id from anonymous_links al
           join leads l on l.site_id = al.site_id and l.lead_id = al.lead_id
          where al.site_id = $1 and l.score_total <> round(l.score_total)
          group by al.lead_id having count(*) > 1 order by al.lead_id limit 1`,
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
      const score = page.getByRole('region', { name: 'Score' });
      // The score as the API holds it (two decimals, what minScore and the MQL threshold read),
      // not rounded to a whole number that a filter would disagree with.
      const res = await fetch(`${rig.url}/v1/leads/${id}`, {
        headers: { authorization: `Bearer ${rig.collector.site.secretKey}` },
      });
      const { score: held } = (await res.json()) as { score: Record<string, number> };
      const two = new Intl.NumberFormat('en', { maximumFractionDigits: 2 });
      expect(await score.textContent()).toContain(
        `${two.format(held.total!)} fit ${two.format(held.fit!)} · engagement ${two.format(held.engagement!)}`,
      );
      await page.screenshot({ path: join(SHOTS, `lead-${width}.png`), fullPage: true });
      expect(dialogs).toEqual([]);
      await page.close();
    });
  }

  /** A lead of `stage` that no other test here opens (the last by id). */
  const leadIn = async (stage: string) => {
    const { rows } = await rig.collector.store.query<{ lead_id: string }>(
      `select lead_id from leads where site_id = $1 and stage = $2 and merged_into is null
        order by lead_id desc limit 1`,
      [rig.collector.site.id, stage],
    );
    return rows[0]!.lead_id;
  };
  const apiGet = (path: string) =>
    fetch(`${rig.url}${path}`, {
      headers: { authorization: `Bearer ${rig.collector.site.secretKey}` },
    });

  for (const width of [1280, 375]) {
    it(`moves a lead to Lost: a reason is required, then the badge and history change (${width}px)`, async () => {
      const id = await leadIn(width === 1280 ? 'opportunity' : 'sql');
      const before = (await (await apiGet(`/v1/leads/${id}`)).json()) as {
        stage: string;
        stageHistory: unknown[];
      };
      const { page, dialogs } = await rig.signedIn(width);
      page.setDefaultTimeout(8000);
      await page.goto(`${rig.url}/dashboard/#/leads/${id}`);
      const form = page.getByRole('form', { name: 'Move stage' });
      await form.waitFor();
      const reason = form.getByLabel('Reason');
      // The select starts on the lead's stage.
      expect(await form.getByLabel('New stage').inputValue()).toBe(before.stage);
      await form.getByLabel('New stage').selectOption('lost');
      await form.getByRole('button', { name: 'Move' }).click();
      // The reason's error sits by the field, tied to it, and the caret is there to type it.
      const error = form.locator('#move-reason-error');
      await expect(error.textContent()).resolves.toContain('required');
      expect(await reason.getAttribute('aria-invalid')).toBe('true');
      expect(await reason.getAttribute('aria-describedby')).toContain('move-reason-error');
      expect(await reason.evaluate((el) => el === document.activeElement)).toBe(true);
      const heading = page.getByRole('heading', { level: 1 });
      expect(await heading.locator('.badge').textContent()).toBe(
        STAGE_LABELS[before.stage as keyof typeof STAGE_LABELS],
      );
      const unchanged = (await (await apiGet(`/v1/leads/${id}`)).json()) as typeof before;
      expect(unchanged.stage).toBe(before.stage);
      expect(unchanged.stageHistory.length).toBe(before.stageHistory.length);
      await page.screenshot({ path: join(SHOTS, `lead-move-error-${width}.png`), fullPage: true });

      await reason.fill('Chose a competitor <b>X</b>');
      await form.getByRole('button', { name: 'Move' }).click();
      await expect.poll(() => heading.locator('.badge').textContent()).toBe('Lost');
      await expect.poll(() => form.getByRole('status').textContent()).toBe('Moved to Lost.');
      expect(await form.locator('#move-reason-error').count()).toBe(0);
      expect(await reason.getAttribute('aria-invalid')).toBeNull();
      expect(await reason.inputValue()).toBe('');
      expect(await form.getByLabel('New stage').inputValue()).toBe('lost');
      const history = page.getByRole('region', { name: 'Stage history' }).locator('li');
      await expect.poll(() => history.count()).toBe(before.stageHistory.length + 1);
      const newest = await history.first().textContent();
      expect(newest).toContain('Lost');
      expect(newest).toContain('Chose a competitor <b>X</b>');
      const after = (await (await apiGet(`/v1/leads/${id}`)).json()) as {
        stage: string;
        stageHistory: { from: string; to: string; reason: string; actor: string }[];
      };
      expect(after.stage).toBe('lost');
      expect(after.stageHistory.at(-1)).toMatchObject({
        from: before.stage,
        to: 'lost',
        reason: 'Chose a competitor <b>X</b>',
        actor: 'api',
      });
      await page.screenshot({ path: join(SHOTS, `lead-move-${width}.png`), fullPage: true });
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - innerWidth);
      expect(overflow).toBeLessThanOrEqual(0);
      expect(dialogs).toEqual([]);
      await page.close();
    });
  }

  it('exports the filtered leads as CSV (the file holds exactly the listed leads)', async () => {
    const { page } = await rig.signedIn();
    page.setDefaultTimeout(8000);
    await page.locator('.table-wrap[aria-busy="false"]').waitFor();
    await page.getByLabel('Stage').selectOption('customer');
    await listed(page, () => page.getByRole('button', { name: 'Apply' }).click());
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export CSV' }).click();
    const file = await download;
    expect(file.suggestedFilename()).toBe('leads.csv');
    const csv = await readFile((await file.path())!, 'utf8');
    const [columns, ...rows] = parseCsv(csv);
    const stageAt = columns!.indexOf('stage');
    expect(stageAt).toBeGreaterThanOrEqual(0);
    expect(rows.length).toBeGreaterThan(0);
    expect(new Set(rows.map((r) => r[stageAt]))).toEqual(new Set(['customer']));
    // The same leads as the API lists, and as many as the dashboard's list (when one page holds them).
    const api = (await (await apiGet('/v1/leads?stage=customer&limit=200')).json()) as {
      data: { id: string }[];
    };
    expect(rows.map((r) => r[0]).sort()).toEqual(api.data.map((l) => l.id).sort());
    const listedIds = await shownIds(page);
    if (listedIds.length < 25) expect(rows.length).toBe(listedIds.length);
    expect(await page.getByRole('alert').count()).toBe(0);
    await page.close();
  });

  it('says so when the export fails', async () => {
    const { page } = await rig.signedIn();
    await page.locator('.table-wrap[aria-busy="false"]').waitFor();
    await page.route('**/v1/leads/export.csv*', (r) =>
      r.fulfill({
        status: 503,
        contentType: 'application/problem+json',
        body: JSON.stringify({ title: 'Service unavailable' }),
      }),
    );
    await page.getByRole('button', { name: 'Export CSV' }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toBe(
      'Export failed: Service unavailable',
    );
    await page.close();
  });
});
