/** The OpenAPI document: valid OpenAPI 3.1, the same routes the app serves, and a safe /docs page. */
import { Validator } from '@seriousme/openapi-schema-validator';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  buildDocument,
  honoPath,
  ROUTES,
  type RouteDoc,
  renderDocs,
} from '../../collector/openapi/index.ts';
import { suiteHarness } from '../helpers/fixture.ts';
import { pgliteCase } from '../helpers/stores.ts';

/** API paths (static files such as /tp.js, /demo/ and /dashboard/ are not operations). */
const isApiPath = (p: string) =>
  p.startsWith('/v1/') || ['/healthz', '/readyz', '/metrics', '/openapi.json', '/docs'].includes(p);

const documented = (routes: readonly RouteDoc[]) =>
  new Set(routes.map((r) => `${r.method.toUpperCase()} ${honoPath(r.path)}`));

describe('OpenAPI document', () => {
  let served: Set<string>;
  const h = suiteHarness(pgliteCase);

  beforeAll(async () => {
    served = new Set(
      h.app.routes
        .filter((r) => r.method !== 'ALL' && r.method !== 'OPTIONS' && isApiPath(r.path))
        .map((r) => `${r.method} ${r.path}`),
    );
  });

  it('is served at /openapi.json and validates as OpenAPI 3.1', async () => {
    const res = await h.app.request('/openapi.json');
    expect(res.status).toBe(200);
    const doc = (await res.json()) as { openapi: string; paths: Record<string, unknown> };
    expect(doc.openapi).toBe('3.1.0');
    const validator = new Validator();
    const result = await validator.validate(doc as never);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(validator.version).toBe('3.1');
  });

  it('documents every route the app serves', () => {
    const docs = documented(ROUTES);
    expect([...served].filter((r) => !docs.has(r))).toEqual([]);
  });

  it('serves every documented route', () => {
    expect([...documented(ROUTES)].filter((r) => !served.has(r))).toEqual([]);
  });

  it('describes each operation with its auth, parameters, body and problem answers', async () => {
    const doc = (await (await h.app.request('/openapi.json')).json()) as {
      paths: Record<string, Record<string, Record<string, unknown>>>;
    };
    const funnel = doc.paths['/v1/reports/funnel']!.get!;
    expect(funnel.security).toEqual([{ secretKey: [] }]);
    const names = (funnel.parameters as { name: string }[]).map((p) => p.name);
    expect(names).toEqual(['from', 'to', 'by']);
    expect(Object.keys(funnel.responses as object)).toEqual(
      expect.arrayContaining(['200', '400', '401']),
    );
    const collect = doc.paths['/v1/collect']!.post!;
    expect(collect.security).toEqual([]);
    expect(JSON.stringify(collect.requestBody)).toContain('anonymousId');
    const lead = doc.paths['/v1/leads/{id}']!.get!;
    expect((lead.parameters as { in: string }[])[0]!.in).toBe('path');
    expect(JSON.stringify(lead.responses)).toContain('breakdown');
  });

  it('/docs lists every operation as readable HTML under a no-script CSP', async () => {
    const res = await h.app.request('/docs');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
    const html = await res.text();
    for (const r of ROUTES) expect(html).toContain(`<code>${r.path}</code>`);
    expect(html).not.toContain('<script');
  });

  it('/docs escapes every string of the document', () => {
    const evil = '<img src=x onerror=alert(1)>"\'&';
    const html = renderDocs(
      buildDocument(
        [
          {
            method: 'get',
            path: `/v1/x/{id}`,
            summary: evil,
            description: evil,
            tags: [evil],
            security: 'public',
            params: { id: evil },
            responses: { 200: { description: evil } },
          },
        ],
        { version: evil },
      ),
    );
    expect(html).not.toContain('<img');
    expect(html).not.toContain('onerror=alert(1)>');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;&quot;&#39;&amp;');
  });
});
