/** Limits on free-form JSON (properties, traits, form values): pure, shared by tag and collector. */

export const JSON_LIMITS = {
  depth: 6,
  keysPerObject: 100,
  arrayItems: 100,
  stringChars: 8_192,
  keyChars: 200,
} as const;

/**
 * A string both stores return byte-for-byte: no NUL (PostgreSQL refuses it), no lone surrogate
 * (not UTF-8), and no leading U+FEFF (PGlite's wire decoder drops a byte order mark at the start
 * of a text value, so it would come back one character shorter than on PostgreSQL).
 */
export function storableString(s: string): boolean {
  return !s.includes('\u0000') && s.isWellFormed() && s.charCodeAt(0) !== 0xfeff;
}

/**
 * Problems of a free-form JSON value, as `[path, message]` pairs (empty when it is fine).
 *
 * @example jsonProblems({ a: { b: '\u0000' } }) // [['a.b', 'contains a NUL character']]
 */
export function jsonProblems(
  value: unknown,
  path = '',
  depth = 0,
  out: [string, string][] = [],
): [string, string][] {
  if (out.length >= 20) return out;
  const at = (k: string | number) => (path ? `${path}.${k}` : String(k));
  if (typeof value === 'string') {
    if (value.length > JSON_LIMITS.stringChars)
      out.push([path, `longer than ${JSON_LIMITS.stringChars} characters`]);
    else if (!storableString(value))
      out.push([path, 'contains a NUL character, a lone surrogate or a leading U+FEFF']);
  } else if (typeof value === 'number') {
    if (!Number.isFinite(value)) out.push([path, 'not a finite number']);
  } else if (value === null || typeof value === 'boolean') {
    // fine
  } else if (Array.isArray(value)) {
    if (depth >= JSON_LIMITS.depth) out.push([path, `nested deeper than ${JSON_LIMITS.depth}`]);
    else if (value.length > JSON_LIMITS.arrayItems)
      out.push([path, `more than ${JSON_LIMITS.arrayItems} items`]);
    else for (const [i, v] of value.entries()) jsonProblems(v, at(i), depth + 1, out);
  } else if (typeof value === 'object') {
    if (depth >= JSON_LIMITS.depth) {
      out.push([path, `nested deeper than ${JSON_LIMITS.depth}`]);
      return out;
    }
    const keys = Object.keys(value);
    if (keys.length > JSON_LIMITS.keysPerObject) {
      out.push([path, `more than ${JSON_LIMITS.keysPerObject} keys`]);
      return out;
    }
    for (const k of keys) {
      if (k.length > JSON_LIMITS.keyChars || !storableString(k))
        out.push([at(k), 'key too long or not storable']);
      else jsonProblems((value as Record<string, unknown>)[k], at(k), depth + 1, out);
    }
  } else {
    out.push([path, 'not a JSON value']);
  }
  return out;
}
