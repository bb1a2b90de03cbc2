/** Identity stitching (DESIGN §7): identify signals link anonymous ids to leads; merges and erasure. */
export { type AuditRow, audit } from './audit.ts';
export {
  browserAnonymousIdSql,
  isBrowserAnonymousId,
  leadAnonymousId,
  SERVER_ANONYMOUS_ID_PREFIXES,
} from './browsers.ts';
export { eraseLead } from './erase.ts';
export {
  type Identifier,
  type IdentifierKind,
  identifiersOf,
  isBlocked,
  normalizeAnonymousId,
  normalizeEmail,
  normalizeUserId,
} from './identifiers.ts';
export { lockLive, nameOf } from './leads.ts';
export { inLinkRange, MAX_ANONYMOUS_IDS } from './links.ts';
export { lockKeys } from './locks.ts';
export { mergeLeads } from './merge.ts';
export { identityProcessor } from './processor.ts';
export { type IdentifyInput, type IdentifyResult, resolveIdentity } from './resolve.ts';
