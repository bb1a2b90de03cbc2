/**
 * SIGKILL the collector while real Chromium pages run the built tag (`dist/tp.js`): after a
 * restart on the same address, the tags' durable queues deliver everything, each event once.
 * PostgreSQL only (the test counts rows while the collector runs); skipped without Chromium or
 * without the built tag.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openPostgres } from '../../collector/store/index.ts';
import { hasChromium, launchBrowser } from '../helpers/browser.ts';
import { freshPgDatabase, hasPostgres } from '../helpers/stores.ts';
import { type Child, createSiteVia, startChild } from './child.ts';

const TAG = join(process.cwd(), 'dist', 'tp.js');
/** The real tag, not the foundation's placeholder build. */
const hasTag = existsSync(TAG) && readFileSync(TAG, 'utf8').includes('/v1/collect');
const PAGES = 3;
const EVENTS = 40;

function pageServer(collector: () => string, publicKey: () => string): Promise<Server> {
  const server = createServer((req, res) => {
    if (req.url === '/tp.js') {
      res.writeHead(200, { 'content-type': 'text/javascript' });
      return res.end(readFileSync(TAG));
    }
    const page = Number(new URL(req.url ?? '/', 'http://x').searchParams.get('page') ?? 0);
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end(`<!doctype html><title>crash ${page}</title>
<script>window.touchpoint=window.touchpoint||function(){(touchpoint.q=touchpoint.q||[]).push(arguments)}</script>
<script async src="/tp.js" data-site="${publicKey()}" data-host="${collector()}"></script>
<script>
  let i = 0;
  const timer = setInterval(() => {
    touchpoint('track', 'crash-${page}-' + i, { i });
    if (++i === ${EVENTS}) clearInterval(timer);
  }, 40);
</script>`);
  });
  return new Promise((r) => server.listen(0, '127.0.0.1', () => r(server)));
}

describe.skipIf(!hasChromium || !hasTag || !hasPostgres)('SIGKILL under real Chromium tags', () => {
  const cleanups: (() => Promise<unknown> | unknown)[] = [];
  afterAll(async () => {
    for (const c of cleanups.reverse()) await c();
  });

  it('delivers every tracked event exactly once after a crash and restart', async () => {
    const db = await freshPgDatabase();
    cleanups.push(db.drop);
    let child: Child | undefined;
    let publicKey = '';
    let collectorUrl = '';
    const pages = await pageServer(
      () => collectorUrl,
      () => publicKey,
    );
    cleanups.push(() => new Promise((r) => pages.close(r)));
    const origin = `http://127.0.0.1:${(pages.address() as AddressInfo).port}`;

    child = await startChild({
      DATABASE_URL: db.url,
      TOUCHPOINT_RATE_IP: '0',
      TOUCHPOINT_RATE_SITE: '0',
    });
    cleanups.push(() => child?.kill('SIGKILL'));
    const port = child.port;
    collectorUrl = child.url;
    // The site must accept the page origin: created through the admin API, then widened.
    const site = await createSiteVia(child.url);
    publicKey = site.publicKey;
    const store = openPostgres(db.url);
    cleanups.push(() => store.close());
    await store.query('update sites set allowed_origins = $2 where site_id = $1', [
      site.site.id,
      [origin],
    ]);
    const count = async () =>
      (
        await store.query<{ n: number; d: number }>(
          `select count(*)::int as n, count(distinct name)::int as d from events
            where site_id = $1 and type = 'track' and name like 'crash-%'`,
          [site.site.id],
        )
      ).rows[0]!;

    const browser = await launchBrowser();
    cleanups.push(() => browser.close());
    for (let p = 0; p < PAGES; p++) {
      const ctx = await browser.newContext(); // own storage: own queue, like separate visitors
      const page = await ctx.newPage();
      await page.goto(`${origin}/?page=${p}`);
    }
    // Kill once some events arrived and more are being sent.
    const deadline = Date.now() + 20_000;
    while ((await count()).n < 10 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 50));
    await child.kill('SIGKILL');
    const atKill = (await count()).n;
    await new Promise((r) => setTimeout(r, 1_500)); // pages keep tracking into their queues
    child = await startChild({
      DATABASE_URL: db.url,
      PORT: String(port),
      TOUCHPOINT_RATE_IP: '0',
      TOUCHPOINT_RATE_SITE: '0',
    });

    const total = PAGES * EVENTS;
    const until = Date.now() + 60_000;
    let c = await count();
    while (c.n < total && Date.now() < until) {
      await new Promise((r) => setTimeout(r, 250));
      c = await count();
    }
    expect(atKill).toBeLessThan(total); // the kill hit a burst in progress
    expect(c).toEqual({ n: total, d: total }); // everything arrived, each event once
  }, 120_000);
});
