/**
 * The dashboard's Visitors pages in real Chromium: the anonymous prospects as the API lists them,
 * the anonymous / identified filter, one visitor's sessions and events, and the way to its lead.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium } from '../helpers/browser.ts';
import { type DashboardRig, SHOTS, startDashboard } from './dashboard-harness.ts';

interface Visitor {
  anonymousId: string;
  leadId: string | null;
}

describe.skipIf(!hasChromium)('dashboard: visitors', () => {
  let rig: DashboardRig;
  const call = async <T>(path: string): Promise<T> =>
    (await (
      await fetch(`${rig.collector.url}${path}`, {
        headers: { authorization: `Bearer ${rig.collector.site.secretKey}` },
      })
    ).json()) as T;

  beforeAll(async () => {
    rig = await startDashboard();
  });
  afterAll(() => rig?.close());

  it('lists visitors as the API does, and filters the ones that became leads', async () => {
    const { page } = await rig.signedIn();
    await page
      .getByRole('navigation', { name: 'Sections' })
      .getByRole('link', { name: 'Visitors' })
      .click();
    await page.getByRole('heading', { name: 'Visitors' }).waitFor();
    const shown = () =>
      page
        .locator('table.visitors tbody tr td:first-child a')
        .evaluateAll((as) => as.map((a) => a.getAttribute('title')));
    const api = await call<{ data: Visitor[] }>('/v1/visitors?limit=50');
    // Polled: the list is the API's once loaded (an empty or earlier table is not an answer).
    await expect.poll(shown).toEqual(api.data.map((v) => v.anonymousId));
    await expect
      .poll(() => page.getByRole('status').first().textContent())
      .toContain('50 visitors');

    await page.getByRole('link', { name: 'Became leads' }).click();
    // The same ids as the API's identified list: a count alone matched the previous list when
    // both pages were full (50), before the new one had loaded.
    const identified = await call<{ data: Visitor[] }>('/v1/visitors?limit=50&identified=true');
    await expect.poll(shown).toEqual(identified.data.map((v) => v.anonymousId));
    const rows = page.locator('table.visitors tbody tr');
    for (let i = 0; i < Math.min(5, await rows.count()); i++)
      expect(
        await rows
          .nth(i)
          .getByRole('link', { name: /^Open lead \(visitor / })
          .count(),
      ).toBe(1);
    expect(await page.getByText('anonymous', { exact: true }).count()).toBe(0);
    await page.close();
  });

  for (const width of [1280, 375]) {
    it(`opens a visitor's sessions and events, then its lead (${width} px)`, async () => {
      const [v] = (await call<{ data: Visitor[] }>('/v1/visitors?limit=1&identified=true')).data;
      const detail = await call<{ sessions: unknown[]; events: unknown[] }>(
        `/v1/visitors/${v!.anonymousId}`,
      );
      const { page } = await rig.signedIn(width);
      await page.goto(`${rig.url}/dashboard/#/visitors?identified=true`);
      await page.locator(`a[title="${v!.anonymousId}"]`).click();
      await page.getByRole('region', { name: /^Sessions/ }).waitFor();
      expect(await page.locator('.timeline li').count()).toBe(detail.events.length);
      expect(
        await page
          .getByRole('region', { name: /^Sessions/ })
          .locator('tbody tr')
          .count(),
      ).toBe(detail.sessions.length);
      expect(
        await page.evaluate(
          () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
        ),
      ).toBeLessThanOrEqual(0);
      await page.screenshot({ path: join(SHOTS, `visitor-${width}.png`), fullPage: true });

      await page.getByRole('link', { name: 'Open lead' }).click();
      await page.locator('.lead-title').waitFor();
      const lead = await call<{ anonymousIds: string[] }>(`/v1/leads/${v!.leadId}`);
      expect(lead.anonymousIds).toContain(v!.anonymousId);
      expect(new URL(page.url()).hash).toBe(`#/leads/${v!.leadId}`);
      await page.close();
    });
  }

  it('erases a lead after confirmation, and says so on the leads list', async () => {
    const [v] = (await call<{ data: Visitor[] }>('/v1/visitors?limit=1&identified=true')).data;
    const lead = await call<{ email: string | null; name: string | null }>(
      `/v1/leads/${v!.leadId}`,
    );
    const { page, dialogs } = await rig.signedIn(1280, true);
    await page.goto(`${rig.url}/dashboard/#/leads/${v!.leadId}`);
    await page.getByRole('button', { name: 'Erase this lead' }).click();
    await page.getByRole('heading', { name: 'Leads' }).waitFor();
    expect(dialogs[0]).toContain(`Erase ${lead.email ?? lead.name}?`);
    expect(await page.getByRole('alert').first().textContent()).toBe(
      `${lead.email ?? lead.name} was erased.`,
    );
    const res = await fetch(`${rig.collector.url}/v1/leads/${v!.leadId}`, {
      headers: { authorization: `Bearer ${rig.collector.site.secretKey}` },
    });
    expect(res.status).toBe(404);
    await page.close();
  });

  it('erases nothing when the confirmation is cancelled', async () => {
    const [v] = (await call<{ data: Visitor[] }>('/v1/visitors?limit=1&identified=true')).data;
    const { page, dialogs } = await rig.signedIn();
    await page.goto(`${rig.url}/dashboard/#/leads/${v!.leadId}`);
    await page.getByRole('button', { name: 'Erase this lead' }).click();
    await expect.poll(() => dialogs.length).toBe(1);
    expect(new URL(page.url()).hash).toBe(`#/leads/${v!.leadId}`);
    const res = await fetch(`${rig.collector.url}/v1/leads/${v!.leadId}`, {
      headers: { authorization: `Bearer ${rig.collector.site.secretKey}` },
    });
    expect(res.status).toBe(200);
    await page.close();
  });

  it("corrects a lead's details, and shows a refused email at its field", async () => {
    const { rows } = await rig.collector.store.query<{ lead_id: string; email: string }>(
      `select lead_id, email from leads where site_id = $1 and email is not null
        order by lead_id limit 2`,
      [rig.collector.site.id],
    );
    const [a, b] = rows as [{ lead_id: string; email: string }, { lead_id: string; email: string }];
    const { page } = await rig.signedIn();
    await page.goto(`${rig.url}/dashboard/#/leads/${a.lead_id}`);
    const card = page.getByRole('region', { name: 'Edit details' });
    // New on every attempt: a retried test must still have something to save.
    const company = `Công ty Cổ phần <b>ABC</b> ${Date.now().toString(36)}`;
    await card.getByLabel('Company').fill(company);
    await card.getByLabel('Job title').fill('');
    await card.getByRole('button', { name: 'Save details' }).click();
    await expect.poll(() => card.getByRole('status').textContent()).toBe('Saved.');
    const lead = await call<{ traits: Record<string, unknown> }>(`/v1/leads/${a.lead_id}`);
    expect(lead.traits.company).toBe(company);
    expect(lead.traits).not.toHaveProperty('title');
    // The profile shows the new value, as text.
    await expect
      .poll(() => page.getByRole('region', { name: 'Profile' }).textContent())
      .toContain(company);

    // Typed straight after the save: the reload it caused must not undo what is typed.
    const email = card.getByLabel('Email');
    await email.fill('not an address');
    await card.getByRole('button', { name: 'Save details' }).click();
    await expect.poll(() => email.getAttribute('aria-invalid')).toBe('true');
    expect(
      await page.locator(`#${await email.getAttribute('aria-describedby')}`).textContent(),
    ).toBe('not an email address');
    // Another lead's email: refused, said at the field; nothing changed.
    await email.fill(b.email);
    await card.getByRole('button', { name: 'Save details' }).click();
    const said = async () =>
      page.locator(`#${await email.getAttribute('aria-describedby')}`).textContent();
    await expect.poll(said).not.toBe('not an email address');
    expect(await said()).toMatch(/another lead|already/i);
    expect((await call<{ email: string }>(`/v1/leads/${a.lead_id}`)).email).toBe(a.email);
    await page.close();
  });

  it('merges a duplicate found by email into the lead, after confirmation', async () => {
    const { rows } = await rig.collector.store.query<{ lead_id: string; email: string }>(
      `select lead_id, email from leads where site_id = $1 and email is not null
        order by lead_id desc limit 2`,
      [rig.collector.site.id],
    );
    const [keep, dup] = rows as [
      { lead_id: string; email: string },
      { lead_id: string; email: string },
    ];
    const { page, dialogs } = await rig.signedIn(375, true);
    await page.goto(`${rig.url}/dashboard/#/leads/${keep.lead_id}`);
    const card = page.getByRole('region', { name: 'Merge a duplicate' });
    await card.getByLabel('Email or name of the other lead').fill(dup.email);
    await card.getByRole('button', { name: 'Find' }).click();
    await card.getByRole('button', { name: `Merge into this lead: ${dup.email}` }).click();
    await expect.poll(() => card.getByRole('status').textContent()).toContain('into this lead.');
    expect(dialogs[0]).toContain(`Merge ${dup.email} into ${keep.email}?`);
    // The duplicate's id now answers with the survivor, which holds both devices' history.
    const merged = await call<{ id: string; anonymousIds: string[] }>(`/v1/leads/${dup.lead_id}`);
    expect(merged.id).toBe(keep.lead_id);
    await page.screenshot({ path: join(SHOTS, 'lead-merge-375.png'), fullPage: true });
    await page.close();
  });
});
