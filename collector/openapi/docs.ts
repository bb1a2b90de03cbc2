/** The `/docs` reference page: server-rendered HTML from the OpenAPI document, everything escaped. */
import type { OpenApiDocument } from './registry.ts';

/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(s: unknown): string {
  return String(s).replace(
    /[&<>"']/g,
    (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!,
  );
}

interface Operation {
  summary?: string;
  description?: string;
  tags?: string[];
  security?: Record<string, unknown>[];
  parameters?: {
    name: string;
    in: string;
    required?: boolean;
    description?: string;
    schema?: unknown;
  }[];
  requestBody?: { content: Record<string, { schema: unknown }> };
  responses: Record<string, { description: string; content?: Record<string, { schema: unknown }> }>;
}

const STYLE = `
body{font:15px/1.5 system-ui,sans-serif;margin:0;color:#1c2430;background:#f6f7f9}
main{max-width:960px;margin:0 auto;padding:24px 16px 64px}
h1{font-size:26px;margin:0 0 4px}h2{margin:40px 0 8px;font-size:20px;border-bottom:1px solid #d5dae1}
section{background:#fff;border:1px solid #d5dae1;border-radius:8px;padding:14px 16px;margin:12px 0}
h3{margin:0;font-size:16px;display:flex;gap:10px;align-items:baseline;flex-wrap:wrap}
code,pre{font:13px/1.45 ui-monospace,Menlo,Consolas,monospace}
pre{background:#f1f3f6;padding:10px;border-radius:6px;overflow:auto;max-height:420px}
.m{font:700 12px ui-monospace,monospace;padding:2px 8px;border-radius:4px;color:#fff;background:#3b5bdb;text-transform:uppercase}
.m-post{background:#2b8a3e}.m-put,.m-patch{background:#c26a00}.m-delete{background:#c92a2a}
table{border-collapse:collapse;width:100%;margin:6px 0}td,th{border-top:1px solid #e3e7ec;padding:4px 6px;text-align:left;vertical-align:top}
.lock{font-size:12px;color:#5c6570}td:last-child{overflow-wrap:anywhere}@media(max-width:600px){main{padding:12px 8px}section{padding:10px}td,th{padding:3px 4px;font-size:13px}}.problems{margin:4px 0;padding-left:18px;font-size:14px}nav a{margin-right:12px}summary{cursor:pointer}
`;

/** Escaped text with `code spans` marked up (the backticks survive escaping unchanged). */
function prose(s: string): string {
  return escapeHtml(s).replace(/`([^`]+)`/g, '<code>$1</code>');
}

function schemaBlock(label: string, schema: unknown): string {
  return `<details><summary>${escapeHtml(label)}</summary><pre>${escapeHtml(JSON.stringify(schema, null, 2))}</pre></details>`;
}

function renderOperation(method: string, path: string, op: Operation): string {
  const auth = op.security?.length
    ? Object.keys(op.security[0]!).map(escapeHtml).join(', ')
    : 'public';
  const params = op.parameters?.length
    ? `<table><tr><th>parameter</th><th>in</th><th>required</th><th>description</th></tr>${op.parameters
        .map(
          (p) =>
            `<tr><td><code>${escapeHtml(p.name)}</code></td><td>${escapeHtml(p.in)}</td><td>${p.required ? 'yes' : 'no'}</td><td>${prose(p.description ?? '')}</td></tr>`,
        )
        .join('')}</table>`
    : '';
  const body = op.requestBody
    ? Object.entries(op.requestBody.content)
        .map(([type, c]) => schemaBlock(`Request body (${type})`, c.schema))
        .join('')
    : '';
  const isProblem = (r: Operation['responses'][string]) =>
    Object.keys(r.content ?? {}).join() === 'application/problem+json';
  const entries = Object.entries(op.responses);
  const responses = entries
    .filter(([, r]) => !isProblem(r))
    .map(([status, r]) => {
      const content = Object.entries(r.content ?? {})
        .map(([type, c]) => schemaBlock(type, c.schema))
        .join('');
      return `<tr><td><code>${escapeHtml(status)}</code></td><td>${prose(r.description)}${content}</td></tr>`;
    })
    .join('');
  const problems = entries
    .filter(([, r]) => isProblem(r))
    .map(([status, r]) => `<li><code>${escapeHtml(status)}</code> ${prose(r.description)}</li>`)
    .join('');
  return `<section id="${escapeHtml(`${method}-${path}`)}">
<h3><span class="m m-${escapeHtml(method)}">${escapeHtml(method)}</span><code>${escapeHtml(path)}</code><span class="lock">auth: ${auth}</span></h3>
<p>${prose(op.summary ?? '')}</p>${op.description ? `<p>${prose(op.description)}</p>` : ''}
${params}${body}<table><tr><th>status</th><th>response</th></tr>${responses}</table>
${problems ? `<p class="lock">Errors (application/problem+json):</p><ul class="problems">${problems}</ul>` : ''}</section>`;
}

/**
 * The whole reference page. No scripts, no external assets: it works offline and under a strict CSP.
 *
 * @example c.html(renderDocs(document))
 */
export function renderDocs(doc: OpenApiDocument): string {
  const byTag = new Map<string, string[]>();
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(item as Record<string, Operation>)) {
      const tag = op.tags?.[0] ?? 'Other';
      const list = byTag.get(tag) ?? [];
      list.push(renderOperation(method, path, op));
      byTag.set(tag, list);
    }
  }
  const nav = [...byTag.keys()]
    .map((t) => `<a href="#tag-${escapeHtml(t)}">${escapeHtml(t)}</a>`)
    .join('');
  const sections = [...byTag.entries()]
    .map(([t, ops]) => `<h2 id="tag-${escapeHtml(t)}">${escapeHtml(t)}</h2>${ops.join('\n')}`)
    .join('\n');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(doc.info.title)} reference</title><style>${STYLE}</style></head>
<body><main><h1>${escapeHtml(doc.info.title)} <small>${escapeHtml(doc.info.version)}</small></h1>
<p>${prose(doc.info.description)}</p><p>Machine-readable: <a href="/openapi.json">/openapi.json</a> (OpenAPI ${escapeHtml(doc.openapi)}).</p>
<nav>${nav}</nav>${sections}</main></body></html>`;
}
