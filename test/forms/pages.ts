/**
 * Test pages for the forms chunk in real Chromium, served from their own origin: the built
 * `dist/tp-forms.js` mounted by a small but real FormsHost (it POSTs submissions and records
 * events), until the tag's core implements the host side.
 */
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface PageServer {
  url: string;
  close(): Promise<void>;
}

/** Global CSS that would wreck any widget rendered in the light DOM. */
export const AGGRESSIVE_CSS = `
* { all: unset !important; }
html, body { display: block !important; font: 31px/3 "Comic Sans MS", cursive !important; color: #f0f !important;
  letter-spacing: 4px !important; text-transform: uppercase !important; background: #222 !important; }
div, form, input, button, h2, p, label, span { display: none !important; }
input, button { width: 3px !important; height: 3px !important; border: 9px dashed red !important; }
[role="dialog"], tp-form div { visibility: hidden !important; }
`;

/** A page that would push a fixed overlay off-screen (transformed body) or cover it (a header). */
export const HOSTILE_CSS = `body { transform: translateZ(0); }
header { position: fixed; top: 0; left: 0; right: 0; height: 60px; background: #222; z-index: 2147483647; }`;

const page = (q: URLSearchParams) => {
  const nonce = q.get('csp') ? 'n0nce' : '';
  const inline = q.get('inline');
  return `<!doctype html><html lang="${q.get('lang') ?? 'en'}" dir="${q.get('dir') ?? 'ltr'}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>Acme — forms test</title>
<style${nonce ? ` nonce="${nonce}"` : ''}>${q.get('css') === 'aggressive' ? AGGRESSIVE_CSS : 'body{font-family:Georgia,serif;margin:0;padding:16px;background:#f6f6f2;color:#222} main{max-width:720px}'}${q.get('css') === 'hostile' ? HOSTILE_CSS : ''}${q.get('smooth') ? 'html{scroll-behavior:smooth}' : ''}</style>
</head><body>
<header><a id="link" href="#pricing">Pricing</a> <button id="before" type="button">Menu</button> <button class="cta" type="button">Talk to sales</button></header>
<main><h1>Acme Analytics</h1><p>Understand every visitor, from the first touch to the signed deal.</p>
${inline ? `<section data-tp-form="${inline}"><p>Loading…</p></section>` : ''}
<p><a id="next" href="?${q}">Next page</a></p>
<p id="pricing">Plans start at 19 USD a month.</p><div style="height:${q.get('tall') ?? 200}px"></div>
<p><a id="totop" href="#link">Back to top</a></p></main>
${q.get('tag') ? tag(q) : host(q, nonce)}</body></html>`;
};

/** The real tag of DESIGN §3, served by the collector (core engineer's `/tp.js`). */
const tag = (
  q: URLSearchParams,
) => `<script async src="${q.get('collector')}/tp.js" data-site="${q.get('pk')}"></script>
<script>window.touchpoint=window.touchpoint||function(){(touchpoint.q=touchpoint.q||[]).push(arguments)}${q.get('show') ? `;touchpoint('form', ${JSON.stringify(q.get('show'))})` : ''}</script>`;

/** A test FormsHost mounting the built chunk directly (until the core lands). */
const host = (
  _q: URLSearchParams,
  nonce: string,
) => `<script type="module"${nonce ? ` nonce="${nonce}"` : ''}>
import { mount } from '/tp-forms.js';
const q = new URLSearchParams(location.search);
const tp = (window.__tp = { events: [], submits: [], statuses: [], show: (id) => mount(host, id) });
const endpoint = q.get('collector');
const host = {
  site: q.get('pk'), host: endpoint, ${nonce ? `nonce: '${nonce}',` : ''}
  anonymousId: () => q.get('anon') ?? 'anon-page',
  sessionId: () => 'sess-page',
  track(type, { name, properties }) { tp.events.push({ type, name, properties }); },
  submit({ f: formId, ...body }) {
    tp.submits.push({ formId, body });
    fetch(endpoint + '/v1/forms/' + formId + '/submissions', {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body),
    }).then((r) => tp.statuses.push(r.status), (e) => tp.statuses.push(String(e)));
  },
  identified(traits) { tp.identified = traits; },
};
mount(host, q.get('show') ?? undefined);
</script>`;

/**
 * Serves `/page?pk=…&collector=…[&lang=vi][&dir=rtl][&inline=ID][&show=ID][&css=aggressive|hostile][&csp=1]
 * [&tall=PX][&smooth=1]` (a page `tall` px longer, scrolling smoothly to its in-page links; a
 * "Back to top" link at its end), `/tp-forms.js` (built) and `/axe.js`. The test host's
 * `window.__tp.show(id)` shows a form as `touchpoint('form', id)` does.
 */
export async function startPages(): Promise<PageServer> {
  const chunk = readFileSync('dist/tp-forms.js');
  const axe = readFileSync('node_modules/axe-core/axe.min.js');
  const server: Server = createServer((req, res) => {
    const u = new URL(req.url ?? '/', 'http://x');
    if (u.pathname === '/tp-forms.js' || u.pathname === '/axe.js') {
      res.writeHead(200, { 'content-type': 'text/javascript' });
      res.end(u.pathname === '/axe.js' ? axe : chunk);
      return;
    }
    const headers: Record<string, string> = { 'content-type': 'text/html; charset=utf-8' };
    if (u.searchParams.get('csp'))
      headers['content-security-policy'] =
        "style-src 'nonce-n0nce'; script-src 'self' 'nonce-n0nce'";
    res.writeHead(200, headers);
    res.end(page(u.searchParams));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise((r) => server.close(() => r())),
  };
}
