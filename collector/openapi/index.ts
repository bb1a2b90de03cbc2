/** `GET /openapi.json` (OpenAPI 3.1 generated from the zod schemas) and the `/docs` reference page. */
import { readFileSync } from 'node:fs';
import { Hono } from 'hono';
import type { Deps, Env } from '../deps.ts';
import { renderDocs } from './docs.ts';
import { buildDocument, type OpenApiDocument } from './registry.ts';
import { ROUTES } from './routes.ts';

export { escapeHtml, renderDocs } from './docs.ts';
export { buildDocument, honoPath, type RouteDoc } from './registry.ts';
export { ROUTES } from './routes.ts';

const VERSION = (
  JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  }
).version;

let cached: { doc: OpenApiDocument; html: string } | undefined;

/** The document and its page, built once on first use (the routes do not change at run time). */
export function apiDocument(): { doc: OpenApiDocument; html: string } {
  if (!cached) {
    const doc = buildDocument(ROUTES, { version: VERSION });
    cached = { doc, html: renderDocs(doc) };
  }
  return cached;
}

export function openapiRoutes(_deps: Deps) {
  const app = new Hono<Env>();
  app.get('/openapi.json', (c) => {
    c.header('Cache-Control', 'public, max-age=300');
    c.header('Access-Control-Allow-Origin', '*');
    return c.json(apiDocument().doc);
  });
  app.get('/docs', (c) => {
    c.header('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'");
    c.header('X-Content-Type-Options', 'nosniff');
    return c.html(apiDocument().html);
  });
  return app;
}
