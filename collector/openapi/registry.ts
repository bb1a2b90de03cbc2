/** A small OpenAPI 3.1 registry: each route described once with zod, the document generated from it. */
import { z } from 'zod';

export type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

/** How a route authenticates (names of `components.securitySchemes`). */
export type Security = 'secretKey' | 'adminToken' | 'segmentWriteKey' | 'public';

export interface ResponseDoc {
  description: string;
  /** JSON body; omit for empty bodies. */
  schema?: z.ZodType;
  /** Non-JSON bodies (`text/csv`, `text/html`, `text/plain`). */
  contentType?: string;
  /** Response headers worth documenting: name → description (string values). */
  headers?: Record<string, string>;
}

/** One operation of the API. */
export interface RouteDoc {
  method: Method;
  /** OpenAPI path template: `/v1/leads/{id}`. */
  path: string;
  summary: string;
  description?: string;
  tags: string[];
  security: Security;
  query?: z.ZodType;
  body?: z.ZodType;
  /** Path parameters' descriptions (every `{name}` is a required string). */
  params?: Record<string, string>;
  responses: Record<number, ResponseDoc>;
  /**
   * Problem statuses this route may answer besides the documented responses and the ones every
   * route of its kind gets (see {@link genericProblems}); `[status, description]` says what the
   * status means on this route.
   */
  problems?: (number | [status: number, description: string])[];
}

const PROBLEM_TEXT: Record<number, string> = {
  400: 'Invalid request: `errors` lists each failing path',
  401: 'Missing or invalid credentials',
  403: 'Origin not allowed for this site',
  404: 'Not found (or belongs to another site)',
  409: 'Conflict with the current state',
  412: 'Precondition failed: changed since it was read (`If-Match`)',
  413: 'Body too large',
  415: 'Unsupported media type',
  429: 'Rate limited; see `Retry-After`',
  503: 'Store unreachable; retry later',
};

/** RFC 9457 problem details, as every error is answered. */
export const problemSchema = z.object({
  type: z.string(),
  title: z.string(),
  status: z.int(),
  detail: z.string().optional(),
  errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
});

/** JSON Schema (2020-12, OpenAPI 3.1's dialect) of a zod schema, as a request or a response. */
export function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): Record<string, unknown> {
  const { $schema: _, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' });
  return dropFormatPatterns(rest) as Record<string, unknown>;
}

/** zod adds a long regex next to `format: date-time` and friends; the format says it for people. */
function dropFormatPatterns(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(dropFormatPatterns);
  if (typeof node !== 'object' || node === null) return node;
  const out: Record<string, unknown> = {};
  const formatted = typeof (node as { format?: unknown }).format === 'string';
  for (const [k, v] of Object.entries(node)) {
    if (k === 'pattern' && formatted) continue;
    out[k] = dropFormatPatterns(v);
  }
  return out;
}

/** `/v1/leads/{id}` → `/v1/leads/:id` (Hono's syntax), to compare documented and served routes. */
export function honoPath(path: string): string {
  return path.replace(/\{(\w+)\}/g, ':$1');
}

/**
 * The problems a route answers because of what it takes, whichever feature implements it: 400
 * for an invalid body or query, or a path or query value PostgreSQL cannot store (a NUL: see
 * `safeUrl`); 401 without credentials; 404 for an unknown id in the path; 413 and 415 for a body
 * too large or not JSON (every body is read by `readJson` or `readSegmentJson`); 503 when the
 * store is unreachable.
 */
function genericProblems(r: RouteDoc): number[] {
  const hasParams = r.path.includes('{');
  return [
    ...(r.body || r.query || hasParams ? [400] : []),
    ...(r.security === 'public' ? [] : [401]),
    ...(hasParams ? [404] : []),
    ...(r.body ? [413, 415] : []),
    503,
  ];
}

function operation(r: RouteDoc) {
  const parameters: Record<string, unknown>[] = [];
  for (const name of r.path.match(/\{(\w+)\}/g) ?? []) {
    const n = name.slice(1, -1);
    parameters.push({
      name: n,
      in: 'path',
      required: true,
      schema: { type: 'string' },
      ...(r.params?.[n] ? { description: r.params[n] } : {}),
    });
  }
  if (r.query) {
    const q = jsonSchema(r.query, 'input') as {
      properties?: Record<string, Record<string, unknown>>;
      required?: string[];
    };
    for (const [name, schema] of Object.entries(q.properties ?? {})) {
      const { description, ...s } = schema;
      parameters.push({
        name,
        in: 'query',
        required: q.required?.includes(name) ?? false,
        schema: s,
        ...(typeof description === 'string' ? { description } : {}),
      });
    }
  }
  const responses: Record<string, unknown> = {};
  for (const [status, res] of Object.entries(r.responses)) {
    responses[status] = {
      description: res.description,
      ...(res.headers
        ? {
            headers: Object.fromEntries(
              Object.entries(res.headers).map(([name, description]) => [
                name,
                { description, schema: { type: 'string' } },
              ]),
            ),
          }
        : {}),
      ...(res.schema
        ? { content: { 'application/json': { schema: jsonSchema(res.schema, 'output') } } }
        : res.contentType
          ? { content: { [res.contentType]: { schema: { type: 'string' } } } }
          : {}),
    };
  }
  const problems = new Map<number, string>();
  for (const p of [...(r.problems ?? []), ...genericProblems(r)]) {
    const [status, description] = typeof p === 'number' ? [p, PROBLEM_TEXT[p] ?? 'Error'] : p;
    if (!problems.has(status)) problems.set(status, description);
  }
  for (const [status, description] of [...problems].sort(([a], [b]) => a - b)) {
    responses[status] ??= {
      description,
      content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
    };
  }
  return {
    operationId: `${r.method}${r.path.replace(/[^a-zA-Z0-9]+(\w?)/g, (_, c: string) => c.toUpperCase())}`,
    summary: r.summary,
    ...(r.description ? { description: r.description } : {}),
    tags: r.tags,
    security: r.security === 'public' ? [] : [{ [r.security]: [] }],
    ...(parameters.length ? { parameters } : {}),
    ...(r.body
      ? {
          requestBody: {
            required: true,
            content: { 'application/json': { schema: jsonSchema(r.body, 'input') } },
          },
        }
      : {}),
    responses,
  };
}

/**
 * The OpenAPI 3.1 document of `routes`.
 *
 * @example const doc = buildDocument(ROUTES, { version: '0.1.0' });
 */
export function buildDocument(routes: readonly RouteDoc[], info: { version: string }) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of routes) {
    paths[r.path] ??= {};
    paths[r.path]![r.method] = operation(r);
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Touchpoint API',
      version: info.version,
      description:
        'Website tracking and lead capture: ingest (tag and Segment-compatible server-side), forms, and the marketer API (leads, scoring, lifecycle, reports, segments, webhooks). Errors are `application/problem+json` (RFC 9457).',
      license: { name: 'MIT', identifier: 'MIT' },
    },
    tags: [...new Set(routes.flatMap((r) => r.tags))].map((name) => ({ name })),
    paths,
    components: {
      schemas: { Problem: jsonSchema(problemSchema, 'output') },
      securitySchemes: {
        secretKey: {
          type: 'http',
          scheme: 'bearer',
          description: "A site's secret key `sk_…` (marketer API; one site per key)",
        },
        adminToken: {
          type: 'http',
          scheme: 'bearer',
          description: 'The operator token `TOUCHPOINT_ADMIN_TOKEN`',
        },
        segmentWriteKey: {
          type: 'http',
          scheme: 'basic',
          description: 'Segment-style: the secret key as user name, empty password',
        },
      },
    },
  };
}

export type OpenApiDocument = ReturnType<typeof buildDocument>;
