/**
 * Touch screens and the popup backdrop in real Chromium, as a visitor notices them: exit intent
 * never opens on a link tap or ordinary scrolling, but on a flick up or a swipe from the left
 * edge; neither the tap that opened a popup nor a text selection dragged out of a field closes it.
 */
import { describe, expect, it } from 'vitest';
import { hasChromium } from '../helpers/browser.ts';
import {
  dialogs,
  eventTypes,
  finger,
  form,
  formsHarness,
  listens,
  PHONE,
  storedMemory,
  type TpWindow,
  wait,
} from './forms-harness.ts';

describe.skipIf(!hasChromium)('forms on touch screens and the popup backdrop, in Chromium', () => {
  const { open } = formsHarness();

  describe('exit intent on a phone', () => {
    it('a "back to top" link, smooth or not, a script or a slow drag never opens it', async () => {
      for (const smooth of [false, true]) {
        const { page, context } = await open(
          { auto: 'demo', tall: '4000', ...(smooth ? { smooth: '1' } : {}) },
          PHONE,
        );
        const { drag } = await finger(page);
        await page.evaluate(() => scrollTo({ top: 2500, behavior: 'instant' }));
        await wait(page, 300);
        // The reader flicks on down to the end and taps "Back to top" as the page settles.
        await drag([180, 500], [180, 200], 3);
        await wait(page, 400);
        await page.locator('#totop').tap();
        await wait(page, 1_200);
        expect(await page.evaluate(() => scrollY)).toBeLessThan(100);
        expect(await dialogs(page), `smooth: ${smooth}`).toBe(0);
        // A script scrolls back up 200 px over 150 ms (what the audit's re-read did).
        await page.evaluate(async () => {
          scrollTo({ top: 1200, behavior: 'instant' });
          await new Promise((r) => setTimeout(r, 400));
          for (let i = 1; i <= 10; i++) {
            scrollTo({ top: 1200 - i * 20, behavior: 'instant' });
            await new Promise((r) => setTimeout(r, 15));
          }
        });
        // The reader drags back 200 px, slowly, to re-read a paragraph.
        await wait(page, 1_100);
        await drag([180, 200], [180, 400], 10, 20);
        await wait(page, 600);
        expect(await dialogs(page), `smooth: ${smooth}`).toBe(0);
        expect(await eventTypes(page)).toEqual([]);
        await context.close();
      }
    });

    it('a finger flicking the page far back up opens it', async () => {
      const { page, context } = await open({ auto: 'demo', tall: '4000' }, PHONE);
      await expect.poll(() => listens(page, 'touchmove'), { timeout: 10_000 }).toBe(true);
      await page.evaluate(() => scrollTo({ top: 2500, behavior: 'instant' }));
      await wait(page, 1_100);
      await (await finger(page)).drag([180, 120], [180, 520], 4);
      await page.locator('tp-form [role=dialog]').waitFor({ timeout: 10_000 });
      expect(await eventTypes(page)).toEqual(['form_view']);
      await context.close();
    });

    it('a tap near the left edge neither opens nor dismisses it; a swipe from the edge opens it', async () => {
      const { page, context } = await open({ auto: 'demo', tall: '1500' }, PHONE);
      // Exit intent armed (its edge listeners in place) before the tap: else the tap proves nothing.
      await expect.poll(() => listens(page, 'touchmove'), { timeout: 10_000 }).toBe(true);
      await page.touchscreen.tap(8, 300);
      await wait(page, 700);
      expect(await dialogs(page)).toBe(0);
      expect(await eventTypes(page)).toEqual([]);
      expect(await storedMemory(page)).not.toContain('dismissedAt');
      // The browser's back gesture: from the edge to the right.
      await (await finger(page)).drag([6, 300], [160, 310], 5);
      await page.locator('tp-form [role=dialog]').waitFor({ timeout: 10_000 });
      await wait(page, 700);
      expect(await dialogs(page)).toBe(1);
      expect(await eventTypes(page)).toEqual(['form_view']);
      await context.close();
    });
  });

  describe('the popup backdrop', () => {
    it('the tap that opened a popup does not close it (its click lands on the backdrop)', async () => {
      const { page, context } = await open({ anon: 'anon-tap' }, PHONE);
      // A popup that opens as a finger touches the screen (the old edge trigger did).
      await page.evaluate(() =>
        document.addEventListener(
          'touchstart',
          () => (window as unknown as TpWindow).__tp.show('demo'),
          { once: true },
        ),
      );
      await page.touchscreen.tap(6, 320);
      await page.locator('tp-form [role=dialog]').waitFor();
      await wait(page, 700);
      expect(await dialogs(page)).toBe(1);
      expect(await eventTypes(page)).toEqual(['form_view']);
      expect(await storedMemory(page)).not.toContain('dismissedAt');
      await context.close();
    });

    it('a text selection dragged out of a field onto the backdrop keeps the popup and the text', async () => {
      const { page, context } = await open({ show: 'demo' });
      const name = form(page).getByLabel('Full name');
      await name.fill('Nguyen Van A with a long typed name');
      await wait(page, 600);
      const box = (await name.boundingBox())!;
      await page.mouse.move(box.x + box.width - 10, box.y + box.height / 2);
      await page.mouse.down();
      await page.mouse.move(box.x - 150, box.y + box.height / 2, { steps: 5 });
      await page.mouse.up();
      await wait(page, 300);
      expect(await dialogs(page)).toBe(1);
      expect(await name.inputValue()).toBe('Nguyen Van A with a long typed name');
      expect(await eventTypes(page)).not.toContain('form_dismiss');
      // A plain click on the backdrop still closes it.
      await page.mouse.click(100, 100);
      await expect.poll(() => dialogs(page)).toBe(0);
      expect(await eventTypes(page)).toContain('form_dismiss');
      await context.close();
    });
  });
});
