/**
 * The built forms chunk in real Chromium, mounted by a test page's FormsHost against a real
 * collector: every kind renders and submits, exit intent, keyboard only, axe, hostile page CSS,
 * CSP nonce, and screenshots of every kind (desktop and 320 px, English and Vietnamese).
 */
import { describe, expect, it } from 'vitest';
import { hasChromium } from '../helpers/browser.ts';
import {
  exitIntent,
  focused,
  form,
  formsHarness,
  SHOTS,
  type TpWindow,
  tp,
} from './forms-harness.ts';

describe.skipIf(!hasChromium)('forms chunk in Chromium', () => {
  const { open, submissionsOf } = formsHarness();

  it.each([
    ['newsletter', { inline: 'newsletter' }],
    ['demo', { show: 'demo' }],
    ['help', { auto: 'help' }],
    ['offer', { auto: 'offer' }],
  ] as const)('%s renders and submits', async (id, params) => {
    const anon = `anon-kind-${id}`;
    const { page, context } = await open({ ...params, anon });
    const f = form(page);
    const email = f.getByLabel(/email/i).first();
    await email.waitFor();
    await page.waitForTimeout(1_600); // a human takes longer than the minimum fill time
    await email.fill(`${id}@example.com`);
    if (id === 'demo') await f.getByLabel('Full name').fill('Ana Nguyen');
    if (id === 'newsletter') await f.getByRole('checkbox').check();
    await f.locator('button[type=submit]').click();
    await expect.poll(async () => (await tp(page)).statuses).toEqual([202]);
    await f.getByRole('status').waitFor();
    expect(await submissionsOf(anon)).toEqual([
      expect.objectContaining({
        form_id: id,
        status: 'accepted',
        field_values: expect.objectContaining({ email: `${id}@example.com` }),
      }),
    ]);
    expect((await tp(page)).events).toContainEqual(
      expect.objectContaining({ type: 'form_view', name: id }),
    );
    await context.close();
  });

  it('shows field errors next to the field, announced, and focuses the first one', async () => {
    const { page, context } = await open({ show: 'demo', lang: 'vi', anon: 'anon-errors' });
    const f = form(page);
    const email = f.getByLabel('Email công việc');
    await email.fill('not-an-email');
    await f.locator('button[type=submit]').click();
    const err = f.locator('#f-email-e');
    await expect.poll(() => err.textContent()).toBe('Vui lòng nhập địa chỉ email hợp lệ.');
    expect(await err.getAttribute('aria-live')).toBe('polite');
    expect(await email.getAttribute('aria-invalid')).toBe('true');
    expect(
      await email.evaluate((el) => el === (el.getRootNode() as ShadowRoot).activeElement),
    ).toBe(true);
    expect(await f.locator('#f-name-e').textContent()).toBe('Vui lòng điền trường này.');
    expect(await submissionsOf('anon-errors')).toEqual([]);
    await context.close();
  });

  it('exit intent: a link hover does not open the popup, leaving through the top does', async () => {
    const { page, context } = await open({ anon: 'anon-exit', auto: 'demo' });
    await page.mouse.move(600, 400);
    const link = (await page.locator('#link').boundingBox())!;
    await page.mouse.move(link.x + 5, link.y + 5, { steps: 5 });
    await page.mouse.move(link.x + 5, 1, { steps: 3 });
    await page.waitForTimeout(300);
    expect(await page.locator('tp-form [role=dialog]').count()).toBe(0);
    // Out through the top edge of the viewport (what moving toward the tabs does).
    await page.mouse.move(600, 200, { steps: 3 });
    await page.mouse.move(600, -20, { steps: 5 });
    await page.locator('tp-form [role=dialog]').waitFor({ timeout: 10_000 });
    expect(await page.locator('tp-form h2').textContent()).toBe(
      'Before you go: see Touchpoint live',
    );
    await context.close();
  });

  it('keyboard only: a popup is completed, ESC closes, focus returns', async () => {
    const { page, context } = await open({ anon: 'anon-keys', auto: 'demo' });
    await page.locator('#before').focus();
    await exitIntent(page);
    const dialog = page.locator('tp-form [role=dialog]');
    await dialog.waitFor();
    expect(await dialog.getAttribute('aria-modal')).toBe('true');
    expect(await focused(page)).toBe('input:email');
    // Trapped: Shift+Tab from the first control wraps to the close button, Tab wraps back.
    await page.keyboard.press('Shift+Tab');
    expect(await focused(page)).toBe('button:x');
    await page.keyboard.press('Tab');
    expect(await focused(page)).toBe('input:email');
    await page.waitForTimeout(1_500);
    await page.keyboard.type('keys@example.com');
    await page.keyboard.press('Tab');
    await page.keyboard.type('Kim Tran');
    await page.keyboard.press('Tab');
    await page.keyboard.type('Acme');
    await page.keyboard.press('Enter');
    await dialog.getByRole('status').waitFor();
    await expect.poll(() => submissionsOf('anon-keys')).toHaveLength(1);
    expect((await submissionsOf('anon-keys'))[0]!.status).toBe('accepted');
    await page.keyboard.press('Escape');
    await expect.poll(() => dialog.count()).toBe(0);
    expect(await focused(page)).toBe('before');
    expect((await tp(page)).events.map((e) => e.type)).not.toContain('form_dismiss');
    await context.close();
  });

  it('a dismissed popup records form_dismiss and does not come back this session', async () => {
    const { page, context } = await open({ anon: 'anon-dismiss', auto: 'demo' });
    await exitIntent(page);
    await page.locator('tp-form [role=dialog]').waitFor();
    await page.keyboard.press('Escape');
    expect((await tp(page)).events).toContainEqual(
      expect.objectContaining({ type: 'form_dismiss', name: 'demo' }),
    );
    const config = page.waitForResponse((r) => r.url().includes('/config'));
    await page.reload();
    await config;
    await page.waitForTimeout(300);
    await exitIntent(page);
    await page.waitForTimeout(300);
    expect(await page.locator('tp-form [role=dialog]').count()).toBe(0);
    await context.close();
  });

  it('axe-core finds no violations inside any kind', async () => {
    const kinds: Record<string, string>[] = [
      { inline: 'newsletter' },
      { show: 'demo' },
      { show: 'help' },
      { show: 'offer' },
    ];
    for (const params of kinds) {
      const { page, context } = await open({ ...params, lang: 'vi' });
      await page.locator('tp-form h2').first().waitFor();
      // With errors showing: their colours and ARIA must pass as well.
      await form(page).locator('button[type=submit]').first().click();
      await page.addScriptTag({ url: '/axe.js' });
      const violations = await page.evaluate(async () => {
        const res = await (window as unknown as TpWindow).axe.run(
          { include: [['tp-form']] },
          { runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
        );
        return {
          checked: res.passes.length,
          violations: res.violations.map((v) => ({
            id: v.id,
            targets: v.nodes.map((n) => JSON.stringify(n.target)),
          })),
        };
      });
      expect(violations.violations, JSON.stringify(params)).toEqual([]);
      // axe did look inside the shadow root (labels, contrast, ARIA…), not at an empty context.
      expect(violations.checked).toBeGreaterThan(5);
      await context.close();
    }
  });

  it('aggressive page CSS does not change the form', async () => {
    // The inline form's width follows its container, which is the site's to lay out (`* { all:
    // unset }` removes the page's max-width): inline forms are compared without their width.
    const measure = async (css?: string) => {
      const { page, context } = await open({
        show: 'demo',
        inline: 'newsletter',
        ...(css ? { css } : {}),
      });
      await page.locator('tp-form [role=dialog] h2').waitFor();
      await page.screenshot({ path: `${SHOTS}/popup-1280-en-${css ?? 'plain'}-page-css.png` });
      const out = await page.evaluate(() =>
        Array.from(document.querySelectorAll('tp-form')).map((host) =>
          Array.from(
            host.shadowRoot!.querySelectorAll('h2, label, input:not([name=website]), button, .p'),
          ).map((el) => {
            const cs = getComputedStyle(el);
            const r = el.getBoundingClientRect();
            return [
              el.tagName,
              cs.fontFamily,
              cs.fontSize,
              cs.color,
              cs.display,
              cs.visibility,
              cs.letterSpacing,
              cs.textTransform,
              host.closest('[data-tp-form]') ? 'auto' : Math.round(r.width),
              Math.round(r.height),
            ].join('|');
          }),
        ),
      );
      await context.close();
      return out;
    };
    const plain = await measure();
    const hostile = await measure('aggressive');
    expect(plain.length).toBe(2);
    expect(hostile).toEqual(plain);
  });

  it('works under a strict CSP with the host nonce', async () => {
    const { page, context } = await open({ show: 'demo', csp: '1' });
    await form(page).locator('h2').waitFor();
    const bg = await form(page)
      .locator('button[type=submit]')
      .evaluate((el) => getComputedStyle(el).backgroundColor);
    expect(bg).toBe('rgb(11, 87, 208)');
    await context.close();
  });

  it('takes screenshots of every kind at desktop and 320 px, in English and Vietnamese', async () => {
    for (const lang of ['en', 'vi']) {
      for (const [w, h] of [
        [1280, 800],
        [320, 640],
      ] as const) {
        for (const [kind, params] of [
          ['inline', { inline: 'newsletter' }],
          ['popup', { show: 'demo' }],
          ['slide_in', { show: 'help' }],
          ['bar', { show: 'offer' }],
        ] as const) {
          const { page, context } = await open(
            { ...params, lang, tall: '900' },
            { width: w, height: h },
          );
          await page.locator('tp-form h2').first().waitFor();
          await page.screenshot({ path: `${SHOTS}/${kind}-${w}-${lang}.png` });
          if (kind === 'popup') {
            await form(page).locator('button[type=submit]').click();
            await page.screenshot({ path: `${SHOTS}/${kind}-${w}-${lang}-errors.png` });
          }
          await context.close();
        }
      }
    }
  });
});
