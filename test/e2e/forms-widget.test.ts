/**
 * The built forms chunk in real Chromium, mounted by a test page's FormsHost against a real
 * collector: every kind renders and submits, exit intent, keyboard only, axe, hostile page CSS,
 * CSP nonce, and screenshots of every kind (desktop and 320 px, English and Vietnamese).
 */
import { mkdirSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_FORMS } from '../../collector/forms/demo.ts';
import type { FormDefinition } from '../../shared/forms.ts';
import { type PageServer, startPages } from '../forms/pages.ts';
import { hasChromium, launchBrowser } from '../helpers/browser.ts';
import { type RunningCollector, startCollector } from '../helpers/server.ts';

const SHOTS = 'test-results/forms';

const EXTRA: FormDefinition[] = [
  {
    id: 'help',
    name: 'Questions?',
    kind: 'slide_in',
    trigger: { type: 'delay', seconds: 0.2 },
    targeting: { include: ['/page?*auto=help*'] },
    fields: [
      { name: 'email', type: 'email', label: { en: 'Email', vi: 'Email' }, required: true },
      {
        name: 'topic',
        type: 'select',
        label: { en: 'Topic', vi: 'Chủ đề' },
        options: [
          { value: 'pricing', label: { en: 'Pricing', vi: 'Bảng giá' } },
          { value: 'tech', label: { en: 'Technical', vi: 'Kỹ thuật' } },
        ],
      },
      { name: 'message', type: 'textarea', label: { en: 'Your question', vi: 'Câu hỏi của bạn' } },
    ],
    texts: {
      title: {
        en: 'Questions? We answer within a day',
        vi: 'Bạn có câu hỏi? Chúng tôi trả lời trong một ngày',
      },
      submit: { en: 'Send', vi: 'Gửi' },
    },
  },
  {
    id: 'offer',
    name: 'Offer',
    kind: 'bar',
    trigger: { type: 'load' },
    targeting: { include: ['/page?*auto=offer*'] },
    fields: [{ name: 'email', type: 'email', label: { en: 'Email', vi: 'Email' }, required: true }],
    texts: {
      title: { en: 'Get 20% off your first year', vi: 'Giảm 20% cho năm đầu tiên' },
      submit: { en: 'Claim offer', vi: 'Nhận ưu đãi' },
    },
  },
];

type TpWindow = {
  __tp: { events: { type: string; name: string }[]; statuses: unknown[] };
  axe: {
    run(
      ctx: unknown,
      opts: unknown,
    ): Promise<{ passes: unknown[]; violations: { id: string; nodes: { target: unknown }[] }[] }>;
  };
};
const tp = (page: Page) => page.evaluate(() => (window as unknown as TpWindow).__tp);
const exitIntent = (page: Page) =>
  page.evaluate(() =>
    document.dispatchEvent(new MouseEvent('mouseout', { clientY: -1, relatedTarget: null })),
  );

describe.skipIf(!hasChromium)('forms chunk in Chromium', () => {
  let collector: RunningCollector;
  let pages: PageServer;
  let browser: Browser;

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    pages = await startPages();
    collector = await startCollector({ origins: [pages.url] });
    // Each test page arms only the popups it names (`auto=`): targeting by URL glob.
    const demo = { ...DEMO_FORMS[1]!, targeting: { include: ['/page?*auto=demo*'] } };
    for (const def of [DEMO_FORMS[0]!, demo, ...EXTRA]) {
      const res = await fetch(`${collector.url}/v1/forms`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${collector.site.secretKey}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify(def),
      });
      expect(res.status).toBe(201);
    }
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await collector?.dispose();
    await pages?.close();
  });

  const open = async (
    params: Record<string, string>,
    ctx: { width?: number; height?: number } = {},
  ): Promise<{ page: Page; context: BrowserContext }> => {
    const context = await browser.newContext({
      viewport: { width: ctx.width ?? 1280, height: ctx.height ?? 800 },
      locale: 'en-US',
    });
    const page = await context.newPage();
    page.on('pageerror', (e) => console.error('page error', e));
    const q = new URLSearchParams({
      pk: collector.site.publicKey,
      collector: collector.url,
      ...params,
    });
    // Triggers are armed once the chunk has the config: wait for it, as a visitor would be
    // reading the page by then.
    const config = page.waitForResponse((r) => r.url().includes('/config'));
    await page.goto(`${pages.url}/page?${q}`);
    await config;
    await page.evaluate(() => new Promise((r) => setTimeout(r, 50)));
    return { page, context };
  };

  /** Locators pierce open shadow roots. */
  const form = (page: Page) => page.locator('tp-form');

  const submissionsOf = async (anon: string) =>
    (
      await collector.store.query<{
        form_id: string;
        status: string;
        field_values: Record<string, unknown>;
      }>('select form_id, status, field_values from form_submissions where anonymous_id = $1', [
        anon,
      ])
    ).rows;

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
    await page.locator('tp-form [role=dialog]').waitFor({ timeout: 3_000 });
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
    const focused = () =>
      page.evaluate(() => {
        const host = document.activeElement;
        const inner = host?.shadowRoot?.activeElement;
        return inner
          ? `${inner.tagName.toLowerCase()}:${inner.getAttribute('name') ?? inner.className}`
          : host?.id;
      });
    expect(await focused()).toBe('input:email');
    // Trapped: Shift+Tab from the first control wraps to the close button, Tab wraps back.
    await page.keyboard.press('Shift+Tab');
    expect(await focused()).toBe('button:x');
    await page.keyboard.press('Tab');
    expect(await focused()).toBe('input:email');
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
    expect(await focused()).toBe('before');
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
