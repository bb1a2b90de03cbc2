/** Identifiers of a person (DESIGN §7): normalization and the values that never identify anyone. */

/** Kinds of identifier a lead can own; the anonymous id is linked, not owned. */
export type IdentifierKind = 'email' | 'userId';

export interface Identifier {
  kind: IdentifierKind;
  value: string;
}

/**
 * Placeholder values that libraries and forms send when they know nobody: linking on them would
 * stitch every anonymous visitor of a site into one lead. DESIGN §7's list, plus the
 * placeholders other identity systems block by default (PostHog's `true`/`false`/`guest`,
 * Segment Unify's `nil`, `n/a`, empty JSON). Emails are not blocked by value: `test@test.com`
 * may be a real test account, and an integrator's own tests use such addresses.
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
  'nil',
  'n/a',
  'true',
  'false',
  'guest',
  'unknown',
  '[]',
  '{}',
]);

/**
 * Characters that never show and never matter in an identifier a person typed or pasted:
 * zero-width spaces and joiners, the byte-order mark, soft hyphens (Unicode format characters).
 * Left in, `ada\u200b@x.com` would be a second person next to `ada@x.com`.
 */
const INVISIBLE = /\p{Cf}/gu;

/**
 * True when `v` (trimmed, any case) is a placeholder rather than an identifier.
 *
 * @example isBlocked(' Undefined ') // true
 */
export function isBlocked(v: string): boolean {
  return BLOCKED.has(v.replace(INVISIBLE, '').trim().toLowerCase());
}

/** Longest identifier kept: longer values are not ids but accidents (or attacks). */
const MAX_LEN = 320;

/**
 * An identifier value from untrusted input: strings and finite numbers, trimmed; else null.
 * Numbers go through the same blocked list as strings: `userId: 0` is the placeholder `'0'`.
 */
function raw(v: unknown): string | null {
  const s =
    typeof v === 'number' && Number.isFinite(v)
      ? String(v)
      : typeof v === 'string'
        ? v.trim()
        : null;
  return s && s.length <= MAX_LEN && !isBlocked(s) ? s : null;
}

/** Longest email (RFC 5321's path limit), the same cap as the forms' email field. */
const MAX_EMAIL = 254;

/**
 * The normalized email (trimmed, invisible characters removed, Unicode NFC, lowercased), or null
 * for a blocked, too long or non-email value. NFC because macOS and some keyboards send `ä` as
 * `a` + a combining mark (NFD): the same address typed on two devices must be one person.
 *
 * @example normalizeEmail('  Ada@Example.COM ') // 'ada@example.com'
 */
export function normalizeEmail(v: unknown): string | null {
  const text = typeof v === 'string' ? v.replace(INVISIBLE, '').normalize('NFC') : v;
  // NFC again after lowercasing: some letters lowercase to a base letter plus a combining mark.
  const s = raw(text)?.toLowerCase().normalize('NFC') ?? null;
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
