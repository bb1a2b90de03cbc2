/**
 * Static files: the tag (`/tp.js`, `/tp-forms.js`, `/esm/*`) with a long cache, ETag and 304,
 * gzip/brotli when the client takes it; the demo website at `/demo/` (the demo site's public key
 * injected into its pages) and the dashboard at `/dashboard/` (SPA fallback), when demo is on.
 */
import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, resolve, sep } from 'node:path';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import { type Context, Hono } from 'hono';
import { DEMO_SITE_ID } from '../demo.ts';
import type { Deps, Env } from '../deps.ts';
import { etagMatches } from './etag.ts';

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.map': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
};

/** The placeholder in demo pages that becomes the demo site's public key. */
export const SITE_PLACEHOLDER = '__TP_SITE__';

interface Cached {
  mtimeMs: number;
  body: Buffer;
  etag: string;
  gz?: Buffer;
  br?: Buffer;
}

/** The file `rel` under `root`, or null when missing or outside `root` (no path traversal). */
async function fileUnder(
  root: string,
  rel: string,
): Promise<{ path: string; mtimeMs: number } | null> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(rel);
  } catch {
    return null;
  }
  if (decoded.includes('\0')) return null;
  const base = resolve(root);
  const path = resolve(base, `.${sep}${decoded}`);
  if (path !== base && !path.startsWith(base + sep)) return null;
  try {
    const s = await stat(path);
    return s.isFile() ? { path, mtimeMs: s.mtimeMs } : null;
  } catch {
    return null;
  }
}

/**
 * The build's compressed copy of `f` (`tp.js.gz` next to `tp.js`, written by vite.config.ts),
 * if there is one at least as new as the file: an older one is of an earlier build.
 */
async function twin(
  f: { path: string; mtimeMs: number },
  ext: string,
): Promise<Buffer | undefined> {
  try {
    if ((await stat(f.path + ext)).mtimeMs >= f.mtimeMs) return await readFile(f.path + ext);
  } catch {}
  return undefined;
}

/**
 * Serves files with ETag/304 and compressed bodies (the build's, else compressed here once),
 * cached in memory until the file changes. `transform` rewrites a body once per file version (the demo's key injection).
 */
function fileServer(transform?: (body: Buffer, path: string, variant: string) => Buffer) {
  const cache = new Map<string, Cached>();
  return async (
    c: Context<Env>,
    root: string,
    rel: string,
    cacheControl: string,
    variant = '',
  ): Promise<Response | null> => {
    const f = await fileUnder(root, rel);
    if (!f) return null;
    const key = `${f.path}|${variant}`;
    let hit = cache.get(key);
    if (!hit || hit.mtimeMs !== f.mtimeMs) {
      let body: Buffer = await readFile(f.path);
      if (transform) body = transform(body, f.path, variant);
      const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`;
      // The build's compressed twins (zopfli's gzip is smaller than zlib's), unless the body is
      // rewritten here.
      hit = transform
        ? { mtimeMs: f.mtimeMs, body, etag }
        : {
            mtimeMs: f.mtimeMs,
            body,
            etag,
            gz: await twin(f, '.gz'),
            br: await twin(f, '.br'),
          };
      cache.set(key, hit);
    }
    const type = TYPES[extname(f.path)] ?? 'application/octet-stream';
    const headers: Record<string, string> = {
      'Content-Type': type,
      'Cache-Control': cacheControl,
      ETag: hit.etag,
      Vary: 'Accept-Encoding',
      'X-Content-Type-Options': 'nosniff',
    };
    if (etagMatches(c.req.header('if-none-match'), hit.etag))
      return new Response(null, { status: 304, headers });
    let body = hit.body;
    const accept = c.req.header('accept-encoding') ?? '';
    if (/^(text|application\/json|image\/svg)/.test(type) && body.length > 512) {
      if (/\bbr\b/.test(accept)) {
        hit.br ??= brotliCompressSync(hit.body);
        body = hit.br;
        headers['Content-Encoding'] = 'br';
      } else if (/\bgzip\b/.test(accept)) {
        hit.gz ??= gzipSync(hit.body, { level: 9 });
        body = hit.gz;
        headers['Content-Encoding'] = 'gzip';
      }
    }
    return new Response(new Uint8Array(body), { status: 200, headers });
  };
}

/** A day fresh, then served stale while revalidating for a week (the URL is not versioned). */
const TAG_CACHE = 'public, max-age=86400, stale-while-revalidate=604800';

export function staticRoutes(deps: Deps) {
  const app = new Hono<Env>();
  const dist = deps.config.distDir;
  const tagFiles = fileServer();
  const pages = fileServer();
  const demoPages = fileServer((body, path, key) =>
    extname(path) === '.html'
      ? Buffer.from(body.toString('utf8').replaceAll(SITE_PLACEHOLDER, key))
      : body,
  );
  const demoKey = async () => {
    const { rows } = await deps.store.query<{ public_key: string }>(
      `select public_key from site_keys
        where site_id = $1 and kind = 'public' and revoked_at is null
        order by created_at limit 1`,
      [DEMO_SITE_ID],
    );
    return rows[0]?.public_key ?? '';
  };
  const tag = async (c: Context<Env>, rel: string) => {
    const res = await tagFiles(c, dist, rel, TAG_CACHE);
    // Any site may load the tag; the forms chunk is an ES module, fetched with CORS by import().
    res?.headers.set('Access-Control-Allow-Origin', '*');
    return res ?? c.notFound();
  };

  app.get('/tp.js', (c) => tag(c, 'tp.js'));
  app.get('/tp-forms.js', (c) => tag(c, 'tp-forms.js'));
  app.get('/esm/*', (c) => tag(c, c.req.path.slice(1)));

  if (deps.config.demo) {
    const site = resolve(import.meta.dirname, '../../demo/site');
    app.get('/demo', (c) => c.redirect('/demo/', 301));
    app.get('/demo/*', async (c) => {
      let rel = c.req.path.slice('/demo/'.length);
      if (rel === '' || rel.endsWith('/')) rel += 'index.html';
      // Demo pages are re-read when they change and keyed to the current demo site: no cache.
      const key = await demoKey();
      const res =
        (await demoPages(c, site, rel, 'no-cache', key)) ??
        (extname(rel) ? null : await demoPages(c, site, `${rel}.html`, 'no-cache', key)) ??
        // The SPA section routes with pushState: a reload of /demo/app/… gets its shell.
        (rel.startsWith('app/')
          ? await demoPages(c, site, 'app/index.html', 'no-cache', key)
          : null);
      return res ?? c.notFound();
    });
    const dash = join(dist, 'dashboard');
    app.get('/dashboard', (c) => c.redirect('/dashboard/', 301));
    app.get('/dashboard/*', async (c) => {
      const rel = c.req.path.slice('/dashboard/'.length);
      // Hashed asset names never change: cache them for a year; the shell is revalidated.
      const res =
        (rel &&
          (await pages(
            c,
            dash,
            rel,
            rel.startsWith('assets/') ? 'public, max-age=31536000, immutable' : 'no-cache',
          ))) ||
        (extname(rel) ? null : await pages(c, dash, 'index.html', 'no-cache'));
      return res ?? c.notFound();
    });
  }
  return app;
}
