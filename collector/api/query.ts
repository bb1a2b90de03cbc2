/** Query strings of the marketer API's GET routes: repeated parameters are never silently cut. */
import type { Context } from 'hono';
import type { z } from 'zod';
import type { FieldError } from '../../shared/wire.ts';
import { HttpProblem } from '../http/problem.ts';
import { parse } from '../http/validate.ts';

/**
 * One value per parameter, from every value given: a parameter in `lists` joins its values with
 * commas (`stage=mql&stage=sql` reads as `stage=mql,sql`, the list's comma form); any other
 * `known` parameter given twice is an error (unknown ones are ignored anyway). Why: most HTTP
 * clients send an array as a repeated parameter, and reading only its first value would answer
 * a different question than the one asked, with a 200.
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

/**
 * Validates the query string like `readQuery`, reading repeated parameters as
 * {@link flattenQuery} does: a 400 problem names each repeated single-value parameter.
 *
 * @example const q = readApiQuery(c, leadListQuery, ['stage']);
 */
export function readApiQuery<S extends z.ZodObject>(
  c: Context,
  schema: S,
  lists: readonly string[] = [],
): z.infer<S> {
  const { values, errors } = flattenQuery(c.req.queries(), Object.keys(schema.shape), lists);
  if (errors.length > 0)
    throw new HttpProblem(400, 'invalid', 'A query parameter is given more than once', errors);
  return parse(schema, values);
}
