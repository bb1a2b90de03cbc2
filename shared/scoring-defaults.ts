/**
 * The rule set a new site starts with. It follows the criteria of the seed articles (contact
 * data, company data, lead source, engagement) with Vietnamese and English keywords.
 */
import type { ScoringRules } from './scoring-rules.ts';

/**
 * Default rules: fit up to 50 (who the lead is), engagement up to 100 decaying over 30 days
 * (what they did lately), MQL at 50.
 *
 * @example score(events, traits, DEFAULT_RULES, now)
 */
export const DEFAULT_RULES: ScoringRules = {
  mqlThreshold: 50,
  halfLifeDays: 30,
  caps: { fit: 50, engagement: 100, total: 100 },
  fit: [
    // Contact data: a reachable person.
    {
      id: 'work-email',
      label: 'Work email',
      trait: 'email',
      op: 'freeEmailDomain',
      value: false,
      points: 10,
    },
    { id: 'phone', label: 'Left a phone number', trait: 'phone', op: 'exists', points: 5 },
    // Company data: the organisation and the person's role in it.
    { id: 'company', label: 'Company known', trait: 'company', op: 'exists', points: 5 },
    {
      id: 'decision-maker',
      label: 'Decision maker',
      trait: 'title',
      op: 'contains',
      value: [
        'director',
        'head',
        'vp',
        'chief',
        'ceo',
        'cto',
        'cmo',
        'founder',
        'owner',
        'manager',
        'giám đốc',
        'trưởng phòng',
        'quản lý',
        'chủ',
      ],
      points: 15,
    },
    {
      id: 'company-size',
      label: 'Company of 50+ people',
      trait: 'companySize',
      op: 'gte',
      value: 50,
      points: 10,
    },
    // Lead source: referrals and events convert better than cold traffic.
    {
      id: 'warm-source',
      label: 'Came by referral, partner or event',
      trait: 'source',
      op: 'in',
      value: ['referral', 'partner', 'event', 'giới thiệu', 'sự kiện'],
      points: 10,
    },
  ],
  engagement: [
    { id: 'visits', label: 'Pages viewed', event: { type: 'pageview' }, points: 1, max: 10 },
    {
      id: 'pricing',
      label: 'Viewed pricing',
      event: { type: 'pageview', url: '*/pricing*' },
      points: 10,
      max: 30,
    },
    {
      id: 'pricing-vi',
      label: 'Viewed pricing (bảng giá)',
      event: { type: 'pageview', url: '*/bang-gia*' },
      points: 10,
      max: 30,
    },
    {
      id: 'form',
      label: 'Submitted a form',
      event: { type: 'form_submit' },
      points: 20,
      max: 40,
    },
    {
      id: 'demo',
      label: 'Asked for a demo',
      event: { type: 'form_submit', form: 'demo' },
      points: 30,
      once: true,
    },
    {
      id: 'signup',
      label: 'Signed up',
      event: { type: 'track', name: 'signup' },
      points: 20,
      once: true,
    },
    {
      id: 'careers',
      label: 'Job seeker',
      event: { type: 'pageview', url: '*/careers*' },
      points: -15,
      once: true,
    },
    {
      id: 'careers-vi',
      label: 'Job seeker (tuyển dụng)',
      event: { type: 'pageview', url: '*/tuyen-dung*' },
      points: -15,
      once: true,
    },
  ],
};

/**
 * The default rules' labels in Vietnamese, by rule id: what the dashboard shows in Vietnamese for
 * a default rule whose label nobody changed (a label a marketer wrote is shown as written).
 */
export const DEFAULT_RULE_LABELS_VI: Readonly<Record<string, string>> = {
  'work-email': 'Email công việc',
  phone: 'Đã để lại số điện thoại',
  company: 'Đã biết công ty',
  'decision-maker': 'Người ra quyết định',
  'company-size': 'Công ty từ 50 người trở lên',
  'warm-source': 'Đến qua giới thiệu, đối tác hoặc sự kiện',
  visits: 'Số trang đã xem',
  pricing: 'Đã xem bảng giá',
  'pricing-vi': 'Đã xem bảng giá (trang tiếng Việt)',
  form: 'Đã gửi biểu mẫu',
  demo: 'Đã yêu cầu demo',
  signup: 'Đã đăng ký',
  careers: 'Người tìm việc',
  'careers-vi': 'Người tìm việc (trang tuyển dụng)',
};
