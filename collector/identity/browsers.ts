/** Which anonymous ids are browsers: the one definition of a website visitor the API counts. */

/**
 * Prefixes of the anonymous ids the collector makes up for events no browser sent:
 * `lead:<leadId>` for `POST /v1/leads/{id}/events` (`leadAnonymousId` in `lifecycle/`) and
 * `uid:<userId>` for Segment messages with only a `userId` (`anonymousIdOf` in `ingest/`). They
 * are linked to leads like browsers, so merges, erasure, timelines and scoring need no special
 * case; but they are nobody's device, so they are never visitors.
 */
export const SERVER_ANONYMOUS_ID_PREFIXES = ['lead:', 'uid:'] as const;

/**
 * True when events under this anonymous id come from a browser (or a server speaking for one,
 * as Segment's `anonymousId` does), not from an id the collector made up for server-side events.
 *
 * @example isBrowserAnonymousId('8f14e45f-…') // true; isBrowserAnonymousId('lead:lead_abc') // false
 */
export function isBrowserAnonymousId(anonymousId: string): boolean {
  return !SERVER_ANONYMOUS_ID_PREFIXES.some((p) => anonymousId.startsWith(p));
}

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
