/**
 * What the API says in codes, in the marketer's words: event types, trait names and values,
 * why a lead changed stage and who moved it, the score's cap lines, why a submission was kept
 * aside. A code this dashboard does not know is shown as the API sent it.
 */
import { DEFAULT_RULE_LABELS_VI, DEFAULT_RULES } from '../../shared/scoring-defaults.ts';
import type { BreakdownItem } from '../../shared/scoring-rules.ts';
import { lang, locale, messages, pick } from './i18n.ts';
import { num } from './ui.tsx';

const t = messages({
  'Page view': 'Xem trang',
  'Custom event': 'Sự kiện tùy chỉnh',
  Identified: 'Định danh',
  Click: 'Nhấp chuột',
  Engagement: 'Tương tác',
  'Form view': 'Xem biểu mẫu',
  'Form submit': 'Gửi biểu mẫu',
  'Form dismiss': 'Đóng biểu mẫu',
  yes: 'có',
  no: 'không',
  'score {score} ≥ {threshold}': 'điểm {score} ≥ {threshold}',
  'sent the form {name}': 'gửi biểu mẫu {name}',
  identified: 'đã định danh',
  'sent a sales-ready form': 'gửi biểu mẫu sẵn sàng bán hàng',
  'first trusted purchase': 'lần mua hàng đầu tiên (đã xác thực)',
  'second trusted purchase': 'lần mua hàng thứ hai (đã xác thực)',
  'merged {id} into this lead': 'gộp {id} vào khách hàng tiềm năng này',
  automatic: 'tự động',
  sales: 'bộ phận bán hàng',
  API: 'API',
  'Fit capped at {n}': 'Mức phù hợp giới hạn ở {n}',
  'Engagement capped at {n}': 'Mức tương tác giới hạn ở {n}',
  'Total capped at {n}': 'Tổng điểm giới hạn ở {n}',
  'sent too fast': 'gửi quá nhanh',
  'hidden field filled in': 'điền vào trường ẩn',
});

const EVENT_TYPES: Record<string, Parameters<typeof t>[0]> = {
  pageview: 'Page view',
  track: 'Custom event',
  identify: 'Identified',
  click: 'Click',
  engagement: 'Engagement',
  form_view: 'Form view',
  form_submit: 'Form submit',
  form_dismiss: 'Form dismiss',
};

/** An event type for people (`form_submit` → `Form submit`, `Gửi biểu mẫu`); unknown ones as sent. */
export function eventTypeLabel(type: string): string {
  const key = Object.hasOwn(EVENT_TYPES, type) ? EVENT_TYPES[type] : undefined;
  return key ? t(key) : type;
}

/** Traits the tag, the forms and the demo write, by their key. */
const TRAITS: Record<string, { en: string; vi: string }> = {
  email: { en: 'Email', vi: 'Email' },
  name: { en: 'Name', vi: 'Tên' },
  firstName: { en: 'First name', vi: 'Tên' },
  lastName: { en: 'Last name', vi: 'Họ' },
  company: { en: 'Company', vi: 'Công ty' },
  companySize: { en: 'Company size', vi: 'Quy mô công ty' },
  employees: { en: 'Employees', vi: 'Số nhân viên' },
  title: { en: 'Job title', vi: 'Chức danh' },
  jobTitle: { en: 'Job title', vi: 'Chức danh' },
  role: { en: 'Role', vi: 'Vai trò' },
  phone: { en: 'Phone', vi: 'Số điện thoại' },
  locale: { en: 'Language', vi: 'Ngôn ngữ' },
  language: { en: 'Language', vi: 'Ngôn ngữ' },
  country: { en: 'Country', vi: 'Quốc gia' },
  city: { en: 'City', vi: 'Thành phố' },
  industry: { en: 'Industry', vi: 'Ngành' },
  website: { en: 'Website', vi: 'Trang web' },
  source: { en: 'Source', vi: 'Nguồn' },
  plan: { en: 'Plan', vi: 'Gói dịch vụ' },
  consent: { en: 'Consent', vi: 'Đồng ý' },
  message: { en: 'Message', vi: 'Lời nhắn' },
};

/** A trait's name for people (`companySize` → `Company size`); an unknown key as it is. */
export function traitLabel(key: string): string {
  return Object.hasOwn(TRAITS, key) ? pick(TRAITS[key] as { en: string; vi: string }) : key;
}

/** A language code as its name in the dashboard's language (`vi` → `Vietnamese`); else the code. */
function languageName(code: string): string {
  try {
    return new Intl.DisplayNames([locale()], { type: 'language' }).of(code) ?? code;
  } catch {
    return code;
  }
}

/**
 * A trait's value for people: numbers and yes/no in the dashboard's language, a language code
 * by its name, a list joined, a flat object as `key: value` pairs (JSON only for deeper ones).
 *
 * @example traitValue('companySize', 1500) // '1,500' ('1.500' in Vietnamese)
 */
export function traitValue(key: string, v: unknown): string {
  if (v === null || v === undefined || v === '') return '—';
  if ((key === 'locale' || key === 'language') && typeof v === 'string') return languageName(v);
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return Number.isFinite(v) ? num(v) : String(v);
  if (typeof v === 'boolean') return v ? t('yes') : t('no');
  const flat = (x: unknown) =>
    x === null || typeof x !== 'object' ? traitValue('', x) : JSON.stringify(x);
  if (Array.isArray(v)) return v.map(flat).join(', ');
  return Object.entries(v as Record<string, unknown>)
    .map(([k, x]) => `${traitLabel(k)}: ${flat(x)}`)
    .join(' · ');
}

/** A decimal the collector wrote (`54.65`) in the dashboard's language (`54,65`). */
const decimal = (s: string) => (Number.isFinite(Number(s)) ? num(Number(s)) : s);

/**
 * Why a lead changed stage, for people: the reasons the collector writes (lifecycle/qualify.ts,
 * identity/, the demo's `form <id>`) in the dashboard's language, a form by its name; anything
 * else (a reason a person typed) as it is.
 *
 * @example stageReason('score 54.65 ≥ 50', formName) // 'điểm 54,65 ≥ 50' in Vietnamese
 */
export function stageReason(reason: string, formName: (id: string) => string): string {
  const score = /^score (-?\d+(?:\.\d+)?) ≥ (-?\d+(?:\.\d+)?)$/.exec(reason);
  if (score)
    return t('score {score} ≥ {threshold}', {
      score: decimal(score[1] as string),
      threshold: decimal(score[2] as string),
    });
  const form = /^form (\S+)$/.exec(reason);
  if (form) return t('sent the form {name}', { name: formName(form[1] as string) });
  const merged = /^merged (\S+)$/.exec(reason);
  if (merged) return t('merged {id} into this lead', { id: merged[1] as string });
  if (reason === 'identified') return t('identified');
  if (reason === 'sales-ready form submitted') return t('sent a sales-ready form');
  if (reason === 'first trusted purchase') return t('first trusted purchase');
  if (reason === 'second trusted purchase') return t('second trusted purchase');
  return reason;
}

/** Who moved a lead: `system` (the collector's own moves), `api` (the API, this dashboard), `sales`. */
export function actorLabel(actor: string): string {
  if (actor === 'system') return t('automatic');
  if (actor === 'api') return t('API');
  if (actor === 'sales') return t('sales');
  return actor;
}

const CAPS: Record<string, Parameters<typeof t>[0]> = {
  'cap:fit': 'Fit capped at {n}',
  'cap:engagement': 'Engagement capped at {n}',
  'cap:total': 'Total capped at {n}',
};

/**
 * A score breakdown line's label: a rule's own label (the marketer's words) as it is; a cap's
 * line (`cap:total`, "Total capped at 100", written by shared/scoring.ts) in the dashboard's language.
 */
export function breakdownLabel(b: BreakdownItem): string {
  const key = Object.hasOwn(CAPS, b.ruleId) ? CAPS[b.ruleId] : undefined;
  const cap = /(-?\d+(?:\.\d+)?)\s*$/.exec(b.label);
  return key && cap ? t(key, { n: Number(cap[1]) }) : ruleLabel(b.ruleId, b.label);
}

/** The default rules' English labels by id, to tell an unchanged default label from one written. */
const DEFAULT_LABELS = new Map(
  [...DEFAULT_RULES.fit, ...DEFAULT_RULES.engagement].map((r) => [r.id, r.label]),
);

/**
 * A rule's label in the dashboard's language: a default rule's label nobody changed is shown in
 * Vietnamese on a Vietnamese page; a label a marketer wrote is theirs, shown as written.
 *
 * @example ruleLabel('work-email', 'Work email') // 'Email công việc' in Vietnamese
 */
export function ruleLabel(ruleId: string, label: string): string {
  const vi = Object.hasOwn(DEFAULT_RULE_LABELS_VI, ruleId)
    ? DEFAULT_RULE_LABELS_VI[ruleId]
    : undefined;
  return lang() === 'vi' && vi && DEFAULT_LABELS.get(ruleId) === label ? vi : label;
}

/** True for a breakdown line of a cap: it has no count of events. */
export const isCapLine = (b: BreakdownItem): boolean => b.ruleId.startsWith('cap:');

/** Why a submission was kept aside as spam (collector/forms `quarantineReason`); else as sent. */
export function spamReason(reason: string): string {
  if (reason === 'too_fast') return t('sent too fast');
  if (reason === 'honeypot') return t('hidden field filled in');
  return reason;
}
