/**
 * Cuts over-long free-form values down to the limits instead of refusing the event they came
 * with: a page's ad-click URL, a CMS's endless title or a `track` call's big property must not
 * cost the visit's other events. Pure; collector side (the tag has no budget for it).
 */
import { JSON_LIMITS } from './json-limits.ts';

/** Paths recorded per event at most (the first ones cut). */
const MAX_RECORDED = 20;

/**
 * `s` cut to at most `max` UTF-16 units, on a code point boundary: an emoji is dropped whole,
 * never split into a lone surrogate (which PostgreSQL could not store).
 *
 * @example cut('ab😀', 3) // 'ab'
 */
export function cut(s: string, max: number): string {
  if (s.length <= max) return s;
  const last = s.charCodeAt(max - 1);
  return s.slice(0, last >= 0xd800 && last <= 0xdbff ? max - 1 : max);
}

/**
 * `value` within {@link JSON_LIMITS}, each cut recorded in `cuts` as its dotted path: strings
 * are cut to 8,192 characters, keys to 200 (the first of two equal cut keys wins), arrays to
 * 100 items, objects to their first 100 keys, and a value nested too deep becomes its JSON
 * text (itself cut). What is already within the limits is returned as is (the same object:
 * never rebuilt, so keys like `__proto__` stay plain data); a rebuilt object keeps them too
 * (`Object.fromEntries` defines own properties). Unstorable strings are left for
 * `jsonProblems` to refuse.
 *
 * @example
 * const cuts: string[] = [];
 * fitJson({ q: 'x'.repeat(9000) }, 'properties', cuts); // { q: 'xxx…' (8,192) }; cuts: ['properties.q']
 */
export function fitJson(value: unknown, path: string, cuts: string[], depth = 0): unknown {
  const record = (p: string) => {
    if (cuts.length < MAX_RECORDED) cuts.push(cut(p, 200));
  };
  if (typeof value === 'string') {
    if (value.length <= JSON_LIMITS.stringChars) return value;
    record(path);
    return cut(value, JSON_LIMITS.stringChars);
  }
  if (typeof value !== 'object' || value === null) return value;
  if (depth >= JSON_LIMITS.depth) {
    record(path);
    return jsonPrefix(value, JSON_LIMITS.stringChars);
  }
  const at = (k: string | number) => `${path}.${k}`;
  let changed = false;
  const fit = (v: unknown, p: string) => {
    const f = fitJson(v, p, cuts, depth + 1);
    if (f !== v) changed = true;
    return f;
  };
  if (Array.isArray(value)) {
    if (value.length > JSON_LIMITS.arrayItems) {
      record(path);
      changed = true;
    }
    const items = value.slice(0, JSON_LIMITS.arrayItems).map((v, i) => fit(v, at(i)));
    return changed ? items : value;
  }
  let keys = Object.keys(value);
  if (keys.length > JSON_LIMITS.keysPerObject) {
    record(path);
    changed = true;
    keys = keys.slice(0, JSON_LIMITS.keysPerObject);
  }
  const entries = new Map<string, unknown>();
  for (const k of keys) {
    let key = k;
    if (k.length > JSON_LIMITS.keyChars) {
      key = cut(k, JSON_LIMITS.keyChars);
      record(at(key));
      changed = true;
      if (entries.has(key)) continue;
    }
    entries.set(key, fit((value as Record<string, unknown>)[k], at(key)));
  }
  return changed ? Object.fromEntries(entries) : value;
}

/** Text to write as is, on {@link jsonPrefix}'s stack of things to write. */
class Raw {
  constructor(readonly text: string) {}
}

/**
 * The JSON text of a parsed JSON `value`, cut to `max` characters (on a code point boundary).
 * Written from an explicit stack, not by recursion, and stopped once `max` characters are out:
 * `JSON.stringify` of a value nested 5,000 deep (10 KB of `[`) overflows the call stack.
 *
 * @example jsonPrefix({ a: [1, 'x'] }, 100) // '{"a":[1,"x"]}'
 */
export function jsonPrefix(value: unknown, max: number): string {
  let out = '';
  const todo: unknown[] = [value];
  while (todo.length && out.length <= max) {
    const v = todo.pop();
    if (v instanceof Raw) out += v.text;
    else if (Array.isArray(v)) {
      todo.push(new Raw(']'));
      for (let i = v.length - 1; i >= 0; i--) todo.push(v[i], new Raw(i ? ',' : ''));
      out += '[';
    } else if (typeof v === 'object' && v !== null) {
      const keys = Object.keys(v);
      todo.push(new Raw('}'));
      for (let i = keys.length - 1; i >= 0; i--)
        todo.push(
          (v as Record<string, unknown>)[keys[i]!],
          new Raw(`${i ? ',' : ''}${JSON.stringify(keys[i])}:`),
        );
      out += '{';
    } else out += JSON.stringify(v) ?? 'null';
  }
  return cut(out, max);
}
