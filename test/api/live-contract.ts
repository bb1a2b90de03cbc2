/**
 * Checks live answers against the served OpenAPI document, as an outside test suite would: the
 * status is documented for the operation, the media type is the documented one, and a JSON body
 * validates against the documented schema (Ajv, JSON Schema 2020-12, OpenAPI 3.1's dialect).
 */
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

interface MediaDoc {
  schema?: unknown;
}

interface OperationDoc {
  security?: Record<string, unknown>[];
  requestBody?: unknown;
  responses: Record<string, { description: string; content?: Record<string, MediaDoc> }>;
}

/** The parts of `/openapi.json` the check reads. */
export interface ServedDocument {
  paths: Record<string, Record<string, OperationDoc>>;
}

/** An answer as the check saw it. */
export interface Answer {
  /** The documented operation the request matched: `POST /v1/leads/{id}/merge`. */
  operation: string;
  status: number;
  headers: Headers;
  /** The parsed JSON body, the text of any other body, or `null` when empty. */
  // biome-ignore lint/suspicious/noExplicitAny: scenarios read loosely typed JSON answers
  body: any;
  /** How the answer differs from the document; empty when it is as documented. */
  mismatches: string[];
}

/** Where the document is registered in Ajv: `$ref`s inside it resolve against it. */
const DOC_ID = 'touchpoint:openapi';

const isJson = (mediaType: string) => /^application\/([\w.-]+\+)?json$/.test(mediaType);

/** A JSON pointer into the document, as a URI fragment. */
const pointer = (...tokens: string[]) =>
  tokens
    .map((t) => `/${encodeURIComponent(t.replaceAll('~', '~0').replaceAll('/', '~1'))}`)
    .join('');

/**
 * The document's operations, and a check of any answer against them.
 *
 * @example
 * const contract = new LiveContract(await (await app.request('/openapi.json')).json());
 * const answer = await contract.check('GET', '/v1/leads', await app.request('/v1/leads'));
 * expect(answer.mismatches).toEqual([]);
 */
export class LiveContract {
  /** The statuses seen for each operation (`GET /v1/leads` → {200, 401}). */
  readonly seen = new Map<string, Set<number>>();
  private readonly ajv = new Ajv2020({ strict: false, allErrors: true });
  private readonly routes: { method: string; path: string; pattern: RegExp; params: number }[];

  constructor(readonly doc: ServedDocument) {
    addFormats(this.ajv);
    // The whole document as one schema: `#/components/schemas/Problem` resolves inside it.
    this.ajv.addSchema(doc, DOC_ID);
    this.routes = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.keys(ops).map((method) => ({
        method: method.toUpperCase(),
        path,
        pattern: new RegExp(`^${path.replace(/[.]/g, '\\.').replace(/\{\w+\}/g, '[^/]+')}$`),
        params: path.split('{').length - 1,
      })),
    );
  }

  /** Every documented operation: `PATCH /v1/leads/{id}`. */
  operations(): string[] {
    return this.routes.map((r) => `${r.method} ${r.path}`);
  }

  /** The operation of a request: a literal path (`/v1/leads/export.csv`) wins over a template. */
  operationOf(method: string, url: string): { method: string; path: string } | undefined {
    const path = new URL(url, 'http://localhost').pathname;
    return this.routes
      .filter((r) => r.method === method.toUpperCase() && r.pattern.test(path))
      .sort((a, b) => a.params - b.params)[0];
  }

  /** The operation's documentation (its security, request body and responses). */
  operation(op: { method: string; path: string }): OperationDoc {
    return this.doc.paths[op.path]![op.method.toLowerCase()]!;
  }

  /** Reads the answer to `method url` and lists how it differs from the document. */
  async check(method: string, url: string, res: Response): Promise<Answer> {
    const text = await res.text();
    const mediaType = (res.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
    const answer: Answer = {
      operation: `${method.toUpperCase()} ${url}`,
      status: res.status,
      headers: res.headers,
      body: text === '' ? null : text,
      mismatches: [],
    };
    const op = this.operationOf(method, url);
    if (!op) {
      answer.mismatches.push(`${method} ${url} matches no documented operation`);
      return answer;
    }
    answer.operation = `${op.method} ${op.path}`;
    const statuses = this.seen.get(answer.operation) ?? new Set<number>();
    this.seen.set(answer.operation, statuses.add(res.status));

    const documented = this.operation(op).responses[String(res.status)];
    if (!documented) {
      answer.mismatches.push(
        `${answer.operation} answered ${res.status}, which it does not document: ${text.slice(0, 300)}`,
      );
      return answer;
    }
    if (!documented.content) {
      if (text !== '')
        answer.mismatches.push(`${answer.operation} ${res.status} documents no body, got one`);
      return answer;
    }
    if (!(mediaType in documented.content)) {
      const expected = Object.keys(documented.content).join(' or ');
      answer.mismatches.push(
        `${answer.operation} ${res.status} is ${mediaType || '(no type)'}, documented ${expected}`,
      );
      return answer;
    }
    if (!isJson(mediaType)) return answer;
    try {
      answer.body = JSON.parse(text);
    } catch {
      answer.mismatches.push(
        `${answer.operation} ${res.status} is not JSON: ${text.slice(0, 100)}`,
      );
      return answer;
    }
    const ref = pointer('paths', op.path, op.method.toLowerCase(), 'responses');
    const validate = this.ajv.getSchema(
      `${DOC_ID}#${ref}${pointer(String(res.status), 'content', mediaType, 'schema')}`,
    );
    if (!validate) throw new Error(`no schema for ${answer.operation} ${res.status}`);
    if (!validate(answer.body)) {
      for (const e of validate.errors ?? [])
        answer.mismatches.push(
          `${answer.operation} ${res.status}: ${e.instancePath || '(body)'} ${e.message}${
            e.keyword === 'additionalProperties'
              ? ` (${(e.params as { additionalProperty: string }).additionalProperty})`
              : ''
          }`,
        );
    }
    return answer;
  }
}
