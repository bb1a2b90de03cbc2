/** Slugs for ids people do not type: form ids from names, rule ids from labels. */

/**
 * A slug of `s`: lowercase ASCII letters and digits joined by `-`, Vietnamese (and other) letters
 * without their marks, at most 56 characters (room for a `-2` suffix within a 64-character id).
 * Empty when nothing is left (`📅 ✨`): callers supply their fallback.
 *
 * @example slug('Đặt lịch demo') // 'dat-lich-demo'; slug('Work email') // 'work-email'
 */
export const slug = (s: string): string =>
  s
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .replace(/[đĐ]/g, 'd')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .slice(0, 56)
    .replace(/^-+|-+$/g, '');
