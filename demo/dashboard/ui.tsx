/** Small shared pieces: load states, page headings and focus, stage and channel labels, counts, dates. */
import { type ComponentChildren, Fragment } from 'preact';
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { type AnyStage, CHANNEL_LABELS, type Channel, STAGE_LABELS } from '../../shared/funnel.ts';
import type { ApiError } from './api.ts';
import { lang, locale, messages } from './i18n.ts';

const t = messages({
  ' (this collector does not serve this part of the API yet)':
    ' (collector này chưa hỗ trợ phần này của API)',
  'Loading…': 'Đang tải…',
  '{label} (scrolls sideways)': '{label} (cuộn ngang)',
});

export function Problem({ error }: { error: ApiError }) {
  // Only a missing route means an older collector; `lead-not-found` and the like are answers.
  const routeMissing = error.status === 404 && (!error.type || error.type.endsWith('/not-found'));
  const hint = routeMissing
    ? t(' (this collector does not serve this part of the API yet)')
    : error.status === 0 || error.status === 404
      ? ''
      : ` (HTTP ${error.status})`;
  return (
    <p class="problem" role="alert">
      {error.message}
      {hint}
    </p>
  );
}

/**
 * Names the browser tab after the page: `Leads · Touchpoint`. In the same commit as the heading
 * takes focus (a layout effect, like it), so the title a screen reader reads with it is the new one.
 */
export function useDocumentTitle(title: string): void {
  useLayoutEffect(() => {
    document.title = `${title} · Touchpoint`;
  }, [title]);
}

let pendingNotice = '';

/**
 * A line for the next page to say once (`Created “Webinar”.`, `ada@x.com was erased.`): the
 * action that sets it navigates away, and the page it lands on takes it with {@link takeNotice}.
 */
export function leaveNotice(text: string): void {
  pendingNotice = text;
}

/** The line the previous page left, once (then ''). */
export function takeNotice(): string {
  const n = pendingNotice;
  pendingNotice = '';
  return n;
}

let headingFocusPending = false;

/** Asks the page heading drawn next to take focus: after sign-in or a move to another page. */
export function focusNextHeading(): void {
  headingFocusPending = true;
}

/**
 * The page's h1. It names the tab and, after a navigation, takes focus, so a screen reader reads
 * the new page and Tab goes on from there instead of from the link that was followed.
 *
 * @example <PageHeading title="Reports" />
 */
export function PageHeading({
  title,
  class: className,
  children,
}: {
  title: string;
  class?: string;
  children?: ComponentChildren;
}) {
  const ref = useRef<HTMLHeadingElement>(null);
  useDocumentTitle(title);
  useLayoutEffect(() => {
    if (!headingFocusPending) return;
    headingFocusPending = false;
    ref.current?.focus();
  }, []);
  return (
    <h1 ref={ref} tabIndex={-1} class={className}>
      {children ?? title}
    </h1>
  );
}

const focusable = (form: HTMLFormElement | null) =>
  Array.from(form?.querySelectorAll<HTMLElement>('input, select, button, a[href]') ?? []);

/**
 * For a filter form keyed by the route's params (so its fields show the values in force): the
 * redrawn form would drop keyboard focus to <body>, so the control that had it gets it back.
 *
 * @example const keep = useKeptFocus(params.toString()); <form ref={keep.form} onSubmit={() => { keep.remember(); … }}>
 */
export function useKeptFocus(key: string) {
  const form = useRef<HTMLFormElement>(null);
  const index = useRef(-1);
  useEffect(() => {
    const i = index.current;
    index.current = -1;
    // Only when focus was lost: a click elsewhere since then keeps its own focus.
    if (i >= 0 && (!document.activeElement || document.activeElement === document.body))
      focusable(form.current)[i]?.focus();
  }, [key]);
  return {
    form,
    /** Notes the focused control, before the route (and so the form) changes. */
    remember() {
      index.current = focusable(form.current).indexOf(document.activeElement as HTMLElement);
    },
  };
}

export function Loading() {
  return (
    <p class="muted" aria-live="polite">
      {t('Loading…')}
    </p>
  );
}

/** A stage as a labelled badge (the label, not only the colour, tells it). */
export function StageBadge({ stage }: { stage: string }) {
  return <span class={`badge stage-${stage}`}>{stageLabel(stage)}</span>;
}

const STAGES_VI: Record<AnyStage, string> = {
  visitor: 'Khách truy cập',
  lead: 'Khách hàng tiềm năng',
  mql: 'MQL',
  sql: 'SQL',
  opportunity: 'Cơ hội bán hàng',
  customer: 'Khách hàng',
  repeat_customer: 'Khách hàng thường xuyên',
  disqualified: 'Bị loại',
  lost: 'Đã mất',
};

const CHANNELS_VI: Record<Channel, string> = {
  direct: 'Trực tiếp',
  organic_search: 'Tìm kiếm tự nhiên',
  paid_search: 'Tìm kiếm trả phí',
  organic_social: 'Mạng xã hội tự nhiên',
  paid_social: 'Mạng xã hội trả phí',
  email: 'Email',
  referral: 'Giới thiệu',
  display: 'Quảng cáo hiển thị',
  affiliate: 'Tiếp thị liên kết',
  other: 'Khác',
};

/** A stage's name in the dashboard's language (an unknown id as it is). */
export function stageLabel(stage: string): string {
  const labels = lang() === 'vi' ? STAGES_VI : STAGE_LABELS;
  return labels[stage as AnyStage] ?? stage;
}

/** A channel's name in the dashboard's language; `—` for none. */
export function channelLabel(c: string | null | undefined): string {
  const labels = lang() === 'vi' ? CHANNELS_VI : CHANNEL_LABELS;
  return c ? (labels[c as Channel] ?? c) : '—';
}

/** Where a URL points, for people: its path and query (the site is always the same); '' for none. */
export function pathOf(url: string | null | undefined): string {
  if (!url) return '';
  try {
    const u = new URL(url);
    return `${u.pathname}${u.search}`;
  } catch {
    return url;
  }
}

const formats = new Map<string, Intl.NumberFormat | Intl.DateTimeFormat>();

/** One formatter per language and options, made on first use (a timeline formats hundreds). */
function cachedFormat<F extends Intl.NumberFormat | Intl.DateTimeFormat>(
  make: (locale: string) => F,
  key: string,
): F {
  const k = `${locale()} ${key}`;
  let f = formats.get(k) as F | undefined;
  if (!f) {
    f = make(locale());
    formats.set(k, f);
  }
  return f;
}

/** A number formatter for the dashboard's language (`{ maximumFractionDigits: 1 }` and the like). */
export const numberFormat = (opts: Intl.NumberFormatOptions): Intl.NumberFormat =>
  cachedFormat((l) => new Intl.NumberFormat(l, opts), JSON.stringify(opts));

/** A moment for people, in the dashboard's language: `Nov 24, 2026, 1:02 PM`, `13:02 24 thg 11, 2026`. */
export function when(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  return Number.isNaN(d.getTime())
    ? '—'
    : cachedFormat(
        (l) => new Intl.DateTimeFormat(l, { dateStyle: 'medium', timeStyle: 'short' }),
        'when',
      ).format(d);
}

/** A number for people, in the dashboard's language: `1,234.5`, `1.234,5`. */
export const num = (n: number): string => numberFormat({}).format(n);

/**
 * A score or points for people, to the two decimals the API stores and filters on (`49.6`, not a
 * rounded `50` that `minScore=50` and the MQL threshold would not count).
 */
export const score = (n: number): string =>
  numberFormat({ maximumFractionDigits: 2 }).format(n || 0);

/**
 * A ratio as a percentage for people (`33.3%`, `33,3%`), or `—` when there is no data.
 *
 * @example percent(0.3333) // '33.3%'
 */
export function percent(r: number | null): string {
  return r === null
    ? '—'
    : numberFormat({ style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(
        r,
      );
}

/**
 * A duration for people in its largest unit: `45s`, `12m`, `5.5h`, `3.2d` (`3,2 ngày`), or `—`.
 *
 * @example duration(90_000) // '1.0d'
 */
export function duration(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return '—';
  const [unit, size] =
    seconds < 60
      ? (['second', 1] as const)
      : seconds < 3600
        ? (['minute', 60] as const)
        : seconds < 86_400
          ? (['hour', 3600] as const)
          : (['day', 86_400] as const);
  const digits = size >= 3600 ? 1 : 0;
  return numberFormat({
    style: 'unit',
    unit,
    unitDisplay: 'narrow',
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  }).format(seconds / size);
}

/**
 * An email (or a dotted id) that wraps where a reader expects on a narrow screen: after the `@`
 * and before a dot (`lan.bui461@` / `acme.com`), never mid-word.
 *
 * @example <Breakable text="lan.bui461@acme.com" />
 */
export function Breakable({ text }: { text: string }) {
  const parts = text.split(/(?<=@)|(?=\.)/);
  return (
    <>
      {parts.map((p, i) => (
        <Fragment key={i}>
          {i > 0 && <wbr />}
          {p}
        </Fragment>
      ))}
    </>
  );
}

export function Card({
  title,
  children,
  wide,
}: {
  title: string;
  children: ComponentChildren;
  wide?: boolean;
}) {
  return (
    <section class={wide ? 'card wide' : 'card'} aria-label={title}>
      <h2>{title}</h2>
      {children}
    </section>
  );
}

/**
 * The box a wide table scrolls in, on a phone. While it overflows it takes keyboard focus (a
 * keyboard user scrolls it with the arrow keys) and is a named region; when the table fits it
 * is a plain box, not one more tab stop.
 *
 * @example <TableWrap label="Leads" busy={loading}><table>…</table></TableWrap>
 */
export function TableWrap({
  label,
  busy,
  children,
}: {
  label: string;
  busy?: boolean;
  children: ComponentChildren;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const [scrolls, setScrolls] = useState(false);
  // Measured before the browser paints (then on every resize): no frame without the focus stop.
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const check = () => setScrolls(el.scrollWidth > el.clientWidth + 1);
    check();
    const ro = new ResizeObserver(check);
    ro.observe(el);
    if (el.firstElementChild) ro.observe(el.firstElementChild);
    return () => ro.disconnect();
  }, []);
  return (
    <div
      ref={ref}
      class="table-wrap"
      aria-busy={busy === undefined ? undefined : busy ? 'true' : 'false'}
      {...(scrolls
        ? { tabIndex: 0, role: 'region', 'aria-label': t('{label} (scrolls sideways)', { label }) }
        : {})}
    >
      {children}
    </div>
  );
}
