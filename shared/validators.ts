/**
 * The one set of field validators: the widget runs them before submitting, the collector runs
 * them again on what arrives. Pure, no zod (it ships in the forms chunk).
 */
import type { FormField } from './forms.ts';

/** Why a value was refused; messages per language are in `forms-texts.ts`. */
export type ErrorCode = 'required' | 'email' | 'tel' | 'too_long' | 'option' | 'type';

/** A field error: `path` is the field name. */
export interface FieldIssue {
  path: string;
  code: ErrorCode;
}

/** Default `maxLength` per type. */
const MAX: Record<string, number> = { email: 254, tel: 32, textarea: 4000 };
const DEFAULT_MAX = 500;

// Deliberately permissive (local@domain.tld, no spaces): the mailbox is what confirms an address.
const EMAIL = /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/;
// Digits with the usual separators and an optional leading +; 6 to 15 digits (E.164).
const TEL = /^\+?[\d\s().-]+$/;

/** The maximum length of a field's value. */
export const maxLengthOf = (f: FormField): number => f.maxLength ?? MAX[f.type] ?? DEFAULT_MAX;

const isBoolField = (f: FormField) => f.type === 'checkbox' || f.type === 'consent';

/**
 * The error of one value, or null. Strings are checked trimmed; checkboxes take booleans.
 *
 * @example validateField({ name: 'email', type: 'email', required: true }, 'a@b') // 'email'
 */
export function validateField(f: FormField, value: unknown): ErrorCode | null {
  if (isBoolField(f)) {
    if (value !== undefined && value !== null && typeof value !== 'boolean') return 'type';
    return f.required && value !== true ? 'required' : null;
  }
  if (value !== undefined && value !== null && typeof value !== 'string') return 'type';
  const s = (value ?? '').trim();
  if (!s) return f.required ? 'required' : null;
  if (s.length > maxLengthOf(f)) return 'too_long';
  if (f.type === 'email' && !EMAIL.test(s)) return 'email';
  if (f.type === 'tel') {
    const digits = s.replace(/\D/g, '').length;
    if (!TEL.test(s) || digits < 6 || digits > 15) return 'tel';
  }
  if (f.type === 'select' && !(f.options ?? []).some((o) => o.value === s)) return 'option';
  return null;
}

/**
 * Validates a submission against the form's fields. Returns the clean values (strings trimmed,
 * emails lowercased, unknown keys and empty values dropped) and every field error.
 * `skipped` fields (progressive fields the form did not show) may be absent even when required.
 *
 * @example validateValues(fields, { email: ' A@B.co ' }) // { values: { email: 'a@b.co' }, errors: [] }
 */
export function validateValues(
  fields: readonly FormField[],
  values: Record<string, unknown>,
  skipped: ReadonlySet<string> = new Set(),
): { values: Record<string, string | boolean>; errors: FieldIssue[] } {
  const out: Record<string, string | boolean> = {};
  const errors: FieldIssue[] = [];
  for (const f of fields) {
    const raw = Object.hasOwn(values, f.name) ? values[f.name] : undefined;
    const absent = raw === undefined || raw === null || raw === '';
    if (absent && skipped.has(f.name)) continue;
    const code = validateField(f, raw);
    if (code) {
      errors.push({ path: f.name, code });
      continue;
    }
    if (typeof raw === 'boolean') out[f.name] = raw;
    else if (typeof raw === 'string' && raw.trim()) {
      const s = raw.trim();
      out[f.name] = f.type === 'email' ? s.toLowerCase() : s;
    }
  }
  return { values: out, errors };
}
