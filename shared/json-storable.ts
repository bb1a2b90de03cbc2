/**
 * Makes a parsed JSON body storable instead of refusing it: lone UTF-16 surrogates (a page's own
 * `slice` cuts an emoji in half, `JSON.stringify` sends the half as `"\ud83d"`) and NUL
 * characters become U+FFFD, and byte order marks at the start of a string are dropped. PostgreSQL
 * refuses the first two and PGlite's decoder drops the third; a visitor's page must not lose a
 * batch over any of them. Pure; collector side (the tag has no budget for it).
 */
import { cut } from './json-fit.ts';
import { storableString } from './json-limits.ts';

/** Paths recorded per body at most (the first ones repaired); every string is repaired anyway. */
const MAX_RECORDED = 1_000;

/**
 * Deeper than this the walk stops. Nothing that deep reaches the store as is: free-form values
 * are refused past 6 levels (`jsonProblems`) or kept as their JSON text (`fitJson`), and
 * `JSON.stringify` writes a lone surrogate or a NUL as an escape. The bound keeps a body of
 * 100,000 nested arrays (2 MB reach the Segment API) from overflowing the stack.
 */
const MAX_DEPTH = 32;

/**
 * `s` as both stores keep it byte for byte: each lone surrogate (as a browser's `TextEncoder`
 * does) and each NUL replaced by U+FFFD, byte order marks at its start removed (invisible
 * there). Never longer than `s`.
 *
 * @example storableText('\ufeffab\u0000\ud83d') // 'ab\ufffd\ufffd'
 */
export const storableText = (s: string): string =>
  s
    .toWellFormed()
    .replaceAll('\u0000', '\ufffd')
    .replace(/^\ufeff+/, '');

/**
 * `value` with every string and object key made storable ({@link storableText}); each repair
 * recorded in `repaired` as its dotted path (`events.0.properties.q`, cut to 200 characters). A
 * repair never lengthens a string, so the limits apply to the repaired value as they would have
 * to the sent one. What is already storable is returned as is (the same object: never rebuilt,
 * so keys like `__proto__` stay plain data; a rebuilt object keeps them too,
 * `Object.fromEntries` defines own properties). Two keys that become equal keep the first one's
 * value.
 *
 * @example
 * const repaired: string[] = [];
 * storableJson({ q: 'ab\ud83d' }, 'properties', repaired); // { q: 'ab\ufffd' }; repaired: ['properties.q']
 */
export function storableJson(value: unknown, path: string, repaired: string[], depth = 0): unknown {
  if (typeof value === 'string') {
    if (storableString(value)) return value;
    record(repaired, path);
    return storableText(value);
  }
  if (typeof value !== 'object' || value === null || depth >= MAX_DEPTH) return value;
  if (Array.isArray(value)) {
    let items: unknown[] | undefined; // copied on the first change
    for (let i = 0; i < value.length; i++) {
      const f = fix(value[i], path, i, repaired, depth);
      if (f !== value[i]) items ??= value.slice();
      if (items) items[i] = f;
    }
    return items ?? value;
  }
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj);
  let entries: Map<string, unknown> | undefined; // built on the first change
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i]!;
    let key = k;
    if (!storableString(k)) {
      key = storableText(k);
      record(repaired, at(path, key));
    }
    const f = fix(obj[k], path, key, repaired, depth);
    if (!entries && (key !== k || f !== obj[k]))
      entries = new Map(keys.slice(0, i).map((j) => [j, obj[j]]));
    if (entries && !entries.has(key)) entries.set(key, f);
  }
  return entries ? Object.fromEntries(entries) : value;
}

/** The member `k` of a container at `path`, repaired. Paths are built only for what needs one. */
function fix(v: unknown, path: string, k: string | number, repaired: string[], depth: number) {
  if (typeof v === 'string' ? storableString(v) : typeof v !== 'object' || v === null) return v;
  return storableJson(v, at(path, k), repaired, depth + 1);
}

const at = (path: string, k: string | number) => (path ? `${path}.${k}` : String(k));

function record(repaired: string[], path: string) {
  if (repaired.length < MAX_RECORDED) repaired.push(cut(path, 200));
}

/**
 * The repaired paths under `prefix` (`events.3.`), relative to it: what one event of a body had
 * repaired, as the event records it (`properties.q`). At most 20, like `context.truncated`.
 *
 * @example pathsUnder(['events.0.title', 'events.1.url'], 'events.1.') // ['url']
 */
export function pathsUnder(repaired: readonly string[], prefix: string): string[] {
  return repaired
    .filter((p) => p.startsWith(prefix))
    .slice(0, 20)
    .map((p) => p.slice(prefix.length));
}
