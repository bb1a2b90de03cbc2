/** Default texts of the forms in Vietnamese and English, and how a form picks its language. */
import type { Locale } from './forms.ts';
import type { ErrorCode } from './validators.ts';

/** Built-in interface texts; a form's `texts` override title, description, submit and success. */
export const UI_TEXTS: Record<
  Locale,
  Record<'submit' | 'success' | 'close' | 'sending' | 'choose' | 'failed', string>
> = {
  en: {
    submit: 'Submit',
    success: 'Thank you! We received your details.',
    close: 'Close',
    sending: 'Sending…',
    choose: 'Choose…',
    failed: 'Please correct the highlighted fields.',
  },
  vi: {
    submit: 'Gửi',
    success: 'Cảm ơn bạn! Chúng tôi đã nhận được thông tin.',
    close: 'Đóng',
    sending: 'Đang gửi…',
    choose: 'Chọn…',
    failed: 'Vui lòng sửa các trường được đánh dấu.',
  },
};

/** Field error messages, one per validator code. */
export const ERROR_TEXTS: Record<Locale, Record<ErrorCode, string>> = {
  en: {
    required: 'This field is required.',
    email: 'Enter a valid email address.',
    tel: 'Enter a valid phone number.',
    too_long: 'This is too long.',
    option: 'Choose one of the options.',
    type: 'This value is not valid.',
  },
  vi: {
    required: 'Vui lòng điền trường này.',
    email: 'Vui lòng nhập địa chỉ email hợp lệ.',
    tel: 'Vui lòng nhập số điện thoại hợp lệ.',
    too_long: 'Nội dung quá dài.',
    option: 'Vui lòng chọn một mục.',
    type: 'Giá trị không hợp lệ.',
  },
};

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
