/** fast-check generators of what the internet sends: hostile strings, keys, bodies, headers. */
import fc from 'fast-check';
import { storableString } from '../../shared/json-limits.ts';

/** Strings that broke other systems: SQL, markup, format strings, Unicode edge cases. */
export const NASTY = [
  "'; drop table events; --",
  "' or '1'='1",
  '"); select pg_sleep(10); --',
  '$1',
  '\\',
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '{{constructor.constructor("return process")()}}',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a hostile payload, not a template
  '${process.exit()}',
  '%s%s%n%x',
  '../../../etc/passwd',
  '\u202e\u0645\u0631\u062d\u0628\u0627',
  '𝕏🏳️‍🌈👩‍👩‍👧‍👦',
  '\ufeff',
  '\u2028\u2029',
  'null',
  'undefined',
  '[object Object]',
  'NaN',
  '-1',
  '1e309',
  ' ',
  '',
];

/** Keys that pollute prototypes when code copies objects naively. */
export const PROTO_KEYS = [
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  'valueOf',
];

/** Any string, including lone surrogates, NUL and control characters. */
export const hostileString = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...NASTY) },
  { weight: 3, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  {
    weight: 2,
    arbitrary: fc.string({
      unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)),
      maxLength: 20,
    }),
  },
  { weight: 1, arbitrary: fc.constantFrom('\u0000', 'a\u0000b', '\ud800', 'x\udfff', '\ud83d') },
  { weight: 1, arbitrary: fc.integer({ min: 8_000, max: 70_000 }).map((n) => 'x'.repeat(n)) },
);

/** Strings PostgreSQL stores byte-for-byte (what an accepted payload may carry). */
export const storableHostileString = hostileString.filter(
  (s) => storableString(s) && s.length <= 2_000,
);

/** A key for an object: prototype keys, nasty strings, anything. */
export const hostileKey = fc.oneof(
  { weight: 2, arbitrary: fc.constantFrom(...PROTO_KEYS) },
  { weight: 3, arbitrary: hostileString.filter((s) => s.length < 300) },
);

/** Any JSON value with hostile leaves and keys, wrong types everywhere. */
export const hostileValue: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    hostileString,
    fc.constantFrom(null, true, false, 0, -1, 1.5, 2 ** 53 + 1, -(2 ** 63), 1e308, -0),
    fc.double(),
    fc.array(tie('value'), { maxLength: 5 }),
    fc.dictionary(hostileKey, tie('value'), { maxKeys: 5 }),
  ),
})).value;

/** A body built as text, so `__proto__` keys stay own keys and numbers stay as written. */
export function toJsonText(v: unknown): string {
  // Infinity and NaN travel as a number too big for a double: what a hostile client can send.
  return JSON.stringify(v, (_k, x) =>
    typeof x === 'number' && !Number.isFinite(x) ? '__not_finite__' : x,
  ).replaceAll('"__not_finite__"', '1e400');
}

/** Deeply nested arrays/objects as raw JSON text (JSON.stringify cannot build them cheaply). */
export const deepJson = fc
  .tuple(fc.integer({ min: 7, max: 30_000 }), fc.boolean())
  .map(([d, arr]) =>
    arr ? `${'['.repeat(d)}${']'.repeat(d)}` : `${'{"a":'.repeat(d)}1${'}'.repeat(d)}`,
  );

/** Raw bodies that are not what any endpoint expects. */
export const rawBody: fc.Arbitrary<string | Uint8Array> = fc.oneof(
  fc.constantFrom('', ' ', 'null', '[]', '"x"', '1e999', '{', '{"a":1,}', '\ufeff{}', 'true', '{}'),
  deepJson,
  fc.uint8Array({ maxLength: 64 }).map((b) => Uint8Array.from([0xff, 0xfe, 0xc0, 0x80, ...b])),
  fc.constantFrom(
    Uint8Array.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xed, 0xa0, 0x80, 0x22, 0x7d]), // {"a":"<surrogate in UTF-8>"}
    Uint8Array.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xc3, 0x28, 0x22, 0x7d]), // invalid 2-byte sequence
  ),
  hostileValue.map(toJsonText),
);

/** Content types a client may claim. */
export const contentType = fc.constantFrom(
  'application/json',
  'application/json; charset=utf-8',
  'text/plain;charset=UTF-8',
  'application/xml',
  'multipart/form-data; boundary=x',
  'application/x-www-form-urlencoded',
  'application/json; charset=utf-16',
  'application/vnd.api+json',
  '',
  'garbage/\u00ff',
);

/**
 * A valid body with one hostile change: a value replaced at some path, or a hostile key added.
 * Reaches validation and storage code that random bodies never get past the parser to.
 */
export function mutate(valid: unknown): fc.Arbitrary<unknown> {
  const paths = pathsOf(valid);
  return fc
    .tuple(fc.constantFrom(...paths), hostileValue, hostileKey, fc.boolean())
    .map(([path, value, key, addKey]) => {
      const copy = structuredClone(valid);
      if (path.length === 0)
        return addKey ? Object.assign(copy as object, { [key]: value }) : value;
      let parent = copy as Record<string, unknown>;
      for (const p of path.slice(0, -1)) parent = parent[p] as Record<string, unknown>;
      const last = path[path.length - 1]!;
      if (addKey && typeof parent[last] === 'object' && parent[last] !== null)
        Object.defineProperty(parent[last], key, {
          value,
          enumerable: true,
          configurable: true,
          writable: true,
        });
      else parent[last] = value;
      return copy;
    });
}

function pathsOf(v: unknown, at: (string | number)[] = [], out: (string | number)[][] = []) {
  out.push(at);
  if (v && typeof v === 'object')
    for (const [k, x] of Object.entries(v))
      pathsOf(x, [...at, Array.isArray(v) ? Number(k) : k], out);
  return out;
}

/** Query strings with hostile names and values. */
export const hostileQuery = fc
  .dictionary(
    fc.oneof(
      fc.constantFrom(
        'limit',
        'cursor',
        'sort',
        'q',
        'stage',
        'minScore',
        'from',
        'to',
        'by',
        'segment',
      ),
      hostileKey,
    ),
    fc.oneof(
      fc.constantFrom('-1', '0', '1e309', 'NaN', '99999999999999999999', '2026-13-45', '-score'),
      hostileString.filter((s) => s.length < 500),
    ),
    { maxKeys: 4 },
  )
  .map((q) =>
    Object.entries(q)
      .map(([k, v]) => `${encodeLoose(k)}=${encodeLoose(v)}`)
      .join('&'),
  );

/** Percent-encodes anything, lone surrogates included (as the invalid UTF-8 a client could send). */
export function encodeLoose(s: string): string {
  let out = '';
  for (const ch of s) {
    try {
      out += encodeURIComponent(ch);
    } catch {
      const c = ch.charCodeAt(0);
      out += `%${(0xe0 | (c >> 12)).toString(16)}%${(0x80 | ((c >> 6) & 63)).toString(16)}%${(0x80 | (c & 63)).toString(16)}`;
    }
  }
  return out;
}
