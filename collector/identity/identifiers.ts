/** Identifiers of a person (DESIGN §7): normalization and the values that never identify anyone. */

/** Kinds of identifier a lead can own; the anonymous id is linked, not owned. */
export type IdentifierKind = 'email' | 'userId';

export interface Identifier {
  kind: IdentifierKind;
  value: string;
}

/**
 * Placeholder values that libraries and forms send when they know nobody: linking on them would
 * stitch every anonymous visitor of a site into one lead.
 */
const BLOCKED = new Set([
  '',
  'null',
  'undefined',
  'anonymous',
  '0',
  '-1',
  '[object object]',
  'nan',
  'none',
]);

/**
 * True when `v` (trimmed, any case) is a placeholder rather than an identifier.
 *
 * @example isBlocked(' Undefined ') // true
 */
export function isBlocked(v: string): boolean {
  return BLOCKED.has(v.trim().toLowerCase());
}

/** Longest identifier kept: longer values are not ids but accidents (or attacks). */
const MAX_LEN = 320;

/** An identifier value from untrusted input: strings and finite numbers, trimmed; else null. */
function raw(v: unknown): string | null {
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  if (typeof v !== 'string') return null;
  const s = v.trim();
  return s.length > 0 && s.length <= MAX_LEN && !isBlocked(s) ? s : null;
}

/** Longest email (RFC 5321's path limit), the same cap as the forms' email field. */
const MAX_EMAIL = 254;

/**
 * The normalized email (trimmed, lowercased), or null for a blocked, too long or non-email value.
 *
 * @example normalizeEmail('  Ada@Example.COM ') // 'ada@example.com'
 */
export function normalizeEmail(v: unknown): string | null {
  const s = raw(v)?.toLowerCase() ?? null;
  return s && s.length <= MAX_EMAIL && /^[^\s@]+@[^\s@]+$/.test(s) ? s : null;
}

/**
 * The userId as sent (trimmed; ids are case-sensitive), or null when blocked.
 *
 * @example normalizeUserId(' u-42 ') // 'u-42'; normalizeUserId('undefined') // null
 */
export function normalizeUserId(v: unknown): string | null {
  return raw(v);
}

/** The anonymous id, or null when it is a placeholder. */
export function normalizeAnonymousId(v: unknown): string | null {
  return typeof v === 'string' ? raw(v) : null;
}

/** The identifiers among `email` and `userId`, normalized, blocked values dropped. */
export function identifiersOf(input: { email?: unknown; userId?: unknown }): Identifier[] {
  const out: Identifier[] = [];
  const userId = normalizeUserId(input.userId);
  if (userId) out.push({ kind: 'userId', value: userId });
  const email = normalizeEmail(input.email);
  if (email) out.push({ kind: 'email', value: email });
  return out;
}
