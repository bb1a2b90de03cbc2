/**
 * A site on fake hosts for the tag audit's browser tests: this process serves its pages, the
 * built /tp.js and a fake collector that records every request. Real requests, because the
 * beacons of a page being left never reach Playwright's routing; `*.shop.test` is treated as
 * secure (Web Locks, as on an https site), localhost and 127.0.0.1 are themselves.
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { CHROMIUM } from '../helpers/browser.ts';

export const SNIPPET = `<script>window.touchpoint=window.touchpoint||function(){(touchpoint.q=touchpoint.q||[]).push(arguments)}</script>`;

/** A page of the site with the tag (`attrs` on its script element), `body` after it. */
export const tagged = (attrs = '', body = '') =>
  `<!doctype html><title>Shop</title><script async src="/tp.js" data-site="pk_x" ${attrs}></script>${SNIPPET}<body>${body}`;

/** For positive waits: generous, they end as soon as what is awaited happens. */
export const T = { timeout: 10_000 };

export type Tag = { touchpoint(...a: unknown[]): void };
/** Runs one tag command in the page, as the page's own script would. */
export const tp = (page: Page, ...args: unknown[]) =>
  page.evaluate((a) => (window as unknown as Tag).touchpoint(...a), args);
/** Waits until the real tag has replaced the stub. */
export const ready = (page: Page) =>
  page.waitForFunction(() => (window as unknown as { touchpoint?: { tp?: 1 } }).touchpoint?.tp);
/** The tag's localStorage entry, parsed (null when there is none). */
export const local = (page: Page) => page.evaluate(() => JSON.parse(localStorage._tp ?? 'null'));
export const cookieNames = async (ctx: BrowserContext) => (await ctx.cookies()).map((c) => c.name);

/** An init script: the page's Date.now (what the tag reads) moves on with `later`. */
export const clock = () => {
  const real = Date.now;
  const w = window as unknown as { skew: number };
  w.skew = 0;
  Date.now = () => real() + w.skew;
};
/** Lets `ms` pass on the page's clock (`clock` installed). */
export const later = (page: Page, ms: number) =>
  page.evaluate((ms) => {
    (window as unknown as { skew: number }).skew += ms;
  }, ms);

/** An event as the collector received it. */
export interface Sent {
  id: string;
  type: string;
  name?: string;
  url: string;
  sessionId: string;
  anonymousId: string;
  properties: { scroll?: number; engagedMs?: number };
}

export interface AuditSite {
  /** The page at a URL (set by each test; `reset` restores a tagged page). */
  page: (u: URL) => string;
  /** Awaited before the collector answers 202 (a slow collector). */
  hold: () => Promise<unknown>;
  /** Every request to /v1/collect: its fetch mode (`no-cors`: a beacon) and its events. */
  hits: { mode?: string; events: Sent[] }[];
  url(host: string, path?: string): string;
  /** Events about pages of `host`, each once (the collector dedupes ids). */
  got(host: string): Sent[];
  views(host: string, path: string): Sent[];
  engagements(host: string, path: string): Sent[];
  /** Names of `host`'s events (the type of those without one). */
  named(host: string): string[];
  /** A visitor (a fresh profile); `tab()` opens a page whose errors land in `errors`. */
  visitor(options?: Parameters<Browser['newContext']>[0]): Promise<{
    ctx: BrowserContext;
    errors: string[];
    tab(): Promise<Page>;
  }>;
  reset(): void;
  close(): Promise<void>;
}

/**
 * Serves the site and launches Chromium with the back-forward cache on (Playwright turns it off;
 * visitors have it).
 *
 * @example const site = await auditSite(); const v = await site.visitor(); await (await v.tab()).goto(site.url('www.shop.test'));
 */
export async function auditSite(): Promise<AuditSite> {
  const tag = readFileSync(join(process.cwd(), 'dist/tp.js'));
  const contexts: BrowserContext[] = [];
  const server = createServer((req, res) => {
    const u = new URL(req.url ?? '/', `http://${req.headers.host}`);
    let body = '';
    req.on('data', (d) => {
      body += d;
    });
    req.on('end', async () => {
      if (u.pathname === '/tp.js') {
        res.setHeader('content-type', 'text/javascript');
        return res.end(tag);
      }
      if (u.pathname.startsWith('/v1/')) {
        // A sandboxed frame's origin is `null`.
        res.setHeader('access-control-allow-origin', req.headers.origin ?? '*');
        await site.hold();
        const mode = req.headers['sec-fetch-mode'] as string | undefined;
        site.hits.push({ mode, events: JSON.parse(body || '{}').events ?? [] });
        res.writeHead(202, { 'content-type': 'application/json' });
        return res.end('{"accepted":1}');
      }
      res.setHeader('content-type', 'text/html; charset=utf-8');
      res.end(site.page(u));
    });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const port = (server.address() as AddressInfo).port;
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    ignoreDefaultArgs: ['--disable-back-forward-cache'],
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--host-resolver-rules=MAP *.shop.test 127.0.0.1',
      '--unsafely-treat-insecure-origin-as-secure=*.shop.test',
    ],
  });
  const of = (type: string) => (host: string, path: string) =>
    site.got(host).filter((e) => e.type === type && new URL(e.url).pathname === path);
  const site: AuditSite = {
    page: () => tagged(),
    hold: async () => {},
    hits: [],
    url: (host, path = '/') => `http://${host}:${port}${path}`,
    got: (host) => [
      ...new Map(
        site.hits
          .flatMap((h) => h.events)
          .filter((e) => new URL(e.url).hostname === host)
          .map((e) => [e.id, e]),
      ).values(),
    ],
    views: of('pageview'),
    engagements: of('engagement'),
    named: (host) => site.got(host).map((e) => e.name ?? e.type),
    async visitor(options) {
      const ctx = await browser.newContext(options);
      contexts.push(ctx);
      const errors: string[] = [];
      const tab = async () => {
        const page = await ctx.newPage();
        page.on('pageerror', (e) => errors.push(String(e)));
        return page;
      };
      return { ctx, errors, tab };
    },
    reset() {
      site.page = () => tagged();
      site.hold = async () => {};
      // A retried test starts from what it sends itself.
      site.hits.length = 0;
    },
    async close() {
      for (const c of contexts) await c.close().catch(() => {});
      await browser.close();
      server.closeAllConnections();
      server.close();
    },
  };
  return site;
}
