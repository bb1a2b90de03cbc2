/**
 * The collector's field errors (problem+json `errors[].message`, in English) in the dashboard's
 * language: the messages its schemas and routes write for the forms this dashboard shows, and
 * zod's own (`Too small: expected string to have >=1 characters`) in plain words. A message not
 * known here is shown as the API wrote it.
 */
import { messages } from './i18n.ts';

const t = messages({
  // Written by the collector: shown as they are in English.
  'not an email address': 'không phải là địa chỉ email',
  'belongs to another lead': 'đã thuộc về một khách hàng tiềm năng khác',
  'required for backward moves, lost and disqualified':
    'bắt buộc khi lùi giai đoạn và khi chuyển sang Đã mất hoặc Bị loại',
  'an absolute http(s) URL': 'cần một URL đầy đủ, bắt đầu bằng http:// hoặc https://',
  'a public host (private destinations are disabled)':
    'cần một máy chủ công khai (không cho phép địa chỉ nội bộ)',
  'a public address (private destinations are disabled)':
    'cần một địa chỉ công khai (không cho phép địa chỉ nội bộ)',
  'destination is a private address': 'địa chỉ nhận là địa chỉ nội bộ',
  'each event type once': 'mỗi loại sự kiện chỉ chọn một lần',
  'a select needs options': 'danh sách chọn cần có các lựa chọn',
  'duplicate field name': 'tên trường bị trùng',
  'a slug: lowercase letters, digits, - and _': 'chỉ gồm chữ thường, chữ số, - và _',
  'letters, digits and _, starting with a letter': 'chữ cái, chữ số và _, bắt đầu bằng chữ cái',
  'give at least one condition': 'cần ít nhất một điều kiện',
  'duplicate rule id "{id}"': 'ID quy tắc "{id}" bị trùng',
  'minScore must not exceed maxScore': 'điểm tối thiểu không được lớn hơn điểm tối đa',
  'at most {n} properties': 'tối đa {n} thuộc tính',
  'contains a character that cannot be stored': 'chứa ký tự không lưu được',
  'from must be before to': '“Từ” phải trước “Đến”',
  // zod's own messages, in plain words.
  'cannot be empty': 'không được để trống',
  'at least {n} characters': 'ít nhất {n} ký tự',
  'at most {n} characters': 'tối đa {n} ký tự',
  'choose at least one': 'hãy chọn ít nhất một mục',
  'at least {n} items': 'ít nhất {n} mục',
  'at most {n} items': 'tối đa {n} mục',
  'at least {n}': 'tối thiểu là {n}',
  'more than {n}': 'phải lớn hơn {n}',
  'at most {n}': 'tối đa là {n}',
  'less than {n}': 'phải nhỏ hơn {n}',
  required: 'bắt buộc',
  'a number': 'phải là một số',
  'a whole number': 'phải là số nguyên',
  'not one of the choices': 'không thuộc các lựa chọn',
  'not in the expected format': 'không đúng định dạng',
  'not a URL': 'không phải là URL',
  'not a setting the collector knows': 'không phải là thiết lập mà collector biết',
  'not valid': 'không hợp lệ',
});

type Key = Parameters<typeof t>[0];

/** Messages the collector writes word for word. */
const EXACT = new Set<string>([
  'not an email address',
  'belongs to another lead',
  'required for backward moves, lost and disqualified',
  'an absolute http(s) URL',
  'a public host (private destinations are disabled)',
  'a public address (private destinations are disabled)',
  'destination is a private address',
  'each event type once',
  'a select needs options',
  'duplicate field name',
  'a slug: lowercase letters, digits, - and _',
  'letters, digits and _, starting with a letter',
  'give at least one condition',
  'minScore must not exceed maxScore',
  'from must be before to',
]);

/** Messages with a figure or a name in them, and zod's: a pattern and what it reads as. */
const PATTERNS: [RegExp, (m: RegExpExecArray) => string][] = [
  [/^duplicate rule id "(.*)"$/, (m) => t('duplicate rule id "{id}"', { id: m[1] as string })],
  [/^at most (\d+) properties$/, (m) => t('at most {n} properties', { n: Number(m[1]) })],
  [/^contains a NUL character/, () => t('contains a character that cannot be stored')],
  [/^Too small: expected string to have >=1 characters?$/, () => t('cannot be empty')],
  [
    /^Too small: expected string to have >=(\d+)/,
    (m) => t('at least {n} characters', { n: Number(m[1]) }),
  ],
  [
    /^Too big: expected string to have <=(\d+)/,
    (m) => t('at most {n} characters', { n: Number(m[1]) }),
  ],
  [/^Too small: expected array to have >=1 items?$/, () => t('choose at least one')],
  [
    /^Too small: expected array to have >=(\d+)/,
    (m) => t('at least {n} items', { n: Number(m[1]) }),
  ],
  [/^Too big: expected array to have <=(\d+)/, (m) => t('at most {n} items', { n: Number(m[1]) })],
  [
    /^Too small: expected number to be >=(-?[\d.]+)$/,
    (m) => t('at least {n}', { n: Number(m[1]) }),
  ],
  [
    /^Too small: expected number to be >(-?[\d.]+)$/,
    (m) => t('more than {n}', { n: Number(m[1]) }),
  ],
  [/^Too big: expected number to be <=(-?[\d.]+)$/, (m) => t('at most {n}', { n: Number(m[1]) })],
  [/^Too big: expected number to be <(-?[\d.]+)$/, (m) => t('less than {n}', { n: Number(m[1]) })],
  [/^Invalid input: expected \w+, received undefined$/, () => t('required')],
  [/^Invalid input: expected int/, () => t('a whole number')],
  [/^Invalid input: expected number/, () => t('a number')],
  [/^Invalid option: expected one of/, () => t('not one of the choices')],
  [/^Invalid string: must match pattern/, () => t('not in the expected format')],
  [/^Invalid email address$/, () => t('not an email address')],
  [/^Invalid URL$/, () => t('not a URL')],
  [/^Unrecognized keys?:/, () => t('not a setting the collector knows')],
  [/^Invalid input/, () => t('not valid')],
];

/**
 * One field error's message in the dashboard's language; an unknown one as the API wrote it.
 *
 * @example fieldMessage('not an email address') // 'không phải là địa chỉ email' in Vietnamese
 */
export function fieldMessage(message: string): string {
  if (EXACT.has(message)) return t(message as Key);
  for (const [re, say] of PATTERNS) {
    const m = re.exec(message);
    if (m) return say(m);
  }
  return message;
}

/** The field errors of a problem with their messages in the dashboard's language. */
export const localFields = <F extends { message: string }>(fields: readonly F[]): F[] =>
  fields.map((f) => ({ ...f, message: fieldMessage(f.message) }));
