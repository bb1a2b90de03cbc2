/** Which anonymous ids are browsers: the one definition of a website visitor the API counts. */

import { isBrowserAnonymousId, SERVER_ANONYMOUS_ID_PREFIXES } from '../../shared/schemas.ts';

// One list of prefixes, shared with the public routes' schema (which refuses them).
export { isBrowserAnonymousId, SERVER_ANONYMOUS_ID_PREFIXES };

/**
 * {@link isBrowserAnonymousId} as a SQL condition on an anonymous-id column: every report,
 * visitor list and lead's browser list applies this one, so "visitors" means the same
 * everywhere. The prefixes are constants (no LIKE wildcards in them), never user input.
 *
 * @example `select count(*) from visitors v where ${browserAnonymousIdSql('v.anonymous_id')}`
 */
export function browserAnonymousIdSql(column: string): string {
  return `(${SERVER_ANONYMOUS_ID_PREFIXES.map((p) => `${column} not like '${p}%'`).join(' and ')})`;
}
