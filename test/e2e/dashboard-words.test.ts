/**
 * The dashboard says in words what the API says in codes, in Vietnamese too, in real Chromium:
 * scoring rules as sentences, trait names, stage-history reasons and who moved the lead, score
 * caps, event types, forms by their name, spam reasons, the collector's field errors; and chart
 * text stays inside its card.
 */
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_RULE_LABELS_VI, DEFAULT_RULES } from '../../shared/scoring-defaults.ts';
import { hasChromium } from '../helpers/browser.ts';
import { type DashboardRig, SHOTS, startDashboard } from './dashboard-harness.ts';

/** Event types and rule operators as the API writes them. */
const CODES = /^(pageview|track|identify|click|engagement|form_view|form_submit|form_dismiss)$/;

/** Texts of the charts that reach past their figure's right edge (cut off, or off the card). */
const spilled = (page: Page) =>
  page.locator('figure.chart').evaluateAll((figures) =>
    figures.flatMap((f) => {
      const edge = f.getBoundingClientRect().right + 1;
      return Array.from(f.querySelectorAll('svg text'))
        .filter((x) => x.getBoundingClientRect().right > edge)
        .map((x) => x.textContent ?? '');
    }),
  );

describe.skipIf(!hasChromium)('dashboard: codes in words', () => {
  let rig: DashboardRig;
  const api = (path: string, init: RequestInit = {}) =>
    fetch(`${rig.collector.url}${path}`, {
      ...init,
      headers: {
        authorization: `Bearer ${rig.collector.site.secretKey}`,
        'content-type': 'application/json',
      },
    });
  /** The seeded lead with the highest score: its breakdown has a cap line. */
  let capped: { id: string; breakdown: { ruleId: string }[] };

  beforeAll(async () => {
    rig = await startDashboard();
    // The demo's events name the form `demo`; the site's form of that id has a name.
    const res = await api('/v1/forms/demo', {
      method: 'PUT',
      body: JSON.stringify({
        name: 'Book a demo',
        kind: 'popup',
        fields: [{ name: 'email', type: 'email', required: true }],
      }),
    });
    if (!res.ok) throw new Error(`demo form: HTTP ${res.status}`);
    const top = (await (await api('/v1/leads?sort=-score&limit=50')).json()) as {
      data: { id: string; score: { breakdown: { ruleId: string }[] } }[];
    };
    const lead = top.data.find((l) => l.score.breakdown.some((b) => b.ruleId === 'cap:total'))!;
    capped = { id: lead.id, breakdown: lead.score.breakdown };
  });
  afterAll(() => rig?.close());

  for (const width of [1280, 375]) {
    it(`shows scoring rules as Vietnamese sentences that fit the screen (${width}px)`, async () => {
      const { page } = await rig.signedIn(width, false, 'vi-VN');
      await page.goto(`${rig.url}/dashboard/#/setup`);
      const table = page.locator('table.rules');
      await table.locator('tbody tr').first().waitFor();
      const text = (await table.textContent()) ?? '';
      expect(text).toContain('Email không phải địa chỉ email miễn phí');
      expect(text).toContain('Số điện thoại đã có');
      expect(text).toMatch(/Chức danh chứa director, head, vp, chief và \d+ từ khác/);
      expect(text).toContain('xem trang */pricing*');
      // A form by its name, not its id.
      expect(text).toContain('gửi biểu mẫu Book a demo');
      expect(text).toContain('sự kiện tùy chỉnh signup');
      // The default rules' own labels in Vietnamese too (nobody renamed them).
      expect(text).toContain('Email công việc');
      expect(text).toContain('Người tìm việc');
      expect(text).not.toMatch(/Work email|Job seeker|Pages viewed/);
      expect(text).not.toMatch(/[{}"]|freeEmailDomain|exists|null|pageview|form_submit/);
      // Every rule's points are on the screen, not beyond a sideways scroll.
      const right = await table
        .locator('td.num')
        .evaluateAll((tds) => Math.max(...tds.map((td) => td.getBoundingClientRect().right)));
      expect(right).toBeLessThanOrEqual(width);
      await page.screenshot({ path: join(SHOTS, `words-rules-${width}.png`), fullPage: true });
      await page.close();
    });
  }

  it('names a lead’s traits, reasons, caps and events in Vietnamese', async () => {
    const { page } = await rig.signedIn(375, false, 'vi-VN');
    await page.goto(`${rig.url}/dashboard/#/leads/${capped.id}`);
    await page.locator('ol.timeline li').first().waitFor();
    const profile = await page
      .getByRole('region', { name: 'Hồ sơ' })
      .locator('dt')
      .allTextContents();
    expect(profile).toContain('Ngôn ngữ');
    expect(profile).not.toContain('locale');
    expect(profile).not.toContain('companySize');
    // The cap's line in Vietnamese, with no count of events.
    const score = page.getByRole('table', { name: 'Chi tiết điểm' });
    const cap = score.getByRole('row', { name: /Tổng điểm giới hạn ở 100/ });
    expect(await cap.getByRole('cell').nth(1).textContent()).toBe('—');
    expect(await score.textContent()).not.toContain('capped');
    // The default rules' lines by their Vietnamese labels.
    const lines = await score.locator('tbody td:first-child').allTextContents();
    const english = [...DEFAULT_RULES.fit, ...DEFAULT_RULES.engagement].map((r) => r.label);
    expect(lines.some((l) => Object.values(DEFAULT_RULE_LABELS_VI).includes(l))).toBe(true);
    expect(lines.filter((l) => english.includes(l))).toEqual([]);
    const history = (await page.getByRole('region', { name: 'Lịch sử giai đoạn' }).textContent())!;
    expect(history).toContain('tự động');
    expect(history).toMatch(/điểm \d+(,\d+)? ≥ 50/);
    expect(history).not.toMatch(/system|score \d|form demo|trusted purchase/);
    const kinds = await page.locator('ol.timeline .badge').allTextContents();
    expect(kinds).toContain('Xem trang');
    expect(kinds.filter((k) => CODES.test(k))).toEqual([]);
    const what = await page.locator('ol.timeline .what').allTextContents();
    expect(what.some((w) => /demo/.test(w) && w !== 'Book a demo')).toBe(false);
    await page.screenshot({ path: join(SHOTS, 'words-lead-375.png'), fullPage: true });

    // The collector's field errors, in Vietnamese, where they belong.
    const move = page.getByRole('form', { name: 'Chuyển giai đoạn' });
    await move.getByLabel('Giai đoạn mới').selectOption('lost');
    await move.getByRole('button', { name: 'Chuyển' }).click();
    await expect
      .poll(() => move.locator('#move-reason-error').textContent())
      .toBe('bắt buộc khi lùi giai đoạn và khi chuyển sang Đã mất hoặc Bị loại');
    const details = page.getByRole('region', { name: 'Sửa thông tin' });
    const email = details.getByLabel('Email');
    await email.fill('không-phải-email');
    await details.getByRole('button', { name: 'Lưu thông tin' }).click();
    await expect.poll(() => email.getAttribute('aria-invalid')).toBe('true');
    expect(
      await page.locator(`#${await email.getAttribute('aria-describedby')}`).textContent(),
    ).toBe('không phải là địa chỉ email');
    await page.close();
  });

  it('localizes a spam reason, and the report window and chart text in Vietnamese', async () => {
    // Sent within a second of the form showing: kept aside as too fast.
    const sent = await fetch(`${rig.collector.url}/v1/forms/demo/submissions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: rig.collector.url },
      body: JSON.stringify({
        site: rig.collector.site.publicKey,
        id: `words-${Date.now()}`,
        anonymousId: 'words-test-browser-1',
        values: { email: 'nhanh@example.com' },
        elapsedMs: 100,
        hp: '',
      }),
    });
    expect(sent.ok).toBe(true);
    for (const width of [1280, 375]) {
      const { page } = await rig.signedIn(width, false, 'vi-VN');
      await page.goto(`${rig.url}/dashboard/#/setup/forms/demo`);
      await expect
        .poll(() => page.locator('table.submissions').textContent())
        .toContain('spam (gửi quá nhanh)');
      await page.goto(`${rig.url}/dashboard/#/reports`);
      const forms = page.getByRole('img', { name: /Lượt xem và lượt gửi/ });
      await forms.waitFor();
      await expect.poll(() => forms.textContent()).toContain('Book a demo');
      // The window in force, as Vietnamese writes dates, and in the date fields.
      const window = page.locator('form.filters .actions .muted');
      expect(await window.textContent()).toMatch(/^30 ngày qua: \d+ thg \d+, \d{4} đến \d+ thg/);
      const dates = page.getByRole('form', { name: 'Khoảng thời gian báo cáo' });
      expect(await dates.getByLabel('Từ', { exact: true }).inputValue()).toMatch(
        /^\d{4}-\d\d-\d\d$/,
      );
      expect(await dates.getByLabel('Đến', { exact: true }).inputValue()).toMatch(
        /^\d{4}-\d\d-\d\d$/,
      );
      expect(await spilled(page)).toEqual([]);
      await page.screenshot({ path: join(SHOTS, `words-reports-${width}.png`), fullPage: true });
      await page.close();
    }
  });

  it('shows event types in words in English too', async () => {
    const { page } = await rig.signedIn();
    await page.goto(`${rig.url}/dashboard/#/leads/${capped.id}`);
    await page.locator('ol.timeline li').first().waitFor();
    const kinds = await page.locator('ol.timeline .badge').allTextContents();
    expect(kinds).toContain('Page view');
    expect(kinds.filter((k) => CODES.test(k))).toEqual([]);
    const history = (await page.getByRole('region', { name: 'Stage history' }).textContent())!;
    expect(history).toContain('automatic');
    expect(await page.getByRole('table', { name: 'Score breakdown' }).textContent()).toContain(
      'Total capped at 100',
    );
    await page.close();
  });
});
