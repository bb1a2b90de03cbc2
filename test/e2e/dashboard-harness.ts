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

export { parseCsv } from '../helpers/csv.ts';

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
   * (accepted with `accept`: a confirm() answered OK), in a browser whose language is `locale`.
   */
  signedIn(
    width?: number,
    accept?: boolean,
    locale?: string,
  ): Promise<{ page: Page; dialogs: string[] }>;
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
    async signedIn(width = 1280, accept = false, locale = 'en-US') {
      const page = await browser.newPage({ viewport: { width, height: 900 }, locale });
      const dialogs: string[] = [];
      page.on('dialog', (d) => {
        dialogs.push(d.message());
        void (accept ? d.accept() : d.dismiss());
      });
      await page.goto(`${origin.url}/dashboard/`);
      // By id and type, not by their English names: a Vietnamese browser gets Vietnamese ones.
      await page.locator('#key').fill(collector.site.secretKey);
      await page.locator('form button[type=submit]').click();
      await page.locator('header.top nav').waitFor();
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

/** A page of the dashboard: its route, an element showing it has loaded, `h1` if a person names it. */
export type DashboardPage = readonly [route: string, ready: string, named: '' | 'h1'];

/**
 * Every page of the dashboard, for checks that visit them all (a customer's lead and its
 * browser; the `newsletter` popup form, defined here, in the form editor).
 */
export async function everyPage(rig: DashboardRig): Promise<DashboardPage[]> {
  const { store, site, url } = rig.collector;
  const { rows } = await store.query<{ lead_id: string; anonymous_id: string }>(
    `select l.lead_id, al.anonymous_id from leads l
       join anonymous_links al on al.site_id = l.site_id and al.lead_id = l.lead_id
      where l.site_id = $1 and l.stage = 'customer' order by l.lead_id limit 1`,
    [site.id],
  );
  const { lead_id: leadId, anonymous_id: anon } = rows[0]!;
  const res = await fetch(`${url}/v1/forms/newsletter`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${site.secretKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      name: 'Newsletter',
      kind: 'popup',
      fields: [
        { name: 'email', type: 'email', required: true },
        { name: 'topic', type: 'select', options: [{ value: 'a' }, { value: 'b' }] },
      ],
    }),
  });
  if (!res.ok) throw new Error(`newsletter form: HTTP ${res.status}`);
  return [
    ['leads', 'table.leads tbody tr', ''],
    [`leads/${leadId}`, '.timeline li', 'h1'],
    ['visitors', 'table.visitors tbody tr', ''],
    [`visitors/${anon}`, '.timeline li', 'h1'],
    ['reports', '.chart svg', ''],
    ['setup', 'table.compact tbody tr', ''],
    ['setup/forms/newsletter', 'form.editor input', ''],
    ['setup/new-form', 'form.editor input', ''],
    ['setup/scoring', 'form.editor input', ''],
    ['webhooks', 'form.editor input', ''],
  ];
}
