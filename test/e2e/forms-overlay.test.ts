/**
 * Overlays as a visitor sees them in Chromium on pages that fight them: a transformed body and a
 * header at the highest z-index do not move or cover them (the top layer), the page behind a popup
 * is inert and does not scroll, and on a 320×640 phone a bar or slide-in leaves half the screen
 * and the end of the page reachable. Their layout holds up in use: a slide-in scrolled inside keeps
 * its title and × in view, a bar keeps its button in the row of its inputs when errors show, and
 * every × is a 44 px touch target.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { FormDefinition } from '../../shared/forms.ts';
import { hasChromium } from '../helpers/browser.ts';
import {
  dialogs,
  focused,
  form,
  formsHarness,
  SHOTS,
  type TpWindow,
  wait,
} from './forms-harness.ts';

const SMALL = { width: 320, height: 640, isMobile: true, hasTouch: true };
/** A common phone: a slide-in's half of the screen is too short for a form with a description. */
const PHONE_375 = { width: 375, height: 740, isMobile: true, hasTouch: true };

/** A slide-in with a description and required fields down to the fold of a phone. */
const GUIDE: FormDefinition = {
  id: 'guide',
  name: 'Pricing guide',
  kind: 'slide_in',
  trigger: { type: 'delay', seconds: 0.2 },
  targeting: { include: ['/page?*auto=guide*'] },
  fields: [
    {
      name: 'email',
      type: 'email',
      label: { en: 'Work email', vi: 'Email công việc' },
      required: true,
    },
    {
      name: 'size',
      type: 'select',
      label: { en: 'Company size', vi: 'Quy mô công ty' },
      required: true,
      options: [{ value: '1-10' }, { value: '11-200' }],
    },
    {
      name: 'consent',
      type: 'consent',
      label: {
        en: 'I agree to be contacted about Acme Analytics.',
        vi: 'Tôi đồng ý để Acme Analytics liên hệ với tôi.',
      },
      required: true,
    },
  ],
  texts: {
    title: { en: 'Get the 2026 pricing guide', vi: 'Nhận hướng dẫn bảng giá 2026' },
    description: {
      en: 'A 12-page PDF comparing every plan.',
      vi: 'Tài liệu PDF 12 trang so sánh tất cả các gói dịch vụ.',
    },
  },
};

/** A bar with two required fields: errors can show under one or both. */
const PROMO: FormDefinition = {
  id: 'promo',
  name: 'Webinar',
  kind: 'bar',
  trigger: { type: 'load' },
  targeting: { include: ['/page?*auto=promo*'] },
  fields: [
    { name: 'email', type: 'email', label: 'Email', required: true },
    {
      name: 'name',
      type: 'text',
      label: { en: 'Your name', vi: 'Họ và tên của bạn' },
      required: true,
    },
  ],
  texts: {
    title: { en: 'Live webinar: attribution in 2026', vi: 'Hội thảo trực tuyến: phân bổ năm 2026' },
    submit: { en: 'Save my seat', vi: 'Giữ chỗ cho tôi' },
  },
};

/** What the page's own hit testing finds at the centre of `sel` in the form: is it `sel`? */
const hit = (page: Page, sel: string) =>
  page.evaluate((sel) => {
    const root = document.querySelector('tp-form')!.shadowRoot!;
    const el = root.querySelector(sel)!;
    const r = el.getBoundingClientRect();
    const at = root.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
    return {
      hit: !!at && el.contains(at),
      inView: r.top >= 0 && r.left >= 0 && r.bottom <= innerHeight && r.right <= innerWidth,
    };
  }, sel);

/** The panel's box, and the viewport's height. */
const panel = (page: Page) =>
  page.evaluate(() => {
    const r = document.querySelector('tp-form')!.shadowRoot!.querySelector('.p')!;
    const { top, bottom, height } = r.getBoundingClientRect();
    return { top, bottom, height, vh: innerHeight };
  });

describe.skipIf(!hasChromium)('overlays on hostile pages and small screens, in Chromium', () => {
  const { open } = formsHarness([GUIDE, PROMO]);

  it.each([
    [1280, 800, 'en'],
    [320, 640, 'vi'],
  ] as const)(
    'a popup over a transformed, scrolled page with a top header (%i×%i px, %s)',
    async (w, h, lang) => {
      const { page, context } = await open(
        { css: 'hostile', tall: '3000', lang },
        { width: w, height: h },
      );
      await page.evaluate(() => scrollTo(0, 1500));
      await page.evaluate(() => (window as unknown as TpWindow).__tp.show('demo'));
      await form(page).locator('h2').waitFor();
      await wait(page, 600);
      await page.screenshot({ path: `${SHOTS}/overlay-hostile-popup-${w}-${lang}.png` });
      expect(await hit(page, 'h2')).toEqual({ hit: true, inView: true });
      expect(await hit(page, '.x')).toEqual({ hit: true, inView: true });
      const x = (await form(page).locator('.x').boundingBox())!;
      await page.mouse.click(x.x + x.width / 2, x.y + x.height / 2);
      await expect.poll(() => dialogs(page)).toBe(0);
      await context.close();
    },
  );

  it('a bar on a transformed, scrolled page is in the viewport, above a top header', async () => {
    const { page, context } = await open({ css: 'hostile', tall: '3000', auto: 'offer' });
    await form(page).locator('h2').waitFor();
    await page.evaluate(() => scrollTo(0, 1500));
    await wait(page, 200);
    const p = await panel(page);
    expect(p.top).toBeGreaterThanOrEqual(0);
    expect(p.bottom).toBeLessThanOrEqual(p.vh);
    expect(await hit(page, '.s')).toEqual({ hit: true, inView: true });
    // Not modal: the page behind is not dimmed.
    const dim = await page.evaluate(() => {
      const p = document.querySelector('tp-form')!.shadowRoot!.querySelector('.p')!;
      return getComputedStyle(p, '::backdrop').backgroundColor;
    });
    expect(dim).toBe('rgba(0, 0, 0, 0)');
    await context.close();
  });

  it('while a popup is open the page behind is out of the accessibility tree and does not scroll', async () => {
    const { page, context } = await open({ tall: '3000' });
    const pageButtons = async () => {
      const cdp = await context.newCDPSession(page);
      const { nodes } = (await cdp.send('Accessibility.getFullAXTree')) as {
        nodes: { ignored: boolean; role?: { value: string }; name?: { value: string } }[];
      };
      await cdp.detach();
      return nodes
        .filter((n) => !n.ignored && n.role?.value === 'button')
        .map((n) => n.name?.value)
        .filter((n) => n === 'Menu' || n === 'Talk to sales');
    };
    expect(await pageButtons()).toEqual(['Menu', 'Talk to sales']);
    await page.evaluate(() => (window as unknown as TpWindow).__tp.show('demo'));
    await form(page).locator('h2').waitFor();
    expect(await pageButtons()).toEqual([]);
    await page.mouse.move(40, 400);
    await page.mouse.wheel(0, 900);
    await wait(page, 400);
    expect(await page.evaluate(() => scrollY)).toBe(0);
    // Closed: the page is back, exactly as it was, and scrolls again.
    await page.keyboard.press('Escape');
    await expect.poll(() => dialogs(page)).toBe(0);
    expect(await page.evaluate(() => document.documentElement.getAttribute('style'))).toBeFalsy();
    expect(await pageButtons()).toEqual(['Menu', 'Talk to sales']);
    await page.mouse.wheel(0, 900);
    await expect.poll(() => page.evaluate(() => scrollY)).toBeGreaterThan(0);
    await context.close();
  });

  it('a popup on a page with a classic scrollbar does not shift the page sideways', async () => {
    const { page, context } = await open({ tall: '3000' }, { scrollbars: true });
    // Where the page's content is laid out: the body's box (it spans the room left of the bar).
    const layout = () =>
      page.evaluate(() => ({
        width: document.body.getBoundingClientRect().width,
        scrollbar: innerWidth - document.documentElement.clientWidth,
      }));
    const before = await layout();
    // The browser really draws a scrollbar that takes room (else this test proves nothing).
    expect(before.scrollbar).toBeGreaterThan(0);
    await page.evaluate(() => (window as unknown as TpWindow).__tp.show('demo'));
    await form(page).locator('h2').waitFor();
    expect((await layout()).width).toBe(before.width);
    await page.screenshot({ path: `${SHOTS}/overlay-popup-scrollbar-1280.png` });
    await page.keyboard.press('Escape');
    await expect.poll(() => dialogs(page)).toBe(0);
    expect(await layout()).toEqual(before);
    expect(await page.evaluate(() => document.documentElement.getAttribute('style'))).toBeFalsy();
    await context.close();
  });

  it.each(['en', 'vi'] as const)(
    'at 320×640 a bar and a slide-in leave half the screen (%s)',
    async (lang) => {
      for (const auto of ['offer', 'help']) {
        const { page, context } = await open({ auto, lang }, SMALL);
        await form(page).locator('h2').waitFor();
        await wait(page, 300);
        await page.screenshot({ path: `${SHOTS}/overlay-${auto}-320-${lang}.png` });
        const p = await panel(page);
        expect(p.height).toBeLessThanOrEqual(p.vh / 2);
        expect(p.bottom).toBeLessThanOrEqual(p.vh);
        await context.close();
      }
    },
  );

  it.each(['en', 'vi'] as const)(
    'at 320×640 the last link of the page can be clicked under an open bar (%s)',
    async (lang) => {
      const { page, context } = await open({ auto: 'offer', lang, tall: '900' }, SMALL);
      await form(page).locator('h2').waitFor();
      await wait(page, 300);
      await page.evaluate(() => scrollTo(0, document.documentElement.scrollHeight));
      await wait(page, 200);
      await page.screenshot({ path: `${SHOTS}/overlay-bar-end-320-${lang}.png` });
      const link = (await page.locator('#totop').boundingBox())!;
      const at = await page.evaluate(
        ([x, y]) => document.elementFromPoint(x!, y!)?.id,
        [link.x + link.width / 2, link.y + link.height / 2],
      );
      expect(at).toBe('totop');
      await page.touchscreen.tap(link.x + link.width / 2, link.y + link.height / 2);
      await expect.poll(() => page.evaluate(() => location.hash)).toBe('#link');
      // The bar still there; closed, the page's own padding comes back.
      expect(await form(page).locator('.p').count()).toBe(1);
      await form(page).locator('.x').tap();
      await expect
        .poll(() => page.evaluate(() => document.documentElement.style.paddingBottom))
        .toBe('');
      await context.close();
    },
  );

  it.each(['en', 'vi'] as const)(
    'at 375×740 a slide-in scrolled inside keeps its title and × in view, after a failed submit too (%s)',
    async (lang) => {
      const { page, context } = await open({ auto: 'guide', lang }, PHONE_375);
      await form(page).locator('h2').waitFor();
      await wait(page, 300);
      // Down to the submit button, as a visitor scrolls the panel to reach it.
      const scrolled = await form(page)
        .locator('.p')
        .evaluate((p) => {
          p.scrollTo(0, p.scrollHeight);
          return p.scrollTop;
        });
      expect(scrolled).toBeGreaterThan(0);
      expect(await hit(page, 'h2')).toEqual({ hit: true, inView: true });
      expect(await hit(page, '.x')).toEqual({ hit: true, inView: true });
      // A failed submit: focus goes to the first invalid field, the title and × stay in view.
      const send = (await form(page).locator('.s').boundingBox())!;
      await page.mouse.click(send.x + send.width / 2, send.y + send.height / 2);
      await expect.poll(() => focused(page)).toBe('input:email');
      await wait(page, 200);
      await page.screenshot({ path: `${SHOTS}/overlay-guide-375-errors-${lang}.png` });
      expect(await hit(page, 'h2')).toEqual({ hit: true, inView: true });
      expect(await hit(page, '.x')).toEqual({ hit: true, inView: true });
      expect(await hit(page, 'input[name=email]')).toEqual({ hit: true, inView: true });
      const x = (await form(page).locator('.x').boundingBox())!;
      await page.mouse.click(x.x + x.width / 2, x.y + x.height / 2);
      await expect.poll(() => dialogs(page)).toBe(0);
      await context.close();
    },
  );

  it.each(['en', 'vi'] as const)(
    'at 1280 px a bar keeps its button in the row of its inputs when errors show, and thanks in line with its title (%s)',
    async (lang) => {
      const { page, context } = await open({ auto: 'promo', lang });
      await form(page).locator('h2').waitFor();
      /** Vertical centres, in px, of the inputs and the button. */
      const row = () =>
        form(page)
          .locator('.p')
          .evaluate((p) =>
            ['input[name=email]', 'input[name=name]', '.s'].map((sel) => {
              const r = p.querySelector(sel)!.getBoundingClientRect();
              return Math.round(r.top + r.height / 2);
            }),
          );
      const aligned = (ys: number[]) => ys.map((y) => y - ys[0]!);
      expect(aligned(await row())).toEqual([0, 0, 0]);
      const send = () => form(page).locator('.s').click();
      // Errors under both fields, then under one of them.
      await send();
      await expect.poll(() => form(page).locator('[aria-invalid=true]').count()).toBe(2);
      await page.screenshot({ path: `${SHOTS}/overlay-promo-1280-errors-${lang}.png` });
      expect(aligned(await row())).toEqual([0, 0, 0]);
      await form(page).locator('input[name=name]').fill('Lê Hoàng Phương Thảo');
      await send();
      await expect.poll(() => form(page).locator('[aria-invalid=true]').count()).toBe(1);
      expect(aligned(await row())).toEqual([0, 0, 0]);
      await form(page).locator('input[name=email]').fill('thao@example.com');
      await send();
      await form(page).locator('.ok').waitFor();
      await page.screenshot({ path: `${SHOTS}/overlay-promo-1280-thanks-${lang}.png` });
      const centres = await form(page)
        .locator('.p')
        .evaluate((p) =>
          ['h2', '.ok'].map((sel) => {
            const r = p.querySelector(sel)!.getBoundingClientRect();
            return Math.round(r.top + r.height / 2);
          }),
        );
      expect(aligned(centres)).toEqual([0, 0]);
      await context.close();
    },
  );

  it.each([
    ['popup', 'demo'],
    ['slide_in', 'help'],
    ['bar', 'offer'],
  ] as const)('the × of a %s is a 44 px touch target', async (_kind, show) => {
    const { page, context } = await open({ show }, SMALL);
    await form(page).locator('.x').waitFor();
    const x = (await form(page).locator('.x').boundingBox())!;
    expect(Math.min(x.width, x.height)).toBeGreaterThanOrEqual(44);
    expect(await hit(page, '.x')).toEqual({ hit: true, inView: true });
    await context.close();
  });
});
