/** Static routes: the built tag with long cache, ETag and 304; demo pages with the demo key; dashboard fallback. */
import { existsSync, mkdtempSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEMO_SITE_ID } from '../../collector/demo.ts';
import { createSite } from '../../collector/sites/index.ts';
import { harness } from '../helpers/app.ts';
import { suiteHarness } from '../helpers/fixture.ts';
import { pgliteCase } from '../helpers/stores.ts';

const dist = join(process.cwd(), 'dist');

describe.skipIf(!existsSync(join(dist, 'tp.js')))('static routes', () => {
  let demoKey: string;
  const h = suiteHarness(pgliteCase, { config: { distDir: dist, demo: true } });

  beforeAll(async () => {
    demoKey = (
      await createSite(h.store, { siteId: DEMO_SITE_ID, name: 'Demo', allowedOrigins: [] })
    ).publicKey;
  });

  it('serves /tp.js with a long cache, an ETag, 304 on revalidation and gzip', async () => {
    const res = await h.app.request('/tp.js', { headers: { 'accept-encoding': 'gzip' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(res.headers.get('cache-control')).toMatch(/max-age=\d{5,}/);
    expect(res.headers.get('content-encoding')).toBe('gzip');
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    const body = gunzipSync(Buffer.from(await res.arrayBuffer())).toString();
    expect(body).toContain('touchpoint');
    const etag = res.headers.get('etag')!;
    expect(etag).toMatch(/^".+"$/);
    const again = await h.app.request('/tp.js', { headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');
  });

  it("sends the build's zopfli gzip and brotli of the tag, the smallest there are", async () => {
    const gz = await h.app.request('/tp.js', { headers: { 'accept-encoding': 'gzip' } });
    const sent = Buffer.from(await gz.arrayBuffer());
    expect(sent.equals(readFileSync(join(dist, 'tp.js.gz')))).toBe(true);
    const raw = readFileSync(join(dist, 'tp.js'));
    expect(sent.length).toBeLessThan(gzipSync(raw, { level: 9 }).length);
    const br = await h.app.request('/tp.js', { headers: { 'accept-encoding': 'gzip, br' } });
    expect(br.headers.get('content-encoding')).toBe('br');
    expect(brotliDecompressSync(Buffer.from(await br.arrayBuffer())).equals(raw)).toBe(true);
    // The forms chunk and the dashboard's assets too.
    const chunk = await h.app.request('/tp-forms.js', { headers: { 'accept-encoding': 'gzip' } });
    expect(
      Buffer.from(await chunk.arrayBuffer()).equals(readFileSync(join(dist, 'tp-forms.js.gz'))),
    ).toBe(true);
  });

  it('never sends a compressed copy older than the file (a rebuilt tag without its twins)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tp-static-'));
    const tag = `(()=>{/* ${'new tag '.repeat(100)} */})();`;
    writeFileSync(join(dir, 'tp.js'), tag);
    writeFileSync(join(dir, 'tp.js.gz'), gzipSync('(()=>{/* the previous build */})();'));
    const past = new Date(Date.now() - 60_000);
    utimesSync(join(dir, 'tp.js.gz'), past, past);
    const other = await harness(h.store, { config: { distDir: dir, demo: false } });
    const res = await other.app.request('/tp.js', { headers: { 'accept-encoding': 'gzip' } });
    expect(res.headers.get('content-encoding')).toBe('gzip');
    expect(gunzipSync(Buffer.from(await res.arrayBuffer())).toString()).toBe(tag);
  });

  it('serves the ESM build and refuses paths outside dist', async () => {
    expect((await h.app.request('/esm/tp.mjs')).status).toBe(200);
    for (const p of [
      '/esm/..%2F..%2Fpackage.json',
      '/esm/%2e%2e/%2e%2e/package.json',
      '/esm/nope.js',
    ]) {
      const res = await h.app.request(p);
      expect(res.status).toBe(404);
      expect(res.headers.get('content-type')).toMatch(/problem\+json/);
    }
  });

  it('serves the demo website with the demo site key in the tag', async () => {
    const res = await h.app.request('/demo/pricing');
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain(`data-site="${demoKey}"`);
    expect(html).toContain('src="/tp.js"');
    expect((await h.app.request('/demo/app/scoring')).status).toBe(200);
    expect((await h.app.request('/demo/style.css')).headers.get('content-type')).toMatch(
      /text\/css/,
    );
    // Only one page carries the inline newsletter form.
    expect(await (await h.app.request('/demo/blog/launch-week')).text()).toContain(
      'data-tp-form="newsletter"',
    );
    expect(await (await h.app.request('/demo/')).text()).not.toContain('data-tp-form');
  });

  it('serves the dashboard with a fallback to its index for client routes', async () => {
    const res = await h.app.request('/dashboard/leads/123');
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('<div id="app">');
  });

  it('serves no demo or dashboard when demo is off', async () => {
    const off = await harness(h.store, { config: { distDir: dist, demo: false } });
    expect((await off.app.request('/demo/')).status).toBe(404);
    expect((await off.app.request('/dashboard/')).status).toBe(404);
    expect((await off.app.request('/tp.js')).status).toBe(200);
  });
});
