/** Expected failures as RFC 9457 problem details; one `onError` turns them into responses. */
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { ZodError } from 'zod';
import type { FieldError, Problem } from '../../shared/wire.ts';

const TITLES: Record<number, string> = {
  400: 'Invalid request',
  401: 'Authentication required',
  403: 'Forbidden',
  404: 'Not found',
  405: 'Method not allowed',
  409: 'Conflict',
  412: 'Precondition failed',
  413: 'Payload too large',
  415: 'Unsupported media type',
  422: 'Unprocessable content',
  429: 'Too many requests',
  500: 'Internal error',
  503: 'Service unavailable',
};

/**
 * Thrown anywhere a request must stop with a 4xx/5xx; rendered as `application/problem+json`.
 *
 * @example throw new HttpProblem(404, 'unknown-site', 'No site has this public key');
 */
export class HttpProblem extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly detail?: string,
    readonly errors?: FieldError[],
    readonly headers: Record<string, string> = {},
  ) {
    super(detail ?? code);
  }

  toJSON(): Problem {
    return {
      type: `https://touchpoint.dev/problems/${this.code}`,
      title: TITLES[this.status] ?? 'Error',
      status: this.status,
      ...(this.detail ? { detail: this.detail } : {}),
      ...(this.errors ? { errors: this.errors } : {}),
    };
  }
}

/** Field errors of a zod failure, with dotted paths (`events.0.type`). */
export function zodErrors(err: ZodError): FieldError[] {
  return err.issues.slice(0, 50).map((i) => ({
    path: i.path.map(String).join('.'),
    message: i.message,
  }));
}

/** A 400 for a zod failure. */
export function invalid(
  err: ZodError,
  detail = 'The request does not match the schema',
): HttpProblem {
  return new HttpProblem(400, 'invalid', detail, zodErrors(err));
}

/** Renders a problem as the response, with its headers (`Retry-After`, CORS set earlier stay). */
export function problemResponse(c: Context, p: HttpProblem): Response {
  for (const [k, v] of Object.entries(p.headers)) c.header(k, v);
  c.header('Content-Type', 'application/problem+json');
  return c.body(JSON.stringify(p.toJSON()), p.status as ContentfulStatusCode);
}
