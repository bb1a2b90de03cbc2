/**
 * What a visitor notices, in real Chromium: frequency across forms and tabs, focus after a
 * slide-in or bar closes, ESC while typing Vietnamese, an RTL host page, error and offline texts,
 * and screenshots of them (touch screens and the backdrop: `forms-touch.test.ts`).
 */
import { describe, expect, it } from 'vitest';
import type { FormDefinition } from '../../shared/forms.ts';
import { hasChromium } from '../helpers/browser.ts';
import {
  dialogs,
  eventTypes,
  exitIntent,
  focused,
  form,
  formsHarness,
  SHOTS,
  type TpWindow,
  wait,
} from './forms-harness.ts';

/** A popup with a required select and a consent box (shown with `show=signup`). */
const SIGNUP: FormDefinition = {
  id: 'signup',
  name: 'Sign up',
  kind: 'popup',
  targeting: { include: ['/page?*auto=signup*'] },
  fields: [
    { name: 'email', type: 'email', label: { en: 'Email', vi: 'Email' }, required: true },
    {
      name: 'size',
      type: 'select',
      required: true,
      label: { en: 'Company size', vi: 'Quy mô công ty' },
      options: [{ value: '1-10' }, { value: '11-200' }],
    },
    {
      name: 'consent',
      type: 'consent',
      required: true,
      label: { en: 'I agree to be contacted.', vi: 'Tôi đồng ý được liên hệ.' },
    },
  ],
  texts: { title: { en: 'Start your trial', vi: 'Dùng thử miễn phí' } },
};

const OFFLINE = {
  en: 'Thank you! Your details are saved and will be sent when you are back online.',
  vi: 'Cảm ơn bạn! Thông tin đã được lưu và sẽ được gửi khi bạn có mạng trở lại.',
};

describe.skipIf(!hasChromium)('forms as a visitor notices them, in Chromium', () => {
  const { open } = formsHarness([SIGNUP]);

  describe('frequency, asked again when the trigger fires', () => {
    it('no exit popup asking for the email of a visitor who just signed up inline', async () => {
      // (Its own visitor: the collector knows this one as a lead afterwards.)
      const { page, context } = await open({
        auto: 'demo',
        inline: 'newsletter',
        anon: 'anon-inline',
      });
      const f = form(page).first();
      await f.getByRole('checkbox').waitFor();
      await wait(page, 1_600);
      await f.getByLabel('Email').fill('reader@example.com');
      await f.getByRole('checkbox').check();
      await f.locator('button[type=submit]').click();
      await f.getByRole('status').waitFor();
      await exitIntent(page);
      await wait(page, 300);
      expect(await dialogs(page)).toBe(0);
      await context.close();
    });

    it('a session popup shows in one tab only', async () => {
      const { page, context } = await open({ auto: 'demo', anon: 'anon-tabs' });
      const other = await context.newPage();
      const config = other.waitForResponse((r) => r.url().includes('/config'));
      await other.goto(page.url());
      await config;
      await wait(other, 100);
      await exitIntent(page);
      await page.locator('tp-form [role=dialog]').waitFor();
      await exitIntent(other);
      await wait(other, 300);
      expect(await dialogs(other)).toBe(0);
      await context.close();
    });
  });

  it.each([
    ['slide-in', 'help'],
    ['bar', 'offer'],
  ])('closing a %s with Enter on × returns focus to the page', async (_, id) => {
    const { page, context } = await open({ auto: id });
    await form(page).locator('h2').waitFor();
    await page.locator('#before').focus();
    await form(page).locator('.x').focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => form(page).count()).toBe(0);
    expect(await focused(page)).toBe('before');
    await context.close();
  });

  it('ESC while an input method composes a Vietnamese word does not close the popup', async () => {
    const { page, context } = await open({ show: 'demo', lang: 'vi' });
    const name = form(page).getByLabel('Họ và tên');
    await name.focus();
    await page.keyboard.type('Nguyen ');
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Input.imeSetComposition', { text: 'Văn', selectionStart: 3, selectionEnd: 3 });
    await page.keyboard.press('Escape');
    await wait(page, 200);
    expect(await dialogs(page)).toBe(1);
    expect(await name.inputValue()).toMatch(/^Nguyen /);
    expect(await eventTypes(page)).not.toContain('form_dismiss');
    // Once the word is done, ESC closes it.
    await cdp.send('Input.insertText', { text: 'Văn' });
    await page.keyboard.press('Escape');
    await expect.poll(() => dialogs(page)).toBe(0);
    await context.close();
  });

  it('on a right-to-left page the form stays left to right', async () => {
    const { page, context } = await open({ inline: 'newsletter', dir: 'rtl', lang: 'vi' });
    const f = form(page);
    await f.locator('h2').waitFor();
    const layout = await f.locator('.ck').evaluate((label) => {
      const [box, text] = [label.querySelector('input')!, label.querySelector('span')!];
      return {
        boxLeftOfText: box.getBoundingClientRect().x < text.getBoundingClientRect().x,
        direction: getComputedStyle(label).direction,
      };
    });
    expect(layout).toEqual({ boxLeftOfText: true, direction: 'ltr' });
    // The honeypot once sat at left: -9999px, which an RTL page can scroll to.
    const html = await page.evaluate(() => {
      const el = document.documentElement;
      return el.scrollWidth - el.clientWidth;
    });
    expect(html).toBe(0);
    await page.screenshot({ path: `${SHOTS}/inline-1280-vi-rtl-page.png` });
    await context.close();
  });

  it('asks to tick a box and choose an option, in Vietnamese and English', async () => {
    for (const [lang, choose, tick] of [
      ['vi', 'Vui lòng chọn một mục.', 'Vui lòng đánh dấu ô này.'],
      ['en', 'Please choose an option.', 'Please tick this box.'],
    ]) {
      const { page, context } = await open({ show: 'signup', lang: lang! });
      const f = form(page);
      await f.locator('button[type=submit]').click();
      expect(await f.locator('#f-size-e').textContent()).toBe(choose);
      expect(await f.locator('#f-consent-e').textContent()).toBe(tick);
      await context.close();
    }
  });

  it('offline, says the details are saved and will be sent, not that they were received', async () => {
    for (const lang of ['en', 'vi'] as const) {
      const { page, context } = await open({ inline: 'newsletter', lang });
      const f = form(page);
      await f.getByRole('checkbox').waitFor();
      await wait(page, 1_600);
      await context.setOffline(true);
      await f.getByLabel('Email').fill(`offline-${lang}@example.com`);
      await f.getByRole('checkbox').check();
      await f.locator('button[type=submit]').click();
      expect(await f.getByRole('status').textContent()).toBe(OFFLINE[lang]);
      await context.close();
    }
  });

  it('takes screenshots of what changed, at 1280 and 320 px, in English and Vietnamese', async () => {
    for (const lang of ['en', 'vi'] as const) {
      for (const [w, h] of [
        [1280, 800],
        [320, 640],
      ] as const) {
        const at = `${w}-${lang}`;
        const phone = w < 600 ? { isMobile: true, hasTouch: true } : {};
        const size = { width: w, height: h, ...phone };
        // 2 and 4: still open after the tap that opened it (phone) or a selection (desk).
        let { page, context } = await open({ lang }, size);
        await page.evaluate(() =>
          document.addEventListener(
            'touchstart',
            () => (window as unknown as TpWindow).__tp.show('demo'),
            { once: true },
          ),
        );
        if (w < 600) await page.touchscreen.tap(4, 200);
        else await page.evaluate(() => (window as unknown as TpWindow).__tp.show('demo'));
        await form(page).locator('h2').waitFor();
        await wait(page, 700);
        await page.screenshot({ path: `${SHOTS}/backdrop-${at}.png` });
        await context.close();
        // 5: focus back on the page's button after × on a slide-in.
        ({ page, context } = await open({ auto: 'help', lang, tall: '900' }, size));
        await form(page).locator('h2').waitFor();
        await page.locator('#before').focus();
        await form(page).locator('.x').focus();
        await page.keyboard.press('Enter');
        await page.screenshot({ path: `${SHOTS}/closed-focus-${at}.png` });
        await context.close();
        // 8: per-type errors.
        ({ page, context } = await open({ show: 'signup', lang }, size));
        await form(page).locator('button[type=submit]').click();
        await page.screenshot({ path: `${SHOTS}/errors-per-type-${at}.png` });
        await context.close();
        // 9: sent offline.
        ({ page, context } = await open({ inline: 'newsletter', lang }, size));
        const f = form(page);
        await f.getByRole('checkbox').waitFor();
        await wait(page, 1_600);
        await context.setOffline(true);
        await f.getByLabel('Email').fill('offline@example.com');
        await f.getByRole('checkbox').check();
        await f.locator('button[type=submit]').click();
        await f.getByRole('status').scrollIntoViewIfNeeded();
        await page.screenshot({ path: `${SHOTS}/offline-${at}.png` });
        await context.close();
      }
    }
  });
});
