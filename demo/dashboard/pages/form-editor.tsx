/**
 * The form editor: a marketer creates or changes a lead-capture form without code (DESIGN §5):
 * its fields and their labels in English and Vietnamese, its texts, and for a popup, slide-in
 * or bar when, where and how often it shows. Saved with `POST /v1/forms` or `PUT /v1/forms/{id}`;
 * what the collector refuses is shown at the field it names. Settings the editor has no control
 * for (theme, placeholders, lengths) are kept as they are.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import {
  FIELD_TYPES,
  type FieldType,
  FORM_KINDS,
  type FormDefinition,
  type FormField,
  type FormKind,
  type FormTrigger,
  type Locale,
  type Localized,
} from '../../../shared/forms.ts';
import { slug } from '../../../shared/slug.ts';
import { api } from '../api.ts';
import {
  Check,
  ErrorSummary,
  type FieldErrors,
  Group,
  moveAt,
  NumberInput,
  replaceAt,
  Select,
  saveErrors,
  TextArea,
  TextInput,
} from '../edit.tsx';
import { messages } from '../i18n.ts';
import { href } from '../router.ts';
import { Loading, leaveNotice, numberFormat, PageHeading, Problem, takeNotice } from '../ui.tsx';
import { useApi } from '../use-api.ts';
import { FormSubmissions } from './form-submissions.tsx';

const t = messages({
  // Kinds, field types, triggers, languages, texts and colours (the lists below).
  'Inline (placed in a page)': 'Nhúng trong trang',
  Popup: 'Cửa sổ bật lên',
  'Slide-in': 'Hộp trượt',
  Bar: 'Thanh thông báo',
  Email: 'Email',
  Text: 'Văn bản',
  Phone: 'Số điện thoại',
  'Long text': 'Văn bản dài',
  'Choice list': 'Danh sách lựa chọn',
  Checkbox: 'Ô đánh dấu',
  Consent: 'Đồng ý',
  'Hidden value': 'Giá trị ẩn',
  'When the page loads': 'Khi trang tải xong',
  'After some seconds': 'Sau vài giây',
  'After scrolling part of the page': 'Sau khi cuộn một phần trang',
  'When the visitor is about to leave': 'Khi khách truy cập sắp rời trang',
  'After some pages in the visit': 'Sau vài trang trong phiên',
  'When an element is clicked': 'Khi nhấp vào một phần tử',
  English: 'tiếng Anh',
  Vietnamese: 'tiếng Việt',
  Title: 'Tiêu đề',
  Description: 'Mô tả',
  Button: 'Chữ trên nút',
  'Thank-you message': 'Lời cảm ơn',
  'Button and focus colour': 'Màu nút và viền tiêu điểm',
  'Button text colour': 'Màu chữ trên nút',
  Background: 'Màu nền',
  'Text colour': 'Màu chữ',
  // The error summary's paths and the contrast warnings.
  'Field {n}': 'Trường {n}',
  Form: 'Biểu mẫu',
  'The button text is hard to read on the button colour ({ratio}:1, needs 4.5:1).':
    'Chữ trên nút khó đọc trên màu nút (tương phản {ratio}:1, cần 4,5:1).',
  'The text is hard to read on the background ({ratio}:1, needs 4.5:1).':
    'Chữ khó đọc trên màu nền (tương phản {ratio}:1, cần 4,5:1).',
  // The page.
  'Back to forms & scoring': 'Quay lại biểu mẫu & chấm điểm',
  'Forms & scoring': 'Biểu mẫu & chấm điểm',
  'New form': 'Biểu mẫu mới',
  'Form: {name}': 'Biểu mẫu: {name}',
  'Edit form': 'Sửa biểu mẫu',
  'Created “{name}”.': 'Đã tạo “{name}”.',
  'Saved “{name}”. Pages pick it up on their next load.':
    'Đã lưu “{name}”. Các trang sẽ dùng bản mới từ lần tải sau.',
  'Delete the form “{name}”? Its submissions stay readable through the API.':
    'Xóa biểu mẫu “{name}”? Các lượt gửi của biểu mẫu vẫn đọc được qua API.',
  Name: 'Tên',
  Id: 'ID',
  'Lowercase letters, digits, - and _. Used in the embed code; it cannot change later.':
    'Chữ thường, chữ số, - và _. Dùng trong mã nhúng; sau này không đổi được.',
  'Used in the embed code; it cannot change.': 'Dùng trong mã nhúng; không đổi được.',
  Kind: 'Loại',
  Language: 'Ngôn ngữ',
  'The page’s, else the visitor’s browser': 'Theo trang, rồi trình duyệt',
  'Always English': 'Luôn dùng tiếng Anh',
  'Always Vietnamese': 'Luôn dùng tiếng Việt',
  'Sales-ready: a submission makes the lead sales-qualified (SQL) and notifies sales':
    'Sẵn sàng bán hàng: mỗi lượt gửi đưa khách hàng tiềm năng lên SQL (đã qua sàng lọc bán hàng) và báo cho bộ phận bán hàng',
  'Place it in a page with': 'Đặt vào trang bằng',
  Look: 'Giao diện',
  'Corner radius (px)': 'Bo góc (px)',
  'Back to the default look': 'Khôi phục giao diện mặc định',
  'Fields ({n})': 'Trường ({n})',
  Type: 'Kiểu',
  'Name (the lead trait it fills)': 'Tên (thuộc tính khách hàng tiềm năng được điền)',
  'Label ({lang})': 'Nhãn ({lang})',
  'Consent text ({lang})': 'Nội dung đồng ý ({lang})',
  'Choices, one per line': 'Các lựa chọn, mỗi dòng một',
  // `{bar}` is `|`: a `|` in a key would read as an English singular|plural pair.
  'value, or value {bar} label, or value {bar} English label {bar} Vietnamese label':
    'giá trị, hoặc giá trị {bar} nhãn, hoặc giá trị {bar} nhãn tiếng Anh {bar} nhãn tiếng Việt',
  Value: 'Giá trị',
  'A URL query parameter with the field’s name replaces it.':
    'Tham số truy vấn URL trùng tên trường sẽ thay giá trị này.',
  Required: 'Bắt buộc',
  'Ask only when not known yet (progressive)': 'Chỉ hỏi khi chưa biết (hỏi dần)',
  'Move field {n} up': 'Chuyển trường {n} lên',
  'Move field {n} down': 'Chuyển trường {n} xuống',
  'Remove field {n}': 'Xóa trường {n}',
  'Remove field {n} ({name})': 'Xóa trường {n} ({name})',
  '↑ Up': '↑ Lên',
  '↓ Down': '↓ Xuống',
  Remove: 'Xóa',
  'Add a field': 'Thêm trường',
  Texts: 'Nội dung',
  'Empty texts show the built-in ones, in the visitor’s language.':
    'Để trống thì hiện nội dung có sẵn, theo ngôn ngữ của khách truy cập.',
  '{text} ({lang})': '{text} ({lang})',
  'When and where it shows': 'Hiển thị khi nào và ở đâu',
  Show: 'Hiển thị',
  'Seconds after the page loads': 'Số giây sau khi trang tải xong',
  'Percent of the page scrolled': 'Phần trăm trang đã cuộn',
  'Pages viewed in the visit': 'Số trang đã xem trong phiên',
  'CSS selector of the element': 'Bộ chọn CSS của phần tử',
  'How often': 'Tần suất',
  'Once per visitor': 'Một lần mỗi khách truy cập',
  'Once per visit': 'Một lần mỗi phiên',
  'Every time it triggers': 'Mỗi lần đủ điều kiện hiển thị',
  'Days to wait after it is closed': 'Số ngày chờ sau khi bị đóng',
  Devices: 'Thiết bị',
  'All devices': 'Mọi thiết bị',
  'Desktop only': 'Chỉ máy tính',
  'Phones only': 'Chỉ điện thoại',
  'Never show it to a visitor who is already a lead':
    'Không hiển thị cho khách truy cập đã là khách hàng tiềm năng',
  'Only on these pages': 'Chỉ hiển thị trên các trang này',
  'One per line; * matches anything; a line starting with / is a path. Empty: every page.':
    'Mỗi dòng một mục; * khớp với mọi thứ; dòng bắt đầu bằng / là đường dẫn. Để trống: mọi trang.',
  'Never on these pages': 'Không hiển thị trên các trang này',
  'One per line, as above.': 'Mỗi dòng một mục, như trên.',
  'Create form': 'Tạo biểu mẫu',
  'Save form': 'Lưu biểu mẫu',
  'Delete form': 'Xóa biểu mẫu',
});

const KIND_LABELS = {
  inline: 'Inline (placed in a page)',
  popup: 'Popup',
  slide_in: 'Slide-in',
  bar: 'Bar',
} as const satisfies Record<FormKind, string>;

const TYPE_LABELS = {
  email: 'Email',
  text: 'Text',
  tel: 'Phone',
  textarea: 'Long text',
  select: 'Choice list',
  checkbox: 'Checkbox',
  consent: 'Consent',
  hidden: 'Hidden value',
} as const satisfies Record<FieldType, string>;

type TriggerType = FormTrigger['type'];
const TRIGGERS = [
  ['load', 'When the page loads'],
  ['delay', 'After some seconds'],
  ['scroll', 'After scrolling part of the page'],
  ['exit_intent', 'When the visitor is about to leave'],
  ['pageviews', 'After some pages in the visit'],
  ['click', 'When an element is clicked'],
] as const satisfies readonly (readonly [TriggerType, string])[];

/** Each trigger with its setting's default (what switching to it starts from). */
const TRIGGER_DEFAULTS: Record<TriggerType, FormTrigger> = {
  load: { type: 'load' },
  delay: { type: 'delay', seconds: 5 },
  scroll: { type: 'scroll', percent: 50 },
  exit_intent: { type: 'exit_intent' },
  pageviews: { type: 'pageviews', count: 2 },
  click: { type: 'click', selector: '' },
};

const LANGS = [
  ['en', 'English', 'en'],
  ['vi', 'Vietnamese', 'vi'],
] as const satisfies readonly (readonly [Locale, string, string])[];

const TEXTS = [
  ['title', 'Title'],
  ['description', 'Description'],
  ['submit', 'Button'],
  ['success', 'Thank-you message'],
] as const;

/** The theme colours the editor sets, with the chunk's defaults (README, Theming). */
const COLOURS = [
  ['--tp-accent', 'Button and focus colour', '#0b57d0'],
  ['--tp-accent-fg', 'Button text colour', '#ffffff'],
  ['--tp-bg', 'Background', '#ffffff'],
  ['--tp-fg', 'Text colour', '#1f1f1f'],
] as const;

/** WCAG contrast ratio of two `#rrggbb` colours (1 to 21). */
function contrast(a: string, b: string): number {
  const lum = (hex: string) => {
    const [r = 0, g = 0, bl = 0] = [1, 3, 5].map((i) => {
      const c = Number.parseInt(hex.slice(i, i + 2), 16) / 255;
      return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
  };
  const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

/** A theme colour as the colour input needs it (`#rrggbb`), else its default. */
const colourOf = (theme: FormDefinition['theme'], key: string, fallback: string) => {
  const v = theme?.[key];
  if (v && /^#[0-9a-f]{6}$/i.test(v)) return v.toLowerCase();
  if (v && /^#[0-9a-f]{3}$/i.test(v)) return `#${[...v.slice(1)].map((c) => c + c).join('')}`;
  return fallback;
};

/** A new form starts with the one field every lead form needs. */
const NEW_FORM: FormDefinition = {
  id: '',
  name: '',
  kind: 'inline',
  fields: [{ name: 'email', type: 'email', required: true, label: { en: 'Email', vi: 'Email' } }],
};

/** The text of a localized value in one language (a plain string reads as the English one). */
const textIn = (v: Localized | undefined, lang: Locale): string =>
  v === undefined ? '' : typeof v === 'string' ? (lang === 'en' ? v : '') : (v[lang] ?? '');

/**
 * `v` with `lang` set to `text` (a plain string becomes its English text, which Vietnamese falls
 * back to, as before); `undefined` when no language has a text (the default text shows).
 */
function withText(v: Localized | undefined, lang: Locale, text: string): Localized | undefined {
  const o: Partial<Record<Locale, string>> = typeof v === 'string' ? { en: v } : { ...(v ?? {}) };
  if (text) o[lang] = text;
  else delete o[lang];
  return o.en || o.vi ? o : undefined;
}

/** A select's options as lines: `value`, `value | label`, or `value | English | Vietnamese`. */
const optionsText = (options: FormField['options']): string =>
  (options ?? [])
    .map((o) =>
      o.label === undefined
        ? o.value
        : typeof o.label === 'string'
          ? `${o.value} | ${o.label}`
          : `${o.value} | ${o.label.en ?? ''} | ${o.label.vi ?? ''}`,
    )
    .join('\n');

function parseOptions(text: string): FormField['options'] {
  return text
    .split('\n')
    .map((line) => line.split('|').map((s) => s.trim()))
    .filter(([value]) => value)
    .map(([value = '', en, vi]) =>
      vi !== undefined
        ? { value, label: withText(withText(undefined, 'en', en ?? ''), 'vi', vi) }
        : en
          ? { value, label: en }
          : { value },
    );
}

/** A glob list as lines, and back. */
const lines = (l: string[] | undefined) => (l ?? []).join('\n');
const toLines = (s: string) =>
  s
    .split('\n')
    .map((x) => x.trim())
    .filter(Boolean);

/** `fields.2.label.en` → `Field 3 (company) › label › en`, for the error summary. */
function describePath(path: string, def: FormDefinition): string {
  const [head, i, ...rest] = path.split('.');
  if (head === 'fields' && i !== undefined && /^\d+$/.test(i)) {
    const f = def.fields[Number(i)];
    const name = f?.name ? ` (${f.name})` : '';
    return [`${t('Field {n}', { n: Number(i) + 1 })}${name}`, ...rest].join(' › ');
  }
  return path ? path.split('.').join(' › ') : t('Form');
}

/** A contrast ratio for people, with one decimal: `4.5`, `4,5`. */
const ratio = (r: number): string =>
  numberFormat({ minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(r);

/** What a visitor would find hard to read with these colours (WCAG AA: 4.5:1 for text). */
function lowContrast(theme: FormDefinition['theme']): string[] {
  const c = (k: string) => colourOf(theme, k, COLOURS.find(([key]) => key === k)![2]);
  const out: string[] = [];
  const button = contrast(c('--tp-accent'), c('--tp-accent-fg'));
  if (button < 4.5)
    out.push(
      t('The button text is hard to read on the button colour ({ratio}:1, needs 4.5:1).', {
        ratio: ratio(button),
      }),
    );
  const text = contrast(c('--tp-bg'), c('--tp-fg'));
  if (text < 4.5)
    out.push(
      t('The text is hard to read on the background ({ratio}:1, needs 4.5:1).', {
        ratio: ratio(text),
      }),
    );
  return out;
}

/**
 * The editor of form `id`, or of a new form when `id` is undefined.
 *
 * @example <FormEditorPage id="newsletter" />
 */
export function FormEditorPage({ id }: { id?: string }) {
  const loaded = useApi<FormDefinition>(id ? `/v1/forms/${encodeURIComponent(id)}` : null);
  if (id && loaded.error) {
    return (
      <>
        <PageHeading title={t('Form')} />
        <Problem error={loaded.error} />
        <p>
          <a href={href(['setup'])}>{t('Back to forms & scoring')}</a>
        </p>
      </>
    );
  }
  // Only this form's own data (not what an earlier route loaded) starts the editor.
  if (id && loaded.data?.id !== id) {
    return (
      <>
        <PageHeading title={t('Form')} />
        <Loading />
      </>
    );
  }
  return <Editor key={id ?? 'new'} initial={(id && loaded.data) || NEW_FORM} isNew={!id} />;
}

function Editor({ initial, isNew }: { initial: FormDefinition; isNew: boolean }) {
  const [def, setDef] = useState<FormDefinition>(initial);
  const [errors, setErrors] = useState<FieldErrors>([]);
  const [problem, setProblem] = useState('');
  // A new form's creation navigates here and leaves its line.
  const [status, setStatus] = useState(takeNotice);
  const [busy, setBusy] = useState(false);
  // The id follows the name until the marketer types one.
  const [idTouched, setIdTouched] = useState(!isNew);
  const summary = useRef<HTMLDivElement>(null);
  const [focusField, setFocusField] = useState<number | null>(null);

  useEffect(() => {
    if (focusField === null) return;
    document.querySelector<HTMLElement>(`[data-path="fields.${focusField}.type"]`)?.focus();
    setFocusField(null);
  }, [focusField]);

  const set = (patch: Partial<FormDefinition>) => {
    setDef((d) => ({ ...d, ...patch }));
    setStatus('');
  };
  const setField = (i: number, patch: Partial<FormField>) =>
    set({ fields: replaceAt(def.fields, i, (f) => ({ ...f, ...patch })) });
  const overlay = def.kind !== 'inline';

  const save = async (e: Event) => {
    e.preventDefault();
    if (busy) return;
    setBusy(true);
    setStatus('');
    try {
      const saved = await api<FormDefinition>(
        isNew ? '/v1/forms' : `/v1/forms/${encodeURIComponent(def.id)}`,
        { method: isNew ? 'POST' : 'PUT', body: JSON.stringify(def) },
      );
      setErrors([]);
      setProblem('');
      if (isNew) {
        leaveNotice(t('Created “{name}”.', { name: saved.name }));
        location.hash = href(['setup', 'forms', saved.id]);
        return;
      }
      setDef(saved);
      setStatus(t('Saved “{name}”. Pages pick it up on their next load.', { name: saved.name }));
    } catch (err) {
      const { fields, text } = saveErrors(err);
      setErrors(fields);
      setProblem(text);
      // After the summary renders: a screen reader reads it, Tab goes on to its links.
      setTimeout(() => summary.current?.focus());
    } finally {
      setBusy(false);
    }
  };

  const remove = async () => {
    if (
      !confirm(
        t('Delete the form “{name}”? Its submissions stay readable through the API.', {
          name: def.name,
        }),
      )
    )
      return;
    try {
      await api(`/v1/forms/${encodeURIComponent(def.id)}`, { method: 'DELETE' });
      location.hash = href(['setup']);
    } catch (err) {
      setProblem(saveErrors(err).text);
      setTimeout(() => summary.current?.focus());
    }
  };

  const trigger = def.trigger ?? TRIGGER_DEFAULTS.load;
  const frequency = def.frequency ?? { show: 'session' as const };
  const targeting = def.targeting ?? {};

  return (
    <>
      <p class="crumbs">
        <a href={href(['setup'])}>{t('Forms & scoring')}</a>
      </p>
      <PageHeading title={isNew ? t('New form') : t('Form: {name}', { name: initial.name })} />
      <form class="editor" onSubmit={save} aria-label={isNew ? t('New form') : t('Edit form')}>
        <ErrorSummary
          errors={errors}
          text={problem}
          describe={(p) => describePath(p, def)}
          summaryRef={summary}
        />
        <Group title={t('Form')}>
          <div class="row">
            <TextInput
              label={t('Name')}
              path="name"
              errors={errors}
              required
              maxLength={200}
              value={def.name}
              onValue={(name) => set(idTouched ? { name } : { name, id: slug(name) })}
            />
            <TextInput
              label={t('Id')}
              path="id"
              errors={errors}
              hint={
                isNew
                  ? t(
                      'Lowercase letters, digits, - and _. Used in the embed code; it cannot change later.',
                    )
                  : t('Used in the embed code; it cannot change.')
              }
              required
              readOnly={!isNew}
              maxLength={64}
              pattern="[a-z0-9][a-z0-9_\-]*"
              value={def.id}
              onValue={(v) => {
                setIdTouched(true);
                set({ id: v });
              }}
            />
          </div>
          <div class="row">
            <Select
              label={t('Kind')}
              path="kind"
              errors={errors}
              value={def.kind}
              options={FORM_KINDS.map((k) => [k, t(KIND_LABELS[k])] as const)}
              onValue={(kind) => set({ kind })}
            />
            <Select
              label={t('Language')}
              path="locale"
              errors={errors}
              value={def.locale ?? ''}
              options={[
                ['', t('The page’s, else the visitor’s browser')],
                ['en', t('Always English')],
                ['vi', t('Always Vietnamese')],
              ]}
              onValue={(v) => set({ locale: v || undefined })}
            />
          </div>
          <Check
            label={t(
              'Sales-ready: a submission makes the lead sales-qualified (SQL) and notifies sales',
            )}
            path="salesReady"
            errors={errors}
            checked={def.salesReady}
            onValue={(v) => set({ salesReady: v || undefined })}
          />
          {!isNew && def.kind === 'inline' && (
            <p class="small">
              {t('Place it in a page with')} <code>{`<div data-tp-form="${def.id}"></div>`}</code>
            </p>
          )}
        </Group>

        <Group title={t('Look')}>
          <div class="row">
            {COLOURS.map(([key, label, fallback]) => (
              <div class="control" key={key}>
                <label for={`theme-${key}`}>{t(label)}</label>
                <input
                  id={`theme-${key}`}
                  data-path={`theme.${key}`}
                  type="color"
                  class="colour"
                  value={colourOf(def.theme, key, fallback)}
                  onInput={(e) => set({ theme: { ...def.theme, [key]: e.currentTarget.value } })}
                />
              </div>
            ))}
            <NumberInput
              label={t('Corner radius (px)')}
              path="theme.--tp-radius"
              errors={errors}
              min={0}
              max={40}
              step={1}
              value={
                def.theme?.['--tp-radius'] ? Number.parseFloat(def.theme['--tp-radius']) : undefined
              }
              onValue={(v) => {
                const { '--tp-radius': _, ...rest } = def.theme ?? {};
                set({ theme: v === undefined ? rest : { ...rest, '--tp-radius': `${v}px` } });
              }}
            />
          </div>
          {lowContrast(def.theme).map((m) => (
            <p key={m} class="field-error" role="status">
              {m}
            </p>
          ))}
          {def.theme && Object.keys(def.theme).length > 0 && (
            <button type="button" class="link" onClick={() => set({ theme: undefined })}>
              {t('Back to the default look')}
            </button>
          )}
        </Group>

        <Group title={t('Fields ({n})', { n: def.fields.length })}>
          <ol class="field-list">
            {def.fields.map((f, i) => (
              <li key={i}>
                <fieldset class="field-row">
                  <legend>
                    {t('Field {n}', { n: i + 1 })}
                    {f.name ? `: ${f.name}` : ''}
                  </legend>
                  <div class="row">
                    <Select
                      label={t('Type')}
                      path={`fields.${i}.type`}
                      errors={errors}
                      value={f.type}
                      options={FIELD_TYPES.map((ty) => [ty, t(TYPE_LABELS[ty])] as const)}
                      onValue={(type) => setField(i, { type })}
                    />
                    <TextInput
                      label={t('Name (the lead trait it fills)')}
                      path={`fields.${i}.name`}
                      errors={errors}
                      required
                      maxLength={64}
                      pattern="[A-Za-z][A-Za-z0-9_]*"
                      value={f.name}
                      onValue={(name) => setField(i, { name })}
                    />
                  </div>
                  <div class="row">
                    {LANGS.map(([lang, langName, tag]) => (
                      <TextInput
                        key={lang}
                        label={
                          f.type === 'consent'
                            ? t('Consent text ({lang})', { lang: t(langName) })
                            : t('Label ({lang})', { lang: t(langName) })
                        }
                        path={`fields.${i}.label.${lang}`}
                        errors={errors}
                        lang={tag}
                        maxLength={2000}
                        value={textIn(f.label, lang)}
                        onValue={(v) => setField(i, { label: withText(f.label, lang, v) })}
                      />
                    ))}
                  </div>
                  {f.type === 'select' && (
                    <TextArea
                      label={t('Choices, one per line')}
                      hint={t(
                        'value, or value {bar} label, or value {bar} English label {bar} Vietnamese label',
                        { bar: '|' },
                      )}
                      path={`fields.${i}.options`}
                      errors={errors}
                      value={optionsText(f.options)}
                      onValue={(v) => setField(i, { options: parseOptions(v) })}
                    />
                  )}
                  {f.type === 'hidden' && (
                    <TextInput
                      label={t('Value')}
                      hint={t('A URL query parameter with the field’s name replaces it.')}
                      path={`fields.${i}.value`}
                      errors={errors}
                      maxLength={500}
                      value={f.value}
                      onValue={(value) => setField(i, { value: value || undefined })}
                    />
                  )}
                  {f.type !== 'hidden' && (
                    <div class="row checks">
                      <Check
                        label={t('Required')}
                        path={`fields.${i}.required`}
                        errors={errors}
                        checked={f.required}
                        onValue={(v) => setField(i, { required: v || undefined })}
                      />
                      <Check
                        label={t('Ask only when not known yet (progressive)')}
                        path={`fields.${i}.progressive`}
                        errors={errors}
                        checked={f.progressive}
                        onValue={(v) => setField(i, { progressive: v || undefined })}
                      />
                    </div>
                  )}
                  <div class="actions">
                    <button
                      type="button"
                      disabled={i === 0}
                      aria-label={t('Move field {n} up', { n: i + 1 })}
                      onClick={() => set({ fields: moveAt(def.fields, i, -1) })}
                    >
                      {t('↑ Up')}
                    </button>
                    <button
                      type="button"
                      disabled={i === def.fields.length - 1}
                      aria-label={t('Move field {n} down', { n: i + 1 })}
                      onClick={() => set({ fields: moveAt(def.fields, i, 1) })}
                    >
                      {t('↓ Down')}
                    </button>
                    <button
                      type="button"
                      disabled={def.fields.length === 1}
                      aria-label={
                        f.name
                          ? t('Remove field {n} ({name})', { n: i + 1, name: f.name })
                          : t('Remove field {n}', { n: i + 1 })
                      }
                      onClick={() => {
                        set({ fields: def.fields.filter((_, j) => j !== i) });
                        setFocusField(Math.min(i, def.fields.length - 2));
                      }}
                    >
                      {t('Remove')}
                    </button>
                  </div>
                </fieldset>
              </li>
            ))}
          </ol>
          <button
            type="button"
            disabled={def.fields.length >= 30}
            onClick={() => {
              set({ fields: [...def.fields, { name: '', type: 'text' }] });
              setFocusField(def.fields.length);
            }}
          >
            {t('Add a field')}
          </button>
        </Group>

        <Group title={t('Texts')}>
          <p class="muted small">
            {t('Empty texts show the built-in ones, in the visitor’s language.')}
          </p>
          {TEXTS.map(([key, label]) => (
            <div class="row" key={key}>
              {LANGS.map(([lang, langName, tag]) => (
                <TextInput
                  key={lang}
                  label={t('{text} ({lang})', { text: t(label), lang: t(langName) })}
                  path={`texts.${key}.${lang}`}
                  errors={errors}
                  lang={tag}
                  maxLength={2000}
                  value={textIn(def.texts?.[key], lang)}
                  onValue={(v) =>
                    set({ texts: { ...def.texts, [key]: withText(def.texts?.[key], lang, v) } })
                  }
                />
              ))}
            </div>
          ))}
        </Group>

        {overlay && (
          <Group title={t('When and where it shows')}>
            <div class="row">
              <Select
                label={t('Show')}
                path="trigger.type"
                errors={errors}
                value={trigger.type}
                options={TRIGGERS.map(([v, label]) => [v, t(label)] as const)}
                onValue={(v) => set({ trigger: TRIGGER_DEFAULTS[v] })}
              />
              {trigger.type === 'delay' && (
                <NumberInput
                  label={t('Seconds after the page loads')}
                  path="trigger.seconds"
                  errors={errors}
                  min={0}
                  max={3600}
                  required
                  value={trigger.seconds}
                  onValue={(seconds) =>
                    set({ trigger: { ...trigger, seconds: seconds as number } })
                  }
                />
              )}
              {trigger.type === 'scroll' && (
                <NumberInput
                  label={t('Percent of the page scrolled')}
                  path="trigger.percent"
                  errors={errors}
                  min={0}
                  max={100}
                  required
                  value={trigger.percent}
                  onValue={(percent) =>
                    set({ trigger: { ...trigger, percent: percent as number } })
                  }
                />
              )}
              {trigger.type === 'pageviews' && (
                <NumberInput
                  label={t('Pages viewed in the visit')}
                  path="trigger.count"
                  errors={errors}
                  min={1}
                  max={1000}
                  step={1}
                  required
                  value={trigger.count}
                  onValue={(count) => set({ trigger: { ...trigger, count: count as number } })}
                />
              )}
              {trigger.type === 'click' && (
                <TextInput
                  label={t('CSS selector of the element')}
                  path="trigger.selector"
                  errors={errors}
                  required
                  maxLength={300}
                  placeholder=".get-quote"
                  value={trigger.selector}
                  onValue={(selector) => set({ trigger: { ...trigger, selector } })}
                />
              )}
            </div>
            <div class="row">
              <Select
                label={t('How often')}
                path="frequency.show"
                errors={errors}
                value={frequency.show}
                options={[
                  ['once', t('Once per visitor')],
                  ['session', t('Once per visit')],
                  ['always', t('Every time it triggers')],
                ]}
                onValue={(show) => set({ frequency: { ...frequency, show } })}
              />
              <NumberInput
                label={t('Days to wait after it is closed')}
                path="frequency.dismissDays"
                errors={errors}
                min={0}
                max={3650}
                value={frequency.dismissDays}
                onValue={(dismissDays) => set({ frequency: { ...frequency, dismissDays } })}
              />
              <Select
                label={t('Devices')}
                path="targeting.device"
                errors={errors}
                value={targeting.device ?? 'all'}
                options={[
                  ['all', t('All devices')],
                  ['desktop', t('Desktop only')],
                  ['mobile', t('Phones only')],
                ]}
                onValue={(device) => set({ targeting: { ...targeting, device } })}
              />
            </div>
            <Check
              label={t('Never show it to a visitor who is already a lead')}
              path="frequency.hideKnown"
              errors={errors}
              checked={frequency.hideKnown}
              onValue={(v) => set({ frequency: { ...frequency, hideKnown: v || undefined } })}
            />
            <div class="row">
              <TextArea
                label={t('Only on these pages')}
                hint={t(
                  'One per line; * matches anything; a line starting with / is a path. Empty: every page.',
                )}
                path="targeting.include"
                errors={errors}
                value={lines(targeting.include)}
                onValue={(v) => set({ targeting: { ...targeting, include: toLines(v) } })}
              />
              <TextArea
                label={t('Never on these pages')}
                hint={t('One per line, as above.')}
                path="targeting.exclude"
                errors={errors}
                value={lines(targeting.exclude)}
                onValue={(v) => set({ targeting: { ...targeting, exclude: toLines(v) } })}
              />
            </div>
          </Group>
        )}

        <div class="actions">
          {/* Not `disabled` while busy: a disabled button would drop keyboard focus to <body>. */}
          <button type="submit" class="primary" aria-disabled={busy ? 'true' : undefined}>
            {isNew ? t('Create form') : t('Save form')}
          </button>
          {!isNew && (
            <button type="button" class="danger" onClick={remove}>
              {t('Delete form')}
            </button>
          )}
          <p class="muted small" role="status">
            {status}
          </p>
        </div>
      </form>
      {!isNew && <FormSubmissions formId={initial.id} />}
    </>
  );
}
