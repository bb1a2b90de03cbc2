/** Default texts of the forms in Vietnamese and English, and how a form picks its language. */
import type { FieldType, Locale } from './forms.ts';
import type { ErrorCode } from './validators.ts';

/** Built-in interface texts; a form's `texts` override title, description, submit and success. */
export const UI_TEXTS: Record<
  Locale,
  Record<'submit' | 'success' | 'offline' | 'close' | 'choose', string>
> = {
  en: {
    submit: 'Submit',
    success: 'Thank you! We received your details.',
    offline: 'Thank you! Your details are saved and will be sent when you are back online.',
    close: 'Close',
    choose: 'Choose…',
  },
  vi: {
    submit: 'Gửi',
    success: 'Cảm ơn bạn! Chúng tôi đã nhận được thông tin.',
    offline: 'Cảm ơn bạn! Thông tin đã được lưu và sẽ được gửi khi bạn có mạng trở lại.',
    close: 'Đóng',
    choose: 'Chọn…',
  },
};

/** Field error messages, one per validator code, and `tick` for a required box left empty. */
export const ERROR_TEXTS: Record<Locale, Record<ErrorCode | 'tick', string>> = {
  en: {
    required: 'This field is required.',
    tick: 'Please tick this box.',
    email: 'Enter a valid email address.',
    tel: 'Enter a valid phone number.',
    too_long: 'This is too long.',
    option: 'Please choose an option.',
    type: 'This value is not valid.',
  },
  vi: {
    required: 'Vui lòng điền trường này.',
    tick: 'Vui lòng đánh dấu ô này.',
    email: 'Vui lòng nhập địa chỉ email hợp lệ.',
    tel: 'Vui lòng nhập số điện thoại hợp lệ.',
    too_long: 'Nội dung quá dài.',
    option: 'Vui lòng chọn một mục.',
    type: 'Giá trị không hợp lệ.',
  },
};

/**
 * The message for a field's error: a missing box or choice is asked for as such, not "fill in".
 *
 * @example errorText('vi', 'required', 'consent') // 'Vui lòng đánh dấu ô này.'
 */
export function errorText(locale: Locale, code: ErrorCode, type: FieldType): string {
  const t = ERROR_TEXTS[locale];
  if (code !== 'required') return t[code];
  // An empty select is asked to choose, as for a value not among its options.
  return type === 'checkbox' || type === 'consent'
    ? t.tick
    : t[type === 'select' ? 'option' : code];
}

const asLocale = (tag: string | null | undefined): Locale | null => {
  const l = (tag ?? '').slice(0, 2).toLowerCase();
  return l === 'vi' || l === 'en' ? l : null;
};

/**
 * The language of a form: its own `locale`, else the page's `lang`, else the browser's first
 * Vietnamese or English preference, else English.
 *
 * @example pickLocale(undefined, 'vi-VN', ['en-US']) // 'vi'
 */
export function pickLocale(
  formLocale: Locale | undefined,
  pageLang: string | null | undefined,
  browser: readonly string[],
): Locale {
  if (formLocale) return formLocale;
  const page = asLocale(pageLang);
  if (page) return page;
  for (const b of browser) {
    const l = asLocale(b);
    if (l) return l;
  }
  return 'en';
}
