/**
 * What the tag audit found, checked on the built dist/tp.js in Chromium: back and forward served
 * from the back-forward cache; consent and log-out shared by tabs and subdomains, an opt-out
 * remembered; placeholder user ids; a sandboxed frame; sessions on localhost. Engagement and
 * beacons are in widget-audit-engagement.test.ts. The site is on fake hosts with a recording
 * collector (widget-audit-site.ts); stitching is checked on the real collector.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { hasChromium, humanContext } from '../helpers/browser.ts';
import {
  type AuditSite,
  auditSite,
  cookieNames,
  local,
  ready,
  SNIPPET,
  T,
  type Tag,
  tagged,
  tp,
} from './widget-audit-site.ts';
import { type TagRig, tagRig } from './widget-helpers.ts';

describe.skipIf(!hasChromium)('tag audit in Chromium: caches, tabs, consent, frames', () => {
  let site: AuditSite;
  beforeAll(async () => {
    site = await auditSite();
  });
  afterAll(() => site?.close());
  beforeEach(() => site.reset());

  it('a back or forward to a page with the tag is restored from the back-forward cache, and counted', async () => {
    const host = 'bfcache.shop.test';
    site.page = (u) => tagged('', `<a id=next href="/b">next</a> ${u.pathname}`);
    const v = await site.visitor();
    await v.ctx.addInitScript(() =>
      addEventListener('pageshow', (e) => {
        (window as unknown as { restored: boolean }).restored = e.persisted;
      }),
    );
    const page = await v.tab();
    await page.goto(site.url(host, '/a'));
    await expect.poll(() => site.views(host, '/a').length, T).toBe(1);
    await Promise.all([page.waitForURL('**/b'), page.click('#next')]);
    await expect.poll(() => site.views(host, '/b').length, T).toBe(1);
    await page.goBack({ waitUntil: 'commit' });
    const shown = () =>
      page.evaluate(() => ({
        path: location.pathname,
        restored: (window as unknown as { restored?: boolean }).restored,
        // Why the page was loaded anew (null: restored, or nothing kept it out of the cache).
        reasons: (
          performance.getEntriesByType('navigation')[0] as unknown as {
            notRestoredReasons: unknown;
          }
        ).notRestoredReasons,
      }));
    await expect.poll(() => shown().then((s) => s.restored !== undefined), T).toBe(true);
    // Was: evicted (an IndexedDB write and a lock in the page being frozen): loaded anew.
    expect(await shown()).toEqual({ path: '/a', restored: true, reasons: null });
    // Back is a view of the page again; what the page held in the cache is delivered.
    await expect.poll(() => site.views(host, '/a').length, T).toBe(2);
    await expect.poll(() => site.engagements(host, '/a').length, T).toBeGreaterThan(0);
    expect(v.errors).toEqual([]);
  });

  it('a consent denied in one tab stays denied when another open tab records an event', async () => {
    const host = 'deny-tabs.shop.test';
    site.page = () => tagged('data-consent="required"');
    const v = await site.visitor();
    const a = await v.tab();
    await a.goto(site.url(host, '/a'));
    await ready(a);
    await tp(a, 'consent', 'granted');
    const b = await v.tab();
    await b.goto(site.url(host, '/b'));
    await expect.poll(() => site.views(host, '/b').length, T).toBe(1);

    await tp(a, 'consent', 'denied');
    // What tab A stored reaches tab B a moment later (the browser process carries it).
    await expect.poll(() => local(b), T).toBeNull();
    await tp(b, 'track', 'after_deny');
    // Was: tab B wrote the grant and the id back; the next page set the cookie from them.
    expect(await cookieNames(v.ctx)).toEqual([]);
    expect(await local(a)).toBeNull();
    await a.goto(site.url(host, '/after-deny'));
    await ready(a);
    await a.waitForTimeout(1500); // nothing arrives
    expect(site.views(host, '/after-deny')).toEqual([]);
    expect(site.named(host)).not.toContain('after_deny');
    expect(await cookieNames(v.ctx)).toEqual([]);
    // Nor was it stored, to be sent with a later grant: tab B forgot as tab A did.
    await tp(a, 'consent', 'granted');
    await tp(a, 'track', 'regranted');
    await expect.poll(() => site.named(host), T).toContain('regranted');
    expect(site.named(host)).not.toContain('after_deny');
    expect(v.errors).toEqual([]);
  });

  it('a consent granted in one tab lets a tab already open deliver what it records next', async () => {
    const host = 'grant-tabs.shop.test';
    site.page = () => tagged('data-consent="required"');
    const v = await site.visitor();
    const a = await v.tab();
    await a.goto(site.url(host, '/a'));
    await ready(a);
    const b = await v.tab();
    await b.goto(site.url(host, '/b'));
    await ready(b);
    await tp(a, 'consent', 'granted');
    await expect.poll(async () => (await local(b))?.c, T).toBe(2);
    await b.evaluate(() => {
      history.pushState({}, '', '/b/next');
      (window as unknown as Tag).touchpoint('track', 'b_after_grant');
    });
    // Was: held in tab B's memory, which never learnt of the grant. (B may wait 5 s for the
    // send lock tab A holds: a longer wait.)
    await expect.poll(() => site.named(host), { timeout: 20_000 }).toContain('b_after_grant');
    await expect.poll(() => site.views(host, '/b/next').length, T).toBe(1);
    expect(v.errors).toEqual([]);
  });

  it('a tab that learns of a grant from another tab stores its next events when they happen', async () => {
    const host = 'grant-store.shop.test';
    site.page = () => tagged('data-consent="required"');
    // A collector that never answers: nothing is delivered, everything must stay queued.
    site.hold = () => new Promise(() => {});
    const v = await site.visitor();
    const a = await v.tab();
    await a.goto(site.url(host, '/a'));
    await ready(a);
    const b = await v.tab();
    await b.goto(site.url(host, '/b'));
    await ready(b);
    await tp(a, 'consent', 'granted');
    await expect.poll(async () => (await local(b))?.c, T).toBe(2);
    await tp(b, 'track', 'b_stored');
    const queued = () =>
      b.evaluate(
        () =>
          new Promise<string[]>((ok) => {
            const r = indexedDB.open('touchpoint');
            r.onsuccess = () => {
              const get = r.result.transaction('q').objectStore('q').get(0);
              get.onsuccess = () => {
                ok(((get.result ?? []) as { name?: string }[]).map((e) => e.name ?? ''));
                r.result.close();
              };
            };
          }),
      );
    // Was: only in tab B's memory until its next page; a crash or a killed tab lost it.
    await expect.poll(queued, T).toContain('b_stored');
    expect(v.errors).toEqual([]);
  });

  it('a consent denied on one subdomain removes the id that another subdomain stored', async () => {
    site.page = () => tagged('data-consent="required"');
    const v = await site.visitor();
    const page = await v.tab();
    await page.goto(site.url('www.shop.test'));
    await ready(page);
    await tp(page, 'consent', 'granted');
    expect(await cookieNames(v.ctx)).toEqual(['_tp_id']);
    await page.goto(site.url('blog.shop.test'));
    await ready(page);
    await tp(page, 'consent', 'denied');
    // Was: kept, blog's own localStorage holding no id.
    expect(await cookieNames(v.ctx)).toEqual([]);
    expect(v.errors).toEqual([]);
  });

  it('an opt-out on a site that does not require consent is remembered by the next page', async () => {
    const host = 'opt-out.shop.test';
    const v = await site.visitor();
    const page = await v.tab();
    await page.goto(site.url(host, '/'));
    await expect.poll(() => site.views(host, '/').length, T).toBe(1);
    await tp(page, 'consent', 'denied');
    expect(await cookieNames(v.ctx)).toEqual([]);
    expect(await local(page)).toMatchObject({ c: 0 });
    await page.goto(site.url(host, '/next'));
    await ready(page);
    // Was: forgotten; the next page set the cookie again and sent its pageview.
    expect(await cookieNames(v.ctx)).toEqual([]);
    const stored = await local(page);
    expect([stored.c, stored.id]).toEqual([0, undefined]);
    await page.waitForTimeout(1500); // nothing arrives
    expect(site.views(host, '/next')).toEqual([]);
    expect(v.errors).toEqual([]);
  });

  it('a log-out in one tab is not undone by another open tab', async () => {
    const host = 'reset.shop.test';
    const v = await site.visitor();
    const a = await v.tab();
    await a.goto(site.url(host, '/a'));
    await ready(a);
    await tp(a, 'identify', { email: 'alice@x.io' });
    const b = await v.tab();
    await b.goto(site.url(host, '/b'));
    await ready(b);
    const alice = await local(a);
    expect(alice).toMatchObject({ e: 'alice@x.io' });

    await tp(a, 'reset');
    // Tabs share localStorage through the browser process: tab B sees tab A's write a moment
    // later (under load, milliseconds). The person clicks there after switching tabs.
    const reset = (await local(a)).id;
    await expect.poll(async () => (await local(b)).id, T).toBe(reset);
    await tp(b, 'track', 'b_click');
    await tp(a, 'track', 'a_after_reset');
    // Was: tab B wrote Alice's session and email back under the new id.
    const after = await local(a);
    expect(after.id).not.toBe(alice.id);
    expect(after.s.i).not.toBe(alice.s.i);
    expect(after.e || undefined).toBeUndefined();
    expect((await v.ctx.cookies()).map((c) => c.value)).toEqual([after.id]);
    const sent = () =>
      site.got(host).filter((e) => e.name === 'b_click' || e.name === 'a_after_reset');
    await expect.poll(() => sent().length, T).toBe(2);
    for (const e of sent()) expect([e.anonymousId, e.sessionId]).toEqual([after.id, after.s.i]);
    expect(v.errors).toEqual([]);
  });

  it('a sandboxed frame (data-cookieless) tracks without an error in the page', async () => {
    const host = 'frame.shop.test';
    site.page = (u) =>
      u.pathname === '/frame'
        ? tagged('data-cookieless')
        : '<!doctype html><title>Host</title><iframe sandbox="allow-scripts" src="/frame"></iframe>';
    const v = await site.visitor();
    const page = await v.tab();
    const consoleErrors: string[] = [];
    page.on('console', (m) => m.type() === 'error' && consoleErrors.push(m.text()));
    await page.goto(site.url(host, '/'));
    await expect.poll(() => site.views(host, '/frame').length, T).toBe(1);
    await page.waitForTimeout(300);
    // Was: "Uncaught (in promise) SecurityError" from indexedDB.open, in the host page.
    expect(consoleErrors).toEqual([]);
    expect(v.errors).toEqual([]);
  });

  it('pages of a site on localhost or on an IP address are one session', async () => {
    site.page = () => tagged('', '<a id=next href="/next">next</a><a id=third href="/third">3</a>');
    const v = await site.visitor();
    for (const host of ['localhost', '127.0.0.1']) {
      const page = await v.tab();
      await page.goto(site.url(host, '/'));
      await ready(page);
      for (const id of ['next', 'third']) {
        await Promise.all([page.waitForURL(`**/${id}`), page.click(`#${id}`)]);
        await ready(page);
      }
      const viewed = () => site.got(host).filter((e) => e.type === 'pageview');
      await expect.poll(() => viewed().length, T).toBe(3);
      // Was: the previous page looked external: a new session on every page.
      expect(new Set(viewed().map((e) => e.sessionId)).size).toBe(1);
    }
    expect(v.errors).toEqual([]);
  });
});

describe.skipIf(!hasChromium)('tag audit in Chromium: identity on the real collector', () => {
  let rig: TagRig;
  beforeAll(async () => {
    rig = await tagRig();
  });
  afterAll(() => rig?.close());

  it.each(['undefined', 'null'])(
    "a placeholder userId (%s) before the log-in keeps the visitor's earlier pages on the lead",
    async (placeholder) => {
      // A person (automation makes no leads), on an app that identifies with `String(user?.id)`
      // before its user has loaded.
      const ctx = await humanContext(rig.browser);
      try {
        await ctx.route(`${rig.c.url}/app/**`, (r) =>
          r.fulfill({
            contentType: 'text/html',
            body: `<!doctype html><title>App</title>
              <script async src="/tp.js" data-site="${rig.demoKey}"></script>${SNIPPET}`,
          }),
        );
        const page = await ctx.newPage();
        const errors: string[] = [];
        page.on('pageerror', (e) => errors.push(String(e)));
        const anonymousId = () => page.evaluate(() => /_tp_id=([^;]+)/.exec(document.cookie)?.[1]);
        await page.goto(`${rig.c.url}/app/pricing?utm_source=google&utm_medium=cpc`);
        await ready(page);
        const landing = await anonymousId();
        const email = `ada.${placeholder}@acme.io`;
        await page.evaluate(
          ([p, e]) => {
            const { touchpoint } = window as unknown as Tag;
            touchpoint('identify', { userId: p });
            history.pushState({}, '', '/app/dashboard');
            touchpoint('identify', { userId: `u_${e}`, email: e });
          },
          [placeholder, email],
        );
        // Was: a new anonymous id at the log-in: the landing page never reached the lead.
        expect(await anonymousId()).toBe(landing);
        const links = await rig.waitRows<{ anonymous_id: string }>(
          `select a.anonymous_id from anonymous_links a join leads l using (site_id, lead_id)
            where l.site_id = 'site_demo' and l.email = $1`,
          [email],
          (r) => r.length > 0,
        );
        expect(links.map((r) => r.anonymous_id)).toEqual([landing]);
        expect(errors).toEqual([]);
      } finally {
        await ctx.close();
      }
    },
  );
});
