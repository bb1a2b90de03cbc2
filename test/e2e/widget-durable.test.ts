/** The tag's delivery guarantees in Chromium: offline periods, page closes, collector restarts. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium } from '../helpers/browser.ts';
import { type TagRig, tagRig } from './widget-helpers.ts';

const countByName = `select name, count(*)::int as n from events
  where site_id = 'site_demo' and anonymous_id = $1 and type = 'track' group by name order by name`;

describe.skipIf(!hasChromium)('tag in Chromium: durable delivery', () => {
  let rig: TagRig;
  beforeAll(async () => {
    rig = await tagRig();
  });
  afterAll(() => rig?.close());

  it('keeps events made offline across a page close and delivers them once when back online', async () => {
    const { ctx, page, errors } = await rig.page();
    await page.goto(`${rig.c.url}/demo/`);
    const anon = await page.evaluate(() => document.cookie.match(/_tp_id=([^;]+)/)?.[1]);
    await rig.waitRows(`select 1 from events where anonymous_id = $1`, [anon], (r) => r.length > 0);

    // Offline. Chromium lets the sendBeacon of a closing page outlive the page's offline
    // emulation, so the collector is unreachable too: nothing can get through until we are back.
    await ctx.setOffline(true);
    await rig.c.stop();
    for (const n of ['a', 'b', 'c'])
      await page.evaluate((n) => (window as any).touchpoint('track', `offline_${n}`), n);
    // Persisted on enqueue: the items are in IndexedDB before any request succeeds.
    await page.waitForFunction(async () => {
      const db = await new Promise<IDBDatabase>((ok) => {
        const r = indexedDB.open('touchpoint');
        r.onsuccess = () => ok(r.result);
      });
      const q = await new Promise<unknown[]>((ok) => {
        const r = db.transaction('q').objectStore('q').get(0);
        r.onsuccess = () => ok(r.result || []);
      });
      db.close();
      return q.length >= 3;
    });
    const next = await ctx.newPage();
    next.on('pageerror', (e) => errors.push(String(e)));
    await page.close({ runBeforeUnload: true });
    await next.waitForTimeout(200);
    await rig.c.start();
    expect(await rig.c.store.query(countByName, [anon]).then((r) => r.rows)).toEqual([]);
    await ctx.setOffline(false);
    await next.goto(`${rig.c.url}/demo/careers`);
    const rows = await rig.waitRows<{ name: string; n: number }>(
      countByName,
      [anon],
      (r) => r.length === 3,
    );
    await next.waitForTimeout(500);
    expect(await rig.c.store.query(countByName, [anon]).then((r) => r.rows)).toEqual([
      { name: 'offline_a', n: 1 },
      { name: 'offline_b', n: 1 },
      { name: 'offline_c', n: 1 },
    ]);
    expect(rows).toHaveLength(3);
    expect(errors).toEqual([]);
  });

  it('delivers everything exactly once after the collector is stopped and restarted', async () => {
    const { page, errors } = await rig.page();
    await page.goto(`${rig.c.url}/demo/pricing`);
    const anon = await page.evaluate(() => document.cookie.match(/_tp_id=([^;]+)/)?.[1]);
    await rig.waitRows(`select 1 from events where anonymous_id = $1`, [anon], (r) => r.length > 0);

    await rig.c.stop();
    for (const n of ['x', 'y', 'z'])
      await page.evaluate((n) => (window as any).touchpoint('track', `down_${n}`), n);
    await page.waitForTimeout(400);
    await rig.c.start();
    const rows = await rig.waitRows<{ name: string; n: number }>(
      countByName,
      [anon],
      (r) => r.length === 3,
      20_000,
    );
    expect(rows).toEqual([
      { name: 'down_x', n: 1 },
      { name: 'down_y', n: 1 },
      { name: 'down_z', n: 1 },
    ]);
    expect(errors).toEqual([]);
  });
});
