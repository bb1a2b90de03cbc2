/**
 * The tag's main-thread cost at page load in real Chromium: the same page loaded with and without
 * the tag in fresh contexts, CDP `Performance.getMetrics` ScriptDuration (script compile +
 * evaluation + everything the tag runs at init) after load, the difference of the medians — for
 * a first visit (a fresh browser profile: its first localStorage, cookie and IndexedDB access
 * opens the origin's storage) and for a returning visitor's next page (same profile, second
 * page); and the bytes of `/tp.js` on the wire as the collector sends it.
 */
import { existsSync } from 'node:fs';
import { get } from 'node:http';
import type { Browser } from 'playwright-core';
import { hasChromium, launchBrowser } from '../helpers/browser.ts';
import { ORIGIN, startTarget } from './ingest.ts';

export interface TagCost {
  loads: number;
  /** Median main-thread script time of a page with the tag, minus the same page without (ms). */
  scriptMs: number;
  /** Median total task time difference (script + style + layout the tag causes, ms). */
  taskMs: number;
  /** The same as scriptMs for a returning visitor's next page (storage already open). */
  returningScriptMs: number;
  /**
   * The platform floor: scriptMs and returningScriptMs of a script that makes only the calls
   * the tag must make at load (FLOOR_JS), none of its logic — what no durable tag can go under.
   */
  floorScriptMs: number;
  floorReturningScriptMs: number;
  /** Bytes of /tp.js on the wire to a browser (status line, headers and body), its body, and
   * the content encoding the collector chose. */
  transferBytes: number;
  encodedBytes: number;
  encoding: string;
}

/**
 * The least a tag that keeps the promises does at load, as one async script: a random id,
 * the id cookie and its localStorage mirror read and written, the listeners (navigation, hide,
 * scroll, clicks, online), the pageview persisted to IndexedDB before it is sent, one POST.
 */
const FLOOR_JS = `(() => {
  const id = [...crypto.getRandomValues(new Uint32Array(4))].map((n) => n.toString(36)).join('');
  const had = /_tp_id=/.test(document.cookie) || localStorage._tp;
  document.cookie = '_tp_id=' + id + ';path=/;max-age=31536000;samesite=lax';
  localStorage._tp = JSON.stringify({ id, had: !!had });
  for (const t of ['DOMContentLoaded', 'online', 'visibilitychange', 'pagehide', 'pageshow', 'scroll', 'click', 'popstate'])
    addEventListener(t, () => {});
  const ev = { id, type: 'pageview', url: location.href, referrer: document.referrer, title: document.title };
  const r = indexedDB.open('touchpoint');
  r.onupgradeneeded = () => r.result.createObjectStore('q');
  r.onsuccess = () => {
    const tx = r.result.transaction('q', 'readwrite');
    tx.objectStore('q').put([ev], 0);
    tx.oncomplete = () =>
      fetch(location.origin + '/v1/collect', { method: 'POST', body: JSON.stringify({ events: [ev] }) });
  };
})();`;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const page = (tag: string) => `<!doctype html><html><head><title>Bench</title>${tag}</head>
<body><h1>Pricing</h1><p>${'Plain content. '.repeat(200)}</p></body></html>`;

/** GET `url` as a browser would (gzip and br accepted), counting the raw bytes received. */
function wireBytes(url: string): Promise<{ transfer: number; body: number; encoding: string }> {
  return new Promise((resolve, reject) => {
    get(url, { headers: { 'accept-encoding': 'gzip, deflate, br' } }, (res) => {
      let body = 0;
      res.on('data', (c: Buffer) => {
        body += c.length;
      });
      res.on('end', () => {
        const head = res.rawHeaders.reduce((n, h) => n + h.length + 2, 0) + 17;
        const encoding = String(res.headers['content-encoding'] ?? 'identity');
        resolve({ transfer: head + body, body, encoding });
      });
    }).on('error', reject);
  });
}

/**
 * Loads the page in a fresh context. Everything comes from the page's own origin (an https page
 * cannot load an http script): the page, `/tp.js` as the collector served it, and collector
 * answers (config, 202), so only the tag's own work differs between the two loads.
 */
async function load(browser: Browser, html: string, tagJs: Buffer, returning = false) {
  const ctx = await browser.newContext();
  try {
    await ctx.route(`${ORIGIN}/**`, (r) => {
      const path = new URL(r.request().url()).pathname;
      if (path === '/tp.js') return r.fulfill({ contentType: 'text/javascript', body: tagJs });
      if (path === '/floor.js')
        return r.fulfill({ contentType: 'text/javascript', body: FLOOR_JS });
      if (path.startsWith('/v1/'))
        return r.request().method() === 'GET'
          ? r.fulfill({ contentType: 'application/json', body: '{"forms":[],"settings":{}}' })
          : r.fulfill({ status: 202, contentType: 'application/json', body: '{"accepted":1}' });
      return r.fulfill({ contentType: 'text/html', body: html });
    });
    if (returning) {
      const first = await ctx.newPage();
      await first.goto(`${ORIGIN}/`, { waitUntil: 'load' });
      await first.waitForTimeout(300);
      await first.close();
    }
    const p = await ctx.newPage();
    const cdp = await ctx.newCDPSession(p);
    await cdp.send('Performance.enable');
    await p.goto(`${ORIGIN}/pricing`, { waitUntil: 'load' });
    await p.waitForTimeout(300); // the tag's init after load (first pageview sent)
    const { metrics } = await cdp.send('Performance.getMetrics');
    const m = (name: string) => (metrics.find((x) => x.name === name)?.value ?? 0) * 1000;
    return { script: m('ScriptDuration'), task: m('TaskDuration') };
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
    const tagJs = Buffer.from(await (await fetch(`${t.url}/tp.js`)).arrayBuffer());
    const wire = await wireBytes(`${t.url}/tp.js`);
    const snippet = `<script async src="${ORIGIN}/tp.js" data-site="${t.site}"></script>
<script>window.touchpoint=window.touchpoint||function(){(touchpoint.q=touchpoint.q||[]).push(arguments)}</script>`;
    const withTag: number[] = [];
    const without: number[] = [];
    const taskWith: number[] = [];
    const taskWithout: number[] = [];
    const returning: number[] = [];
    const returningWithout: number[] = [];
    const floor: number[] = [];
    const floorReturning: number[] = [];
    const floorPage = page(`<script async src="${ORIGIN}/floor.js"></script>`);
    await load(browser, page(snippet), tagJs); // warms the browser process (contexts are fresh)
    for (let i = 0; i < loads; i++) {
      const a = await load(browser, page(snippet), tagJs);
      const b = await load(browser, page(''), tagJs);
      withTag.push(a.script);
      taskWith.push(a.task);
      without.push(b.script);
      taskWithout.push(b.task);
      returning.push((await load(browser, page(snippet), tagJs, true)).script);
      returningWithout.push((await load(browser, page(''), tagJs, true)).script);
      floor.push((await load(browser, floorPage, tagJs)).script);
      floorReturning.push((await load(browser, floorPage, tagJs, true)).script);
    }
    const r = (x: number) => Math.round(x * 100) / 100;
    return {
      loads,
      scriptMs: r(Math.max(0, median(withTag) - median(without))),
      taskMs: r(Math.max(0, median(taskWith) - median(taskWithout))),
      returningScriptMs: r(Math.max(0, median(returning) - median(returningWithout))),
      floorScriptMs: r(Math.max(0, median(floor) - median(without))),
      floorReturningScriptMs: r(Math.max(0, median(floorReturning) - median(returningWithout))),
      transferBytes: wire.transfer,
      encodedBytes: wire.body,
      encoding: wire.encoding,
    };
  } finally {
    await browser.close();
    await t.stop();
  }
}
