/** Validate at the edge, once: parse a body or query with zod, answer 400 with field paths. */
import type { Context } from 'hono';
import type { z } from 'zod';
import { storableJson } from '../../shared/json-storable.ts';
import type { FieldError } from '../../shared/wire.ts';
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

/**
 * Validates the query string. Repeated parameters are never silently cut: one in `lists` joins
 * its values with commas (`stage=mql&stage=sql` reads as `stage=mql,sql`, the list's comma
 * form); any other parameter the schema knows, given twice, is a 400 naming it (unknown ones are
 * ignored anyway). Most HTTP clients send an array as a repeated parameter, and reading only its
 * first value would answer a different question than the one asked, with a 200.
 *
 * @example const q = readQuery(c, leadListQuerySchema, ['stage']);
 */
export function readQuery<S extends z.ZodType>(
  c: Context,
  schema: S,
  lists: readonly string[] = [],
): z.infer<S> {
  const known = 'shape' in schema ? Object.keys(schema.shape as object) : [];
  const { values, errors } = flattenQuery(c.req.queries(), known, lists);
  if (errors.length > 0)
    throw new HttpProblem(400, 'invalid', 'A query parameter is given more than once', errors);
  return parse(schema, values);
}

/**
 * One value per parameter, from every value given, as {@link readQuery} reads them.
 *
 * @example flattenQuery({ stage: ['mql', 'sql'] }, ['stage'], ['stage']) // { values: { stage: 'mql,sql' }, errors: [] }
 */
export function flattenQuery(
  queries: Record<string, string[]>,
  known: readonly string[],
  lists: readonly string[] = [],
): { values: Record<string, string>; errors: FieldError[] } {
  const values: Record<string, string> = {};
  const errors: FieldError[] = [];
  for (const [key, all] of Object.entries(queries)) {
    if (all.length > 1 && known.includes(key) && !lists.includes(key))
      errors.push({ path: key, message: 'given more than once; send one value' });
    values[key] = all.join(',');
  }
  return { values, errors };
}
