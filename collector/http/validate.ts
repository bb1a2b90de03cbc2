/** Validate at the edge, once: parse a body or query with zod, answer 400 with field paths. */
import type { Context } from 'hono';
import type { z } from 'zod';
import { storableJson } from '../../shared/json-storable.ts';
import { HttpProblem, invalid } from './problem.ts';

/**
 * Reads the body as JSON (`application/json` or, from sendBeacon, `text/plain`; uncompressed),
 * then validates it. Bodies were already capped by the body-limit middleware. With `repaired`,
 * strings are made storable before validation (lone surrogates and NUL as U+FFFD, no leading
 * U+FEFF: `storableJson`) and their paths pushed there (the public write endpoints: a visitor's
 * page must not lose a batch over half an emoji).
 *
 * @example const batch = await readJson(c, collectBatchSchema, repaired);
 */
export async function readJson<S extends z.ZodType>(
  c: Context,
  schema: S,
  repaired?: string[],
): Promise<z.infer<S>> {
  const type = c.req.header('content-type') ?? '';
  if (type && !/^(application\/(json|[\w.+-]*\+json)|text\/plain)\b/i.test(type)) {
    throw new HttpProblem(415, 'unsupported-media-type', 'Send application/json or text/plain');
  }
  // Compressed bodies are the Segment-compatible API's (`readSegmentJson`), not these routes'.
  const encoding = c.req.header('content-encoding')?.trim().toLowerCase();
  if (encoding && encoding !== 'identity') {
    throw new HttpProblem(415, 'unsupported-encoding', 'Send the body uncompressed');
  }
  let raw: unknown;
  try {
    raw = JSON.parse(await c.req.text());
  } catch {
    throw new HttpProblem(400, 'malformed-json', 'The body is not valid JSON', [
      { path: '', message: 'not valid JSON' },
    ]);
  }
  return parse(schema, repaired ? storableJson(raw, '', repaired) : raw);
}

/** Validates a parsed value; throws a 400 problem listing every failing path. */
export function parse<S extends z.ZodType>(schema: S, value: unknown): z.infer<S> {
  const res = schema.safeParse(value);
  if (!res.success) throw invalid(res.error);
  return res.data;
}

/** Validates the query string. */
export function readQuery<S extends z.ZodType>(c: Context, schema: S): z.infer<S> {
  return parse(schema, c.req.query());
}
