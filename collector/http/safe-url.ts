/** Rejects URLs whose path or query cannot be stored: malformed escapes, NUL, lone surrogates. */
import type { MiddlewareHandler } from 'hono';
import { storableString } from '../../shared/json-limits.ts';
import { HttpProblem } from './problem.ts';

/**
 * 400 for a URL with a path segment or query value PostgreSQL would refuse (a NUL byte or a lone
 * surrogate, e.g. `/v1/leads/%00`), or a malformed percent escape, before any route passes it
 * to SQL as a parameter. Every route then only sees storable strings.
 *
 * @example app.use('/v1/*', safeUrl());
 */
export function safeUrl(): MiddlewareHandler {
  return async (c, next) => {
    const url = c.req.url;
    const start = url.indexOf('/', url.indexOf('//') + 2);
    const rest = start < 0 ? '' : url.slice(start);
    if (rest.includes('%') || /[^\x20-\x7e]/.test(rest)) {
      for (const part of rest.split(/[/?&=]/)) {
        let decoded: string;
        try {
          decoded = decodeURIComponent(part.replaceAll('+', ' '));
        } catch {
          throw new HttpProblem(400, 'invalid-url', 'The URL has a malformed percent escape', [
            { path: 'url', message: 'malformed percent escape' },
          ]);
        }
        if (!storableString(decoded)) {
          throw new HttpProblem(400, 'invalid-url', 'The URL contains a NUL or a lone surrogate', [
            { path: 'url', message: 'contains a NUL character or a lone surrogate' },
          ]);
        }
      }
    }
    await next();
  };
}
