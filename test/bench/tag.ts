/**
 * The tag's main-thread cost at page load in real Chromium: the same page loaded with and without
 * the tag in fresh contexts, CDP `Performance.getMetrics` ScriptDuration (script compile +
 * evaluation + everything the tag runs at init) after load, the difference of the medians; and
 * the bytes of `/tp.js` on the wire from Resource Timing.
 */
import { existsSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { hasChromium, launchBrowser } from '../helpers/browser.ts';
import { ORIGIN, startTarget } from './ingest.ts';

export interface TagCost {
  loads: number;
  /** Median main-thread script time of a page with the tag, minus the same page without (ms). */
  scriptMs: number;
  /** Median total task time difference (script + style + layout the tag causes, ms). */
  taskMs: number;
  /** Bytes of /tp.js on the wire (transferSize: headers + body as sent) and its body. */
  transferBytes: number;
  encodedBytes: number;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const page = (tag: string) => `<!doctype html><html><head><title>Bench</title>${tag}</head>
<body><h1>Pricing</h1><p>${'Plain content. '.repeat(200)}</p></body></html>`;

async function load(browser: Browser, html: string) {
  const ctx = await browser.newContext();
  try {
    const p = await ctx.newPage();
    await p.route(`${ORIGIN}/**`, (r) => r.fulfill({ contentType: 'text/html', body: html }));
    const cdp = await ctx.newCDPSession(p);
    await cdp.send('Performance.enable');
    await p.goto(`${ORIGIN}/pricing`, { waitUntil: 'load' });
    await p.waitForTimeout(300); // the tag's init after load (first pageview sent)
    const { metrics } = await cdp.send('Performance.getMetrics');
    const m = (name: string) => (metrics.find((x) => x.name === name)?.value ?? 0) * 1000;
    const wire = await p.evaluate(() => {
      const e = performance.getEntriesByType('resource').find((r) => r.name.endsWith('/tp.js')) as
        | PerformanceResourceTiming
        | undefined;
      return e ? { transfer: e.transferSize, encoded: e.encodedBodySize } : null;
    });
    return { script: m('ScriptDuration'), task: m('TaskDuration'), wire };
  } finally {
    await ctx.close();
  }
}

/**
 * Measures the tag over `loads` page loads (null when `dist/tp.js` is not built or Chromium is
 * missing).
 *
 * @example const cost = await tagCost(15);
 */
export async function tagCost(loads: number): Promise<TagCost | null> {
  if (!existsSync('dist/tp.js') || !hasChromium) return null;
  const t = await startTarget('pglite');
  const browser = await launchBrowser();
  try {
    const snippet = `<script async src="${t.url}/tp.js" data-site="${t.site}"></script>
<script>window.touchpoint=window.touchpoint||function(){(touchpoint.q=touchpoint.q||[]).push(arguments)}</script>`;
    const withTag: number[] = [];
    const without: number[] = [];
    const taskWith: number[] = [];
    const taskWithout: number[] = [];
    let wire: { transfer: number; encoded: number } | null = null;
    await load(browser, page(snippet)); // warm the browser process, not the page (fresh contexts)
    for (let i = 0; i < loads; i++) {
      const a = await load(browser, page(snippet));
      const b = await load(browser, page(''));
      withTag.push(a.script);
      taskWith.push(a.task);
      without.push(b.script);
      taskWithout.push(b.task);
      wire = a.wire ?? wire;
    }
    const r = (x: number) => Math.round(x * 100) / 100;
    return {
      loads,
      scriptMs: r(Math.max(0, median(withTag) - median(without))),
      taskMs: r(Math.max(0, median(taskWith) - median(taskWithout))),
      transferBytes: wire?.transfer ?? 0,
      encodedBytes: wire?.encoded ?? 0,
    };
  } finally {
    await browser.close();
    await t.stop();
  }
}
