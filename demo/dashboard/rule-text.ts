/**
 * A scoring rule's condition as a sentence in the dashboard's language ("Job title contains
 * director, head, vp and 11 more", "Page view of *\/pricing*"), for the rules overview: the
 * marketer reads what a rule counts without reading its JSON.
 */
import type { EngagementRule, FitRule, Primitive } from '../../shared/scoring-rules.ts';
import { messages } from './i18n.ts';
import { num } from './ui.tsx';
import { traitLabel } from './words.ts';

const t = messages({
  '{trait} is {value}': '{trait} là {value}',
  '{trait} is not {value}': '{trait} không phải là {value}',
  '{trait} is one of {values}': '{trait} là một trong {values}',
  '{trait} contains {values}': '{trait} chứa {values}',
  '{trait} is set': '{trait} đã có',
  '{trait} is empty': '{trait} còn trống',
  '{trait} is at least {value}': '{trait} từ {value} trở lên',
  '{trait} is at most {value}': '{trait} tối đa {value}',
  '{trait} is a free-mail address': '{trait} là địa chỉ email miễn phí',
  '{trait} is not a free-mail address': '{trait} không phải địa chỉ email miễn phí',
  '{list} and {n} more': '{list} và {n} từ khác',
  'page view of {url}': 'xem trang {url}',
  'any page view': 'mỗi lần xem trang',
  'form submission of {form}': 'gửi biểu mẫu {form}',
  'any form submission': 'gửi bất kỳ biểu mẫu nào',
  'form view of {form}': 'xem biểu mẫu {form}',
  'any form view': 'xem bất kỳ biểu mẫu nào',
  'form dismissal of {form}': 'đóng biểu mẫu {form}',
  'any form dismissal': 'đóng bất kỳ biểu mẫu nào',
  'track event {name}': 'sự kiện tùy chỉnh {name}',
  'any track event': 'mọi sự kiện tùy chỉnh',
  'click on {name}': 'nhấp chuột vào {name}',
  'any click': 'mọi lần nhấp chuột',
  'identification (an email given)': 'định danh (để lại email)',
  'engagement ping': 'tín hiệu tương tác',
  'any event': 'mọi sự kiện',
  '{type} event': 'sự kiện {type}',
  'named {name}': 'có tên {name}',
  'of form {form}': 'của biểu mẫu {form}',
  'on {url}': 'trên {url}',
  'with {properties}': 'với {properties}',
  'only the latest counts': 'chỉ tính lần gần nhất',
  'at most {n} points': 'tối đa {n} điểm',
});

/** How many values of a list a sentence names before "and 11 more". */
const SHOWN = 4;

const value = (v: Primitive | null | undefined): string =>
  v === null || v === undefined ? '—' : typeof v === 'number' ? num(v) : String(v);

/** `director, head, vp, chief and 10 more`; one value alone as it is. */
function values(v: FitRule['value']): string {
  const all = (Array.isArray(v) ? v : [v]).map(value);
  if (all.length <= SHOWN + 1) return all.join(', ');
  return t('{list} and {n} more', { list: all.slice(0, SHOWN).join(', '), n: all.length - SHOWN });
}

/**
 * A fit rule's condition, the trait by its name.
 *
 * @example fitSentence({ trait: 'phone', op: 'exists', … }) // 'Phone is set'
 */
export function fitSentence(r: Pick<FitRule, 'trait' | 'op' | 'value'>): string {
  const trait = traitLabel(r.trait);
  const one = Array.isArray(r.value) ? values(r.value) : value(r.value);
  switch (r.op) {
    case 'eq':
      return t('{trait} is {value}', { trait, value: one });
    case 'neq':
      return t('{trait} is not {value}', { trait, value: one });
    case 'in':
      return t('{trait} is one of {values}', { trait, values: values(r.value) });
    case 'contains':
      return t('{trait} contains {values}', { trait, values: values(r.value) });
    case 'exists':
      return r.value === false ? t('{trait} is empty', { trait }) : t('{trait} is set', { trait });
    case 'gte':
      return t('{trait} is at least {value}', { trait, value: one });
    case 'lte':
      return t('{trait} is at most {value}', { trait, value: one });
    case 'freeEmailDomain':
      return r.value === false
        ? t('{trait} is not a free-mail address', { trait })
        : t('{trait} is a free-mail address', { trait });
    default:
      return `${r.trait} ${String(r.op)} ${one}`;
  }
}

const FORM_TYPES = {
  form_submit: ['form submission of {form}', 'any form submission'],
  form_view: ['form view of {form}', 'any form view'],
  form_dismiss: ['form dismissal of {form}', 'any form dismissal'],
} as const;

/**
 * An engagement rule's events, a form by its name, then what else they must have, and how it
 * counts (`only the latest counts`, `at most 30 points`).
 *
 * @example engagementSentence({ event: { type: 'pageview', url: '*\/pricing*' }, max: 30, … }, name)
 * // 'page view of *\/pricing* · at most 30 points'
 */
export function engagementSentence(
  r: Pick<EngagementRule, 'event' | 'once' | 'max'>,
  formName: (id: string) => string,
): string {
  const { type, url, properties } = r.event;
  // A form event's name is its form's id.
  const isForm = type !== undefined && Object.hasOwn(FORM_TYPES, type);
  const formId = r.event.form ?? (isForm ? r.event.name : undefined);
  const name = isForm ? undefined : r.event.name;
  const extra: string[] = [];
  let head: string;
  if (type === 'pageview') head = url ? t('page view of {url}', { url }) : t('any page view');
  else if (isForm) {
    const [some, any] = FORM_TYPES[type as keyof typeof FORM_TYPES];
    head = formId ? t(some, { form: formName(formId) }) : t(any);
  } else if (type === 'track')
    head = name ? t('track event {name}', { name }) : t('any track event');
  else if (type === 'click') head = name ? t('click on {name}', { name }) : t('any click');
  else {
    head =
      type === undefined
        ? t('any event')
        : type === 'identify'
          ? t('identification (an email given)')
          : type === 'engagement'
            ? t('engagement ping')
            : t('{type} event', { type });
    if (name) extra.push(t('named {name}', { name }));
    if (formId) extra.push(t('of form {form}', { form: formName(formId) }));
  }
  if (url && type !== 'pageview') extra.push(t('on {url}', { url }));
  const props = Object.entries(properties ?? {}).map(([k, v]) => `${k} = ${value(v)}`);
  if (props.length) extra.push(t('with {properties}', { properties: props.join(', ') }));
  const how: string[] = [];
  if (r.once) how.push(t('only the latest counts'));
  if (r.max !== undefined) how.push(t('at most {n} points', { n: r.max }));
  return [[head, ...extra].join(' '), ...how].join(' · ');
}
