/** Fit rules: conditions on a lead's traits. Pure; a missing trait satisfies only `exists: false`. */
import { emailDomain, isFreeEmailDomain } from './scoring-free-email.ts';
import type { FitRule, Primitive } from './scoring-rules.ts';

/**
 * The value of `trait` in `traits`: the key itself, else a dotted path into nested objects.
 * Only own properties are read, so `__proto__` and friends are plain (absent) names.
 *
 * @example traitValue({ company: { size: 80 } }, 'company.size') // 80
 */
export function traitValue(traits: Record<string, unknown>, trait: string): unknown {
  if (Object.hasOwn(traits, trait)) return traits[trait];
  let cur: unknown = traits;
  for (const key of trait.split('.')) {
    if (typeof cur !== 'object' || cur === null || !Object.hasOwn(cur, key)) return undefined;
    cur = (cur as Record<string, unknown>)[key];
  }
  return cur;
}

/** Empty values carry no information: absent, null, blank strings, empty arrays. */
function isEmpty(v: unknown): boolean {
  return (
    v === undefined ||
    v === null ||
    (typeof v === 'string' && v.trim() === '') ||
    (Array.isArray(v) && v.length === 0)
  );
}

/**
 * Comparable form of a primitive: strings trimmed, lowercased and in Unicode's composed form
 * (NFC: "Giám đốc" typed as base letters plus combining marks, as Unikey's "tổ hợp", VNI or
 * macOS send it, is the same title), `10` equals `"10"`.
 */
function norm(v: unknown): string | null {
  if (typeof v === 'string') return v.trim().normalize('NFC').toLowerCase();
  if (typeof v === 'number' || typeof v === 'boolean') return String(v).toLowerCase();
  return null;
}

/**
 * True when trait element `x` equals rule value `want`: a number in the rule compares as a
 * number, so `"1,000"` and `"50.0"` equal `1000` and `50` wherever `gte` and `lte` agree they
 * do; a string compares as text (`"007"` is not `7`).
 */
function same(x: unknown, want: Primitive): boolean {
  if (typeof want === 'number') {
    const n = num(x);
    if (n !== null) return n === want;
  }
  const a = norm(x);
  return a !== null && a === norm(want);
}

/** A trait as a list of primitives (a list trait such as `interests` matches by any element). */
function values(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [v];
}

const list = (v: FitRule['value']): Primitive[] =>
  v === undefined ? [] : Array.isArray(v) ? v : [v];

function num(v: unknown): number | null {
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v === 'string' && v.trim() !== '') {
    const n = Number(v.trim().replace(/[,_\s]/g, ''));
    return Number.isFinite(n) ? n : null;
  }
  return null;
}

/**
 * True when the rule holds for these traits.
 *
 * @example evalFitRule({ id: 'w', label: 'Work email', trait: 'email', op: 'freeEmailDomain', value: false, points: 10 }, { email: 'lan@acme.vn' }) // true
 */
export function evalFitRule(r: FitRule, traits: Record<string, unknown>): boolean {
  const v = traitValue(traits, r.trait);
  if (r.op === 'exists') return isEmpty(v) === (r.value === false);
  if (isEmpty(v)) return false;
  switch (r.op) {
    case 'eq':
    case 'neq': {
      const hit = list(r.value).some((want) => values(v).some((x) => same(x, want)));
      return r.op === 'eq' ? hit : !hit;
    }
    case 'in': {
      const wants = list(r.value);
      return values(v).some((x) => wants.some((want) => same(x, want)));
    }
    case 'contains': {
      const needles = list(r.value)
        .map(norm)
        .filter((s): s is string => !!s);
      return values(v).some((x) => {
        const hay = norm(x);
        return hay !== null && needles.some((n) => hay.includes(n));
      });
    }
    case 'gte':
    case 'lte': {
      const bound = num(r.value);
      if (bound === null) return false;
      // Like the other operators, a list trait holds when any of its elements does.
      return values(v).some((x) => {
        const n = num(x);
        return n !== null && (r.op === 'gte' ? n >= bound : n <= bound);
      });
    }
    case 'freeEmailDomain': {
      const domain = emailDomain(v);
      if (domain === null) return false;
      return isFreeEmailDomain(domain) === (r.value !== false);
    }
  }
  return false;
}
