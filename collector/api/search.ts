/** Accent- and case-insensitive matching of the lead list's `q=` (migration 014). */

/**
 * Folds text the way `leads.search_text` is folded: decomposed, combining marks removed, đ/Đ as
 * d, lowercased. Both sides folded alike, "tran ngoc" matches "Trần Ngọc" and NFD input matches
 * NFC names.
 *
 * @example foldForSearch('Nguyễn Thị ĐỨC') // 'nguyen thi duc'
 */
export function foldForSearch(s: string): string {
  return s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[Đđ]/g, 'd')
    .toLowerCase();
}
