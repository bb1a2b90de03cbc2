/**
 * The setup every Chromium test of the forms chunk shares: a real collector with the demo forms
 * (and the test's own), the test pages of `test/forms/pages.ts`, and Chromium. `open()` loads a
 * page once the chunk has its config, as a visitor would be reading the page by then.
 */
import { mkdirSync } from 'node:fs';
import type {
  Browser,
  BrowserContext,
  BrowserContextOptions,
  CDPSession,
  Page,
} from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { DEMO_FORMS } from '../../collector/forms/demo.ts';
import type { FormDefinition } from '../../shared/forms.ts';
import { type PageServer, startPages } from '../forms/pages.ts';
import { launchBrowser } from '../helpers/browser.ts';
import { createForms, type RunningCollector, startCollector } from '../helpers/server.ts';

/** Where the screenshots go (looked at by people, not compared). */
export const SHOTS = 'test-results/forms';

export type TpWindow = {
  __tp: {
    events: { type: string; name: string; properties?: Record<string, unknown> }[];
    statuses: unknown[];
    show(id: string): void;
  };
  axe: {
    run(
      ctx: unknown,
      opts: unknown,
    ): Promise<{ passes: unknown[]; violations: { id: string; nodes: { target: unknown }[] }[] }>;
  };
};

/** Forms of the other kinds, each armed only on pages that name it (`auto=help`, `auto=offer`). */
const KINDS: FormDefinition[] = [
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

/** What the test page's FormsHost recorded: events, submission statuses. */
export const tp = (page: Page) => page.evaluate(() => (window as unknown as TpWindow).__tp);

/** Locators pierce open shadow roots. */
export const form = (page: Page) => page.locator('tp-form');

/** Desktop exit intent: the pointer leaves through the top of the viewport. */
export const exitIntent = (page: Page) =>
  page.evaluate(() =>
    document.dispatchEvent(new MouseEvent('mouseout', { clientY: -1, relatedTarget: null })),
  );

/** The element with focus, looking into shadow roots: `tag:name-or-class`, or a page element's id. */
export const focused = (page: Page) =>
  page.evaluate(() => {
    const host = document.activeElement;
    const inner = host?.shadowRoot?.activeElement;
    return inner
      ? `${inner.tagName.toLowerCase()}:${inner.getAttribute('name') ?? inner.className}`
      : host?.id;
  });

/** A phone: touch screen, 375×640. */
export const PHONE = { width: 375, height: 640, isMobile: true, hasTouch: true };
/** Popups on screen. */
export const dialogs = (page: Page) => page.locator('tp-form [role=dialog]').count();
export const wait = (page: Page, ms: number) => page.waitForTimeout(ms);
/** The types of the events the form sent (`form_view`, `form_dismiss`). */
export const eventTypes = async (page: Page) => (await tp(page)).events.map((e) => e.type);
/** What the chunk stored in localStorage, as text. */
export const storedMemory = (page: Page) =>
  page.evaluate(() =>
    Object.keys(localStorage)
      .filter((k) => k.startsWith('tp_forms_'))
      .map((k) => localStorage.getItem(k))
      .join(),
  );

/**
 * True once the page's document has a `type` listener (read through the DevTools protocol) and
 * the page has drawn two frames since: the forms chunk arms a trigger a moment after its config
 * arrives, later on a loaded machine, and a gesture made before then proves nothing.
 *
 * @example await expect.poll(() => listens(page, 'touchstart')).toBe(true);
 */
export async function listens(page: Page, type: string): Promise<boolean> {
  const cdp = await page.context().newCDPSession(page);
  try {
    const { result } = await cdp.send('Runtime.evaluate', { expression: 'document' });
    const { listeners } = await cdp.send('DOMDebugger.getEventListeners', {
      objectId: result.objectId!,
    });
    if (!listeners.some((l) => l.type === type)) return false;
    // The browser sends touches to the page only where its compositor knows of a handler, and
    // learns of a new one with the next frames (late on a loaded machine): wait for two.
    await page.evaluate(
      () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))),
    );
    return true;
  } finally {
    await cdp.detach();
  }
}

/** A finger on the screen (Chromium scrolls the page from it, with the glide after a flick). */
export const finger = async (page: Page) => {
  const cdp: CDPSession = await page.context().newCDPSession(page);
  const send = (type: 'touchStart' | 'touchMove' | 'touchEnd', x?: number, y?: number) =>
    cdp.send('Input.dispatchTouchEvent', {
      type,
      touchPoints: x === undefined ? [] : [{ x, y: y ?? 0 }],
    });
  return {
    /** Drags from `from` to `to` in `steps` moves, pausing `pause` ms after each. */
    async drag(from: [number, number], to: [number, number], steps: number, pause = 0) {
      await send('touchStart', ...from);
      for (let i = 1; i <= steps; i++) {
        await send(
          'touchMove',
          from[0] + ((to[0] - from[0]) * i) / steps,
          from[1] + ((to[1] - from[1]) * i) / steps,
        );
        if (pause) await wait(page, pause);
      }
      await send('touchEnd');
    },
  };
};

/**
 * Registers the suite's `beforeAll`/`afterAll`. The demo forms, a slide-in `help` and a bar
 * `offer` are defined, then `forms`. The demo popup (exit intent) is armed only on pages with
 * `auto=demo`, the others likewise; `forms` should target their pages the same way.
 *
 * @example const h = formsHarness(EXTRA); const { page, context } = await h.open({ show: 'demo' });
 */
export function formsHarness(forms: FormDefinition[] = []) {
  let collector: RunningCollector;
  let pages: PageServer;
  let browser: Browser;
  /** Launched on first use: a browser whose pages have classic scrollbars. */
  let scrolling: Promise<Browser> | undefined;

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    pages = await startPages();
    collector = await startCollector({ origins: [pages.url] });
    const demo = { ...DEMO_FORMS[1]!, targeting: { include: ['/page?*auto=demo*'] } };
    await createForms(collector, [DEMO_FORMS[0]!, demo, ...KINDS, ...forms]);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await (await scrolling)?.close();
    await collector?.dispose();
    await pages?.close();
  });

  return {
    get collector() {
      return collector;
    },
    /**
     * Opens `/page?…params` in a new context (1280×800, en-US unless `ctx` says otherwise; with
     * `scrollbars`, in a browser whose scrollbars take room).
     */
    async open(
      params: Record<string, string>,
      ctx: BrowserContextOptions & { width?: number; height?: number; scrollbars?: boolean } = {},
    ): Promise<{ page: Page; context: BrowserContext }> {
      const { width = 1280, height = 800, scrollbars, ...options } = ctx;
      if (scrollbars) scrolling ??= launchBrowser({ scrollbars });
      const context = await (scrollbars ? await scrolling! : browser).newContext({
        viewport: { width, height },
        locale: 'en-US',
        ...options,
      });
      const page = await context.newPage();
      page.on('pageerror', (e) => console.error('page error', e));
      const q = new URLSearchParams({
        pk: collector.site.publicKey,
        collector: collector.url,
        ...params,
      });
      const config = page.waitForResponse((r) => r.url().includes('/config'));
      await page.goto(`${pages.url}/page?${q}`);
      await config;
      await page.evaluate(() => new Promise((r) => setTimeout(r, 50)));
      return { page, context };
    },
    /** The submissions stored for an anonymous id. */
    async submissionsOf(anon: string) {
      return (
        await collector.store.query<{
          form_id: string;
          status: string;
          field_values: Record<string, unknown>;
        }>('select form_id, status, field_values from form_submissions where anonymous_id = $1', [
          anon,
        ])
      ).rows;
    },
  };
}
