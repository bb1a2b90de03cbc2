/** Free-mail providers: a lead writing from one of them gives no company signal. Pure, shared. */

/**
 * Common free-mail domains, worldwide and in Vietnam (ISP mailboxes of VNPT and FPT, Yahoo
 * Vietnam). A subdomain of a listed domain (`hn.vnn.vn`) counts as listed.
 */
export const FREE_EMAIL_DOMAINS: ReadonlySet<string> = new Set([
  'gmail.com',
  'googlemail.com',
  'yahoo.com',
  'yahoo.co.uk',
  'yahoo.fr',
  'yahoo.de',
  'yahoo.co.jp',
  'yahoo.com.vn',
  'ymail.com',
  'rocketmail.com',
  'outlook.com',
  'outlook.com.vn',
  'hotmail.com',
  'hotmail.co.uk',
  'hotmail.fr',
  'live.com',
  'msn.com',
  'icloud.com',
  'me.com',
  'mac.com',
  'aol.com',
  'proton.me',
  'protonmail.com',
  'pm.me',
  'gmx.com',
  'gmx.de',
  'gmx.net',
  'web.de',
  'mail.com',
  'zoho.com',
  'yandex.com',
  'yandex.ru',
  'mail.ru',
  'inbox.ru',
  'bk.ru',
  'list.ru',
  'rambler.ru',
  'qq.com',
  'foxmail.com',
  '163.com',
  '126.com',
  'sina.com',
  'naver.com',
  'daum.net',
  'hanmail.net',
  'tutanota.com',
  'fastmail.com',
  'hey.com',
  // Vietnam: VNPT subscriber mail (vnn.vn and its regional subdomains), FPT Telecom, Zing.
  'vnn.vn',
  'fpt.vn',
  'zing.vn',
]);

/**
 * The domain of an email address (lowercased; an internationalized one in its ASCII `xn--` form,
 * as DNS knows it), or null when it is not one.
 *
 * @example emailDomain(' Lan@Gmail.com ') // 'gmail.com'
 * @example emailDomain('an@côngty.vn') // 'xn--cngty-6ta.vn'
 */
export function emailDomain(email: unknown): string | null {
  if (typeof email !== 'string') return null;
  const at = email.trim().lastIndexOf('@');
  if (at < 1) return null;
  let domain = email
    .trim()
    .slice(at + 1)
    .toLowerCase()
    .replace(/\.$/, '');
  // The WHATWG URL parser applies IDNA (UTS #46); what it refuses is no domain. Only the host
  // part may reach it: `/`, `?`, `#`, `:`… would make it parse a path or a port.
  if (/[^\x20-\x7e]/.test(domain) && !/[\s/?#@:\\%[\]]/.test(domain)) {
    try {
      domain = new URL(`http://${domain}`).hostname;
    } catch {
      return null;
    }
  }
  return /^[a-z0-9-]+(\.[a-z0-9-]+)+$/.test(domain) ? domain : null;
}

/**
 * True when `domain` or one of its parent domains is a free-mail provider.
 *
 * @example isFreeEmailDomain('hn.vnn.vn') // true
 */
export function isFreeEmailDomain(domain: string): boolean {
  const labels = domain.toLowerCase().split('.');
  for (let i = 0; i < labels.length - 1; i++) {
    if (FREE_EMAIL_DOMAINS.has(labels.slice(i).join('.'))) return true;
  }
  return false;
}
