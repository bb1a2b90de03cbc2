/** The demo site's forms: a newsletter sign-up placed inline and a sales-ready demo request popup. */
import type { FormDefinition } from '../../shared/forms.ts';
import type { Queryable } from '../store/index.ts';
import { insertForm } from './definitions.ts';

export const DEMO_FORMS: FormDefinition[] = [
  {
    id: 'newsletter',
    name: 'Newsletter',
    kind: 'inline',
    fields: [
      { name: 'email', type: 'email', label: { en: 'Email', vi: 'Email' }, required: true },
      {
        name: 'name',
        type: 'text',
        label: { en: 'Your name', vi: 'Họ và tên' },
        progressive: true,
      },
      {
        name: 'consent',
        type: 'consent',
        required: true,
        label: {
          en: 'I agree to receive the Acme newsletter. I can unsubscribe at any time.',
          vi: 'Tôi đồng ý nhận bản tin của Acme và có thể hủy đăng ký bất cứ lúc nào.',
        },
      },
    ],
    texts: {
      title: { en: 'Get the monthly newsletter', vi: 'Nhận bản tin hằng tháng' },
      description: {
        en: 'Analytics tips for marketers, once a month.',
        vi: 'Mẹo phân tích dành cho marketer, mỗi tháng một lần.',
      },
      submit: { en: 'Subscribe', vi: 'Đăng ký' },
    },
  },
  {
    id: 'demo',
    name: 'Book a demo',
    kind: 'popup',
    salesReady: true,
    trigger: { type: 'exit_intent' },
    frequency: { show: 'session', dismissDays: 7, hideKnown: true },
    fields: [
      {
        name: 'email',
        type: 'email',
        label: { en: 'Work email', vi: 'Email công việc' },
        required: true,
      },
      { name: 'name', type: 'text', label: { en: 'Full name', vi: 'Họ và tên' }, required: true },
      { name: 'company', type: 'text', label: { en: 'Company', vi: 'Công ty' }, progressive: true },
      { name: 'phone', type: 'tel', label: { en: 'Phone', vi: 'Số điện thoại' } },
    ],
    texts: {
      title: {
        en: 'Before you go: see Touchpoint live',
        vi: 'Trước khi rời đi: xem Touchpoint hoạt động',
      },
      description: {
        en: 'A 20-minute demo with our team, at a time that suits you.',
        vi: 'Buổi demo 20 phút với đội ngũ của chúng tôi, vào thời gian phù hợp với bạn.',
      },
      submit: { en: 'Book my demo', vi: 'Đặt lịch demo' },
    },
  },
];

/**
 * Creates the demo forms that do not exist yet (a marketer's edits survive restarts).
 *
 * @example await seedDemoForms(store, 'site_demo', new Date());
 */
export async function seedDemoForms(db: Queryable, siteId: string, now: Date): Promise<void> {
  for (const def of DEMO_FORMS) await insertForm(db, siteId, def, now);
}
