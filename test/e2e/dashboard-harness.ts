/** A collector with demo data and the built dashboard, plus a signed-in Chromium page, for e2e tests. */
import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import { serveStatic } from '@hono/node-server/serve-static';
import { Hono } from 'hono';
import type { Browser, Page } from 'playwright-core';
import { seedDemoData } from '../../collector/demo-data.ts';
import { launchBrowser } from '../helpers/browser.ts';
import { type RunningCollector, startCollector } from '../helpers/server.ts';

export const SHOTS = join(process.cwd(), 'test-results', 'dashboard');
export const HOSTILE = '<img src=x onerror=alert(1)>';

/**
 * The origin serving /dashboard/: the collector itself once it serves the built dashboard (static
 * routes), otherwise a small front that serves dist/dashboard and forwards everything else.
 */
async function dashboardOrigin(
  c: RunningCollector,
): Promise<{ url: string; close(): Promise<void> }> {
  const probe = await fetch(`${c.url}/dashboard/`);
  if (probe.ok && (probe.headers.get('content-type') ?? '').includes('text/html'))
    return { url: c.url, close: async () => {} };
  const front = new Hono();
  front.use('/dashboard/*', serveStatic({ root: './dist' }));
  front.all('*', async (ctx) => {
    const u = new URL(ctx.req.url);
    const init: RequestInit = { method: ctx.req.method, headers: ctx.req.raw.headers };
    if (!['GET', 'HEAD'].includes(ctx.req.method)) init.body = await ctx.req.arrayBuffer();
    return fetch(`${c.url}${u.pathname}${u.search}`, init);
  });
  let server!: ReturnType<typeof serve>;
  const port = await new Promise<number>((resolve) => {
    server = serve({ fetch: front.fetch, port: 0, hostname: '127.0.0.1' }, (i: AddressInfo) =>
      resolve(i.port),
    );
  });
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

export interface DashboardRig {
  collector: RunningCollector;
  browser: Browser;
  url: string;
  /**
   * A new page signed in with the site's secret key, with every dialog recorded and dismissed
   * (accepted with `accept`: a confirm() answered OK).
   */
  signedIn(width?: number, accept?: boolean): Promise<{ page: Page; dialogs: string[] }>;
  close(): Promise<void>;
}

/**
 * Starts everything: demo data, a hostile-named lead and hostile report strings included. The
 * site also allows `origins` (pages with the tag served elsewhere).
 */
export async function startDashboard(origins: string[] = []): Promise<DashboardRig> {
  mkdirSync(SHOTS, { recursive: true });
  const collector = await startCollector({ workers: true, origins });
  const siteId = collector.site.id;
  await seedDemoData({ store: collector.store, clock: () => new Date() }, siteId);
  // Strings from the API are data: a lead's name, a lost reason and a form id carry markup.
  const { rows } = await collector.store.query<{ lead_id: string }>(
    `select lead_id from leads where site_id = $1 and stage = 'lost' order by lead_id limit 1`,
    [siteId],
  );
  const victim = rows[0]!.lead_id;
  await collector.store.query(
    `update leads set name = $3, traits = traits || jsonb_build_object('name', $3::text, 'company', $3::text)
      where site_id = $1 and lead_id = $2`,
    [siteId, victim, HOSTILE],
  );
  await collector.store.query(
    `update stage_history set reason = $3 where site_id = $1 and lead_id = $2 and to_stage = 'lost'`,
    [siteId, victim, HOSTILE],
  );
  await collector.store.query(
    `update events set name = $2 where site_id = $1 and type like 'form_%' and name = 'ebook'`,
    [siteId, HOSTILE],
  );
  const origin = await dashboardOrigin(collector);
  const browser = await launchBrowser();
  return {
    collector,
    browser,
    url: origin.url,
    async signedIn(width = 1280, accept = false) {
      const page = await browser.newPage({ viewport: { width, height: 900 } });
      const dialogs: string[] = [];
      page.on('dialog', (d) => {
        dialogs.push(d.message());
        void (accept ? d.accept() : d.dismiss());
      });
      await page.goto(`${origin.url}/dashboard/`);
      await page.getByLabel('Secret key').fill(collector.site.secretKey);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('navigation', { name: 'Sections' }).waitFor();
      return { page, dialogs };
    },
    async close() {
      await browser.close();
      await origin.close();
      await collector.dispose();
    },
  };
}

/** What has keyboard focus, as `tag#id:text` (`h1:Leads`, `input#key:`), for focus assertions. */
export function focused(page: Page): Promise<string> {
  return page.evaluate(() => {
    const a = document.activeElement;
    if (!a) return '';
    const text = (a.textContent ?? '').trim().replace(/\s+/g, ' ').slice(0, 60);
    return `${a.tagName.toLowerCase()}${a.id ? `#${a.id}` : ''}:${text}`;
  });
}

/** RFC 4180 rows: quoted cells may hold commas, doubled quotes and line breaks. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  const endCell = () => {
    row.push(cell);
    cell = '';
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted && ch === '"' && text[i + 1] === '"') {
      cell += '"';
      i++;
    } else if (ch === '"') quoted = !quoted;
    else if (quoted) cell += ch;
    else if (ch === ',') endCell();
    else if (ch === '\n') {
      endCell();
      rows.push(row);
      row = [];
    } else if (ch !== '\r') cell += ch;
  }
  if (cell || row.length) {
    endCell();
    rows.push(row);
  }
  return rows;
}
