/**
 * Capturing a site's own `<form>` as a lead (`data-tp-capture`, `data-capture-forms`): which of
 * its fields may become traits. Only email, name, phone and company; never passwords, hidden
 * fields or anything that looks like a card number, whatever the field is called.
 */

/** What the picker needs to know of one form control. */
export interface CaptureInput {
  name: string;
  type: string;
  value: string;
  autocomplete?: string;
  id?: string;
}

export type CaptureTraits = Partial<Record<'email' | 'name' | 'phone' | 'company', string>>;

const RULES: [keyof CaptureTraits, RegExp][] = [
  ['email', /^(e-?mail|email[-_ ]?address|your[-_ ]?email|user[-_ ]?email)$/i],
  [
    'phone',
    /^(phone|tel|telephone|mobile|phone[-_ ]?number|so[-_ ]?dien[-_ ]?thoai|sdt|dien[-_ ]?thoai)$/i,
  ],
  ['company', /^(company|company[-_ ]?name|organi[sz]ation|org|cong[-_ ]?ty)$/i],
  ['name', /^(name|full[-_ ]?name|your[-_ ]?name|ho[-_ ]?ten|ten)$/i],
];
const AUTOCOMPLETE: Record<string, keyof CaptureTraits> = {
  email: 'email',
  tel: 'phone',
  name: 'name',
  organization: 'company',
};
const FORBIDDEN_TYPES = new Set([
  'password',
  'hidden',
  'file',
  'submit',
  'button',
  'reset',
  'image',
]);
const SECRET_NAME = /pass|pwd|card|cc[-_]?num|cvc|cvv|ssn|secret|token|iban|otp|pin/i;

/** True for 13 to 19 digits (spaces and dashes aside) passing the Luhn check: a card number. */
export function looksLikeCardNumber(value: string): boolean {
  const digits = value.replace(/[\s-]/g, '');
  if (!/^\d{13,19}$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/**
 * The traits a captured form yields. An email is what makes it a lead: without a valid-looking
 * one the result is empty.
 *
 * @example pickCaptureTraits([{ name: 'email', type: 'email', value: 'a@b.co' }]) // { email: 'a@b.co' }
 */
export function pickCaptureTraits(inputs: readonly CaptureInput[]): CaptureTraits {
  const out: CaptureTraits = {};
  for (const i of inputs) {
    const type = i.type.toLowerCase();
    if (FORBIDDEN_TYPES.has(type)) continue;
    const ac = (i.autocomplete ?? '').toLowerCase().split(/\s+/).pop() ?? '';
    if (/cc-|password|one-time-code/.test(ac)) continue;
    if (SECRET_NAME.test(i.name) || SECRET_NAME.test(i.id ?? '')) continue;
    const value = i.value.trim();
    if (!value || value.length > 200 || looksLikeCardNumber(value)) continue;
    // `user[email]` (Rails, PHP) names its field by the last bracketed part.
    const name = i.name.replace(/^.*\[([^\]]*)\]$/, '$1');
    const key =
      AUTOCOMPLETE[ac] ??
      (type === 'email' ? 'email' : undefined) ??
      RULES.find(([, re]) => re.test(name) || re.test(i.id ?? ''))?.[0];
    if (key && !out[key]) out[key] = key === 'email' ? value.toLowerCase() : value;
  }
  if (!out.email || !/^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/.test(out.email)) return {};
  return out;
}

/**
 * Reads a `<form>`'s controls for {@link pickCaptureTraits}. Unchecked boxes and radios and
 * selects contribute nothing (they never hold an email, name, phone or company).
 */
export function readCaptureInputs(form: HTMLFormElement): CaptureInput[] {
  const out: CaptureInput[] = [];
  for (const el of Array.from(form.elements)) {
    if (!(el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement)) continue;
    if (el instanceof HTMLInputElement && (el.type === 'checkbox' || el.type === 'radio')) continue;
    out.push({
      name: el.name,
      type: el instanceof HTMLInputElement ? el.type : 'textarea',
      value: el.value,
      autocomplete: el.getAttribute('autocomplete') ?? undefined,
      id: el.id || undefined,
    });
  }
  return out;
}
