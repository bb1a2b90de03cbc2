/**
 * The whole loop without code, in real Chromium: a marketer creates a bar in the dashboard's
 * form editor; a Vietnamese visitor on a page with the real tag sees it in Vietnamese and
 * submits it; the marketer finds the submission under the form and the person as a lead.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PageServer, startPages } from '../forms/pages.ts';
import { hasChromium, humanContext } from '../helpers/browser.ts';
import { type DashboardRig, SHOTS, startDashboard } from './dashboard-harness.ts';

describe.skipIf(!hasChromium)('dashboard → tag → dashboard', () => {
  let pages: PageServer;
  let rig: DashboardRig;
  beforeAll(async () => {
    pages = await startPages();
    rig = await startDashboard([pages.url]);
  });
  afterAll(async () => {
    await rig?.close();
    await pages?.close();
  });

  it('a bar made in the editor reaches a visitor, whose submission the marketer then sees', async () => {
    // The marketer: a bar for /page, titled in both languages.
    const { page: admin } = await rig.signedIn();
    await admin.goto(`${rig.url}/dashboard/#/setup/new-form`);
    await admin.getByLabel('Name', { exact: true }).fill('Spring offer');
    await admin.getByLabel('Kind').selectOption('bar');
    await admin.getByLabel('Title (English)').fill('Spring offer: 20% off');
    await admin.getByLabel('Title (Vietnamese)').fill('Ưu đãi mùa xuân: giảm 20%');
    await admin.getByLabel('Button (Vietnamese)').fill('Nhận ưu đãi');
    await admin.getByLabel('Only on these pages').fill('/page*');
    await admin.getByRole('button', { name: 'Create form' }).click();
    await admin.getByRole('heading', { name: 'Form: Spring offer' }).waitFor();

    // The visitor: a Vietnamese page with the real tag.
    const context = await humanContext(rig.browser, { locale: 'vi-VN' });
    const visitor = await context.newPage();
    const errors: string[] = [];
    visitor.on('pageerror', (e) => errors.push(String(e)));
    const q = new URLSearchParams({
      pk: rig.collector.site.publicKey,
      collector: rig.collector.url,
      tag: '1',
      lang: 'vi',
    });
    await visitor.goto(`${pages.url}/page?${q}`);
    const bar = visitor.locator('tp-form');
    await bar.getByText('Ưu đãi mùa xuân: giảm 20%').waitFor({ timeout: 15_000 });
    // A person reads before typing (a form sent within a second or two is kept aside as spam).
    await visitor.waitForTimeout(3_500);
    await bar.getByRole('textbox').first().fill('lan.nguyen@congty.vn');
    await bar.getByRole('button', { name: 'Nhận ưu đãi' }).click();
    await expect.poll(() => bar.textContent(), { timeout: 15_000 }).not.toContain('Nhận ưu đãi');
    await visitor.screenshot({ path: join(SHOTS, 'editor-bar-visitor-vi.png') });
    expect(errors).toEqual([]);

    // The marketer again: the submission under the form, the person as a lead.
    await expect
      .poll(
        async () => {
          await admin.reload();
          const card = admin.getByRole('region', { name: 'Submissions' });
          await card.waitFor();
          return card.textContent();
        },
        { timeout: 20_000 },
      )
      .toContain('lan.nguyen@congty.vn');
    expect(
      await admin
        .getByRole('region', { name: 'Submissions' })
        .locator('tbody tr')
        .first()
        .textContent(),
    ).toContain('accepted');
    const res = await fetch(`${rig.collector.url}/v1/leads?q=lan.nguyen%40congty.vn`, {
      headers: { authorization: `Bearer ${rig.collector.site.secretKey}` },
    });
    const leads = (await res.json()) as { data: { email: string }[] };
    expect(leads.data.map((l) => l.email)).toEqual(['lan.nguyen@congty.vn']);
    await context.close();
    await admin.close();
  });
});
