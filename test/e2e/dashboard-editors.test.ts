/**
 * The built dashboard's editors in real Chromium: a marketer creates and changes a form and the
 * scoring rules without code, and what the collector refuses shows at the field it names; two
 * marketers saving rules at once cannot overwrite each other; the pages fit a phone.
 */
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FormDefinition } from '../../shared/forms.ts';
import type { ScoringRules } from '../../shared/scoring-rules.ts';
import { hasChromium } from '../helpers/browser.ts';
import { type DashboardRig, focused, SHOTS, startDashboard } from './dashboard-harness.ts';

/** The page's widest content against its viewport: a phone must not scroll sideways. */
const overflow = (page: Page) =>
  page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

describe.skipIf(!hasChromium)('dashboard: form and scoring editors', () => {
  let rig: DashboardRig;
  /** The marketer API as the test's own client (checks what the dashboard saved). */
  const call = async <T>(path: string, init: RequestInit = {}): Promise<T> => {
    const res = await fetch(`${rig.collector.url}${path}`, {
      ...init,
      headers: {
        authorization: `Bearer ${rig.collector.site.secretKey}`,
        'content-type': 'application/json',
        ...(init.headers as Record<string, string>),
      },
    });
    expect(res.ok, `${path}: ${res.status}`).toBe(true);
    return (res.status === 204 ? undefined : await res.json()) as T;
  };

  beforeAll(async () => {
    rig = await startDashboard();
    await call('/v1/forms/newsletter', {
      method: 'PUT',
      body: JSON.stringify({
        name: 'Newsletter',
        kind: 'inline',
        fields: [
          { name: 'email', type: 'email', required: true },
          { name: 'name', type: 'text', label: { en: 'Your name', vi: 'Họ và tên' } },
          { name: 'consent', type: 'consent', required: true, label: 'I agree' },
        ],
      }),
    });
  });
  afterAll(() => rig?.close());

  it('creates a popup form, which the site config then serves to the tag', async () => {
    const { page } = await rig.signedIn();
    await page.goto(`${rig.url}/dashboard/#/setup`);
    await page.getByRole('link', { name: 'New form' }).click();
    await page.getByRole('heading', { name: 'New form' }).waitFor();
    expect(await page.title()).toBe('New form · Touchpoint');

    await page.getByLabel('Name', { exact: true }).fill('Webinar signup');
    // The id follows the name.
    expect(await page.getByLabel('Id', { exact: true }).inputValue()).toBe('webinar-signup');
    await page.getByLabel('Kind').selectOption('popup');

    // A new field: the keyboard lands on its first control.
    await page.getByRole('button', { name: 'Add a field' }).click();
    await expect.poll(() => focused(page)).toMatch(/^select#f-fields-1-type:/);
    await page.getByLabel('Name (the lead trait it fills)').nth(1).fill('company');
    await page.getByLabel('Label (English)').nth(1).fill('Company');
    await page.getByLabel('Label (Vietnamese)').nth(1).fill('Công ty');
    await page.getByLabel('Required').nth(1).check();

    await page.getByLabel('Title (Vietnamese)').fill('Đăng ký hội thảo');
    await page.getByLabel('Show', { exact: true }).selectOption('delay');
    await page.getByLabel('Seconds after the page loads').fill('10');
    await page.getByLabel('How often').selectOption('once');
    await page.getByLabel('Only on these pages').fill('/pricing*\n\n/blog/*');
    await page.getByRole('button', { name: 'Create form' }).click();

    await page.getByRole('heading', { name: 'Form: Webinar signup' }).waitFor();
    expect(new URL(page.url()).hash).toBe('#/setup/forms/webinar-signup');
    await expect.poll(() => page.getByRole('status').first().textContent()).toContain('Created');

    const saved = await call<FormDefinition>('/v1/forms/webinar-signup');
    expect(saved).toMatchObject({
      id: 'webinar-signup',
      name: 'Webinar signup',
      kind: 'popup',
      trigger: { type: 'delay', seconds: 10 },
      frequency: { show: 'once' },
      targeting: { include: ['/pricing*', '/blog/*'] },
      texts: { title: { vi: 'Đăng ký hội thảo' } },
    });
    expect(saved.fields.map((f) => [f.name, f.type, f.required ?? false])).toEqual([
      ['email', 'email', true],
      ['company', 'text', true],
    ]);
    expect(saved.fields[1]!.label).toEqual({ en: 'Company', vi: 'Công ty' });

    // What the tag reads: the public config lists the new popup.
    const config = (await (
      await fetch(`${rig.collector.url}/v1/sites/${rig.collector.site.publicKey}/config`)
    ).json()) as { forms: FormDefinition[] };
    expect(config.forms.map((f) => f.id)).toContain('webinar-signup');
    await page.screenshot({ path: join(SHOTS, 'form-editor-1280.png'), fullPage: true });
    await page.close();
  });

  it('shows what the collector refused at the field, and the summary leads there', async () => {
    const { page } = await rig.signedIn();
    await page.goto(`${rig.url}/dashboard/#/setup/forms/newsletter`);
    await page.getByRole('heading', { name: 'Form: Newsletter' }).waitFor();
    // Two fields named `email`: only the collector knows that is refused.
    const second = page.getByLabel('Name (the lead trait it fills)').nth(1);
    await second.fill('email');
    await page.getByRole('button', { name: 'Save form' }).click();

    const summary = page.locator('.error-summary');
    await summary.waitFor();
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.className))
      .toBe('error-summary');
    expect(await summary.textContent()).toContain('Field 2 (email) › name: duplicate field name');
    expect(await second.getAttribute('aria-invalid')).toBe('true');
    const describedBy = (await second.getAttribute('aria-describedby')) ?? '';
    expect(await page.locator(`#${describedBy}`).textContent()).toBe('duplicate field name');

    await summary.getByRole('button', { name: 'Field 2 (email) › name' }).click();
    expect(await focused(page)).toBe('input#f-fields-1-name:');

    // Nothing was saved: the stored form still has its three distinct fields.
    const stored = await call<FormDefinition>('/v1/forms/newsletter');
    expect(new Set(stored.fields.map((f) => f.name)).size).toBe(stored.fields.length);
    await page.screenshot({ path: join(SHOTS, 'form-editor-error-1280.png'), fullPage: true });
    await page.close();
  });

  it("lists the form's submissions, newest first, hostile values as text", async () => {
    const send = (id: string, values: Record<string, unknown>) =>
      fetch(`${rig.collector.url}/v1/forms/newsletter/submissions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: rig.collector.url },
        body: JSON.stringify({
          site: rig.collector.site.publicKey,
          id,
          anonymousId: `anon-${id}`,
          values,
          url: `${rig.collector.url}/demo/pricing?x=1`,
          elapsedMs: 6000,
          hp: '',
        }),
      });
    expect((await send('sub-1', { email: 'first@acme.vn', consent: true })).status).toBe(202);
    const hostile = '<img src=x onerror=alert(1)>';
    expect(
      (await send('sub-2', { email: 'second@acme.vn', name: hostile, consent: true })).status,
    ).toBe(202);
    const { page, dialogs } = await rig.signedIn();
    await page.goto(`${rig.url}/dashboard/#/setup/forms/newsletter`);
    const card = page.getByRole('region', { name: 'Submissions' });
    await card.locator('tbody tr').first().waitFor();
    const rows = await card.locator('tbody tr td:nth-child(2)').allTextContents();
    // Newest first: the two just sent, then the demo's seeded ones.
    expect(rows.slice(0, 2)).toEqual([`second@acme.vn · Name: ${hostile}`, 'first@acme.vn']);
    expect(rows.length).toBeGreaterThan(2);
    expect(await card.locator('img').count()).toBe(0);
    expect(await card.locator('tbody tr').first().textContent()).toContain('/demo/pricing?x=1');
    expect(dialogs).toEqual([]);
    await page.close();
  });

  it('sets the brand colours and corners, and warns of text a visitor could not read', async () => {
    const { page } = await rig.signedIn();
    await page.goto(`${rig.url}/dashboard/#/setup/forms/newsletter`);
    await page.getByRole('heading', { name: 'Form: Newsletter' }).waitFor();
    await page.getByLabel('Button and focus colour').fill('#ffee58');
    await expect
      .poll(() => page.locator('.group p.field-error').allTextContents())
      .toEqual([expect.stringMatching(/^The button text is hard to read .*needs 4\.5:1\)\.$/)]);
    await page.getByLabel('Button and focus colour').fill('#c2185b');
    await expect.poll(() => page.locator('.group p.field-error').count()).toBe(0);
    await page.getByLabel('Corner radius (px)').fill('0');
    await page.getByRole('button', { name: 'Save form' }).click();
    await expect.poll(() => page.getByRole('status').first().textContent()).toContain('Saved');
    const saved = await call<FormDefinition>('/v1/forms/newsletter');
    expect(saved.theme).toEqual({ '--tp-accent': '#c2185b', '--tp-radius': '0px' });
    // And back to the defaults.
    await page.getByRole('button', { name: 'Back to the default look' }).click();
    await page.getByRole('button', { name: 'Save form' }).click();
    await expect
      .poll(async () => (await call<FormDefinition>('/v1/forms/newsletter')).theme)
      .toBeUndefined();
    await page.close();
  });

  it('keeps the settings it has no control for, and deletes a form after confirmation', async () => {
    await call('/v1/forms/themed', {
      method: 'PUT',
      body: JSON.stringify({
        name: 'Themed',
        kind: 'bar',
        fields: [{ name: 'email', type: 'email', required: true, maxLength: 120 }],
        theme: { '--tp-accent': '#0b57d0' },
      }),
    });
    const { page, dialogs } = await rig.signedIn(1280, true);
    await page.goto(`${rig.url}/dashboard/#/setup/forms/themed`);
    await page.getByRole('heading', { name: 'Form: Themed' }).waitFor();
    await page.getByLabel('Name', { exact: true }).fill('Themed bar');
    await page.getByRole('button', { name: 'Save form' }).click();
    await expect.poll(() => page.getByRole('status').first().textContent()).toContain('Saved');
    const saved = await call<FormDefinition>('/v1/forms/themed');
    expect(saved.name).toBe('Themed bar');
    expect(saved.theme).toEqual({ '--tp-accent': '#0b57d0' });
    expect(saved.fields[0]!.maxLength).toBe(120);

    await page.getByRole('button', { name: 'Delete form' }).click();
    await page.getByRole('heading', { name: 'Forms & scoring' }).waitFor();
    expect(dialogs[0]).toContain('Delete the form “Themed bar”?');
    const res = await fetch(`${rig.collector.url}/v1/forms/themed`, {
      headers: { authorization: `Bearer ${rig.collector.site.secretKey}` },
    });
    expect(res.status).toBe(404);
    await page.close();
  });

  it('saves new scoring rules and shows the rescoring of every lead to its end', async () => {
    const { page } = await rig.signedIn();
    await page.goto(`${rig.url}/dashboard/#/setup`);
    await page.getByRole('link', { name: 'Edit scoring rules' }).click();
    await page.getByRole('heading', { name: 'Scoring rules' }).waitFor();

    await page.getByLabel('MQL at (points)').fill('40');
    const before = await page.locator('.rule-list').first().locator('> li').count();
    await page.getByRole('button', { name: 'Add a fit rule' }).click();
    await expect.poll(() => focused(page)).toBe(`input#f-fit-${before}-label:`);
    const rule = page.locator('.rule-list').first().locator('> li').nth(before);
    await rule.getByLabel('Label').fill('Works in banking');
    await rule.getByLabel('Trait').fill('industry');
    await rule.getByLabel('Condition').selectOption('in');
    await rule.getByLabel('Value').fill('Banking, Ngân hàng , ');
    await rule.getByLabel('Points').fill('12');
    await page.getByRole('button', { name: 'Save and rescore' }).click();

    await expect
      .poll(() => page.getByRole('status').first().textContent(), { timeout: 30_000 })
      .toMatch(/Saved as version \d+\. Every lead rescored \(\d+\)\./);
    const rules = await call<ScoringRules>('/v1/scoring');
    expect(rules.mqlThreshold).toBe(40);
    expect(rules.fit.at(-1)).toEqual({
      id: 'works-in-banking',
      label: 'Works in banking',
      trait: 'industry',
      op: 'in',
      value: ['Banking', 'Ngân hàng'],
      points: 12,
    });
    await page.screenshot({ path: join(SHOTS, 'scoring-editor-1280.png'), fullPage: true });
    await page.close();
  });

  it('refuses a save over rules someone else saved meanwhile, and loads theirs', async () => {
    const { page } = await rig.signedIn();
    await page.goto(`${rig.url}/dashboard/#/setup/scoring`);
    await page.getByRole('heading', { name: 'Scoring rules' }).waitFor();
    await page.getByLabel('MQL at (points)').waitFor();

    // Another marketer saves first.
    const theirs = await call<ScoringRules>('/v1/scoring');
    await call('/v1/scoring', {
      method: 'PUT',
      body: JSON.stringify({ ...theirs, mqlThreshold: 65 }),
    });

    await page.getByLabel('MQL at (points)').fill('20');
    await page.getByRole('button', { name: 'Save and rescore' }).click();
    await page.locator('.error-summary').waitFor();
    expect(await page.locator('.error-summary').textContent()).toContain(
      'Someone saved other rules since this page loaded',
    );
    expect((await call<ScoringRules>('/v1/scoring')).mqlThreshold).toBe(65);

    await page.getByRole('button', { name: 'Load the current rules' }).click();
    await expect.poll(() => page.getByLabel('MQL at (points)').inputValue()).toBe('65');
    await page.close();
  });

  it('points a refused rule at its field, by the rule label', async () => {
    const { page } = await rig.signedIn();
    await page.goto(`${rig.url}/dashboard/#/setup/scoring`);
    await page.getByLabel('MQL at (points)').waitFor();
    const first = page.locator('.rule-list').first().locator('> li').first();
    const label = await first.getByLabel('Label').inputValue();
    await first.getByLabel('Condition').selectOption('gte');
    await first.getByLabel('Value').fill('many');
    await page.getByRole('button', { name: 'Save and rescore' }).click();
    await page.locator('.error-summary').waitFor();
    expect(await page.locator('.error-summary').textContent()).toContain(
      `Fit rule 1 (${label}) › value`,
    );
    expect(await first.getByLabel('Value').getAttribute('aria-invalid')).toBe('true');
    await page.close();
  });

  for (const route of ['setup/new-form', 'setup/forms/newsletter', 'setup/scoring']) {
    it(`fits a 375 px phone: #/${route}`, async () => {
      const { page } = await rig.signedIn(375);
      await page.goto(`${rig.url}/dashboard/#/${route}`);
      await page.locator('form.editor').waitFor();
      await page.locator('form.editor input').first().waitFor();
      expect(await overflow(page)).toBeLessThanOrEqual(0);
      await page.screenshot({
        path: join(SHOTS, `editor-${route.replace(/\W/g, '-')}-375.png`),
        fullPage: true,
      });
      await page.close();
    });
  }
});
