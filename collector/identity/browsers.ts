/** Which anonymous ids are browsers: the one definition of a website visitor the API counts. */

import { isBrowserAnonymousId, SERVER_ANONYMOUS_ID_PREFIXES } from '../../shared/schemas.ts';

// One list of prefixes, shared with the public routes' schema (which refuses them).
export { isBrowserAnonymousId, SERVER_ANONYMOUS_ID_PREFIXES };

/**
 * The anonymous id that carries a lead's server-side events (`POST /v1/leads/{id}/events`):
 * linked to the lead from `-infinity`, so every such event belongs to it. (Segment
 * userId-only messages use `uid:…`.) Erasure removes it by name as well as by link.
 *
 * @example leadAnonymousId('lead_abc') // 'lead:lead_abc'
 */
export const leadAnonymousId = (leadId: string): string => `lead:${leadId}`;

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
