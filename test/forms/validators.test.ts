import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { FormField } from '../../shared/forms.ts';
import { validateField, validateValues } from '../../shared/validators.ts';

const email: FormField = { name: 'email', type: 'email', required: true };

describe('validators', () => {
  it('checks required fields, emails, phones, lengths and options', () => {
    expect(validateField(email, '')).toBe('required');
    expect(validateField(email, '   ')).toBe('required');
    expect(validateField(email, 'ana@')).toBe('email');
    expect(validateField(email, 'ana@example')).toBe('email');
    expect(validateField(email, 'ana.nguyen+tp@công-ty.vn')).toBeNull();
    const tel: FormField = { name: 'phone', type: 'tel' };
    expect(validateField(tel, '')).toBeNull();
    expect(validateField(tel, '+84 (28) 3822-9999')).toBeNull();
    expect(validateField(tel, '12ab45')).toBe('tel');
    expect(validateField(tel, '123')).toBe('tel');
    expect(validateField({ name: 'n', type: 'text', maxLength: 3 }, 'abcd')).toBe('too_long');
    const sel: FormField = { name: 's', type: 'select', options: [{ value: 'a' }] };
    expect(validateField(sel, 'b')).toBe('option');
    expect(validateField(sel, 'a')).toBeNull();
    expect(validateField({ name: 'c', type: 'consent', required: true }, false)).toBe('required');
    expect(validateField({ name: 'c', type: 'consent', required: true }, true)).toBeNull();
    expect(validateField({ name: 'c', type: 'checkbox' }, 'yes')).toBe('type');
    expect(validateField({ name: 't', type: 'text' }, { evil: 1 })).toBe('type');
  });

  it('cleans values: trims, lowercases emails, drops unknown keys and empty values', () => {
    const fields: FormField[] = [
      email,
      { name: 'name', type: 'text' },
      { name: 'ok', type: 'checkbox' },
    ];
    const res = validateValues(fields, {
      email: ' Ana@Example.COM ',
      name: '',
      extra: 'x',
      ok: true,
    });
    expect(res).toEqual({ values: { email: 'ana@example.com', ok: true }, errors: [] });
  });

  it('lets skipped (progressive) fields be absent, and reports errors by field name', () => {
    const fields: FormField[] = [
      email,
      { name: 'company', type: 'text', required: true, progressive: true },
    ];
    expect(validateValues(fields, { email: 'a@b.co' }, new Set(['company'])).errors).toEqual([]);
    expect(validateValues(fields, {}).errors).toEqual([
      { path: 'email', code: 'required' },
      { path: 'company', code: 'required' },
    ]);
  });

  it('never throws and never passes a non-string as text, whatever arrives', () => {
    const fields: FormField[] = [
      email,
      { name: 'name', type: 'text' },
      { name: 'c', type: 'consent' },
    ];
    fc.assert(
      fc.property(
        fc.dictionary(fc.constantFrom('email', 'name', 'c', '__proto__'), fc.anything()),
        (values) => {
          const res = validateValues(fields, values);
          for (const [k, v] of Object.entries(res.values)) {
            if (k === 'c') expect(typeof v).toBe('boolean');
            else expect(typeof v).toBe('string');
          }
        },
      ),
    );
  });
});
