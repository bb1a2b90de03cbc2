/** Small shared pieces: load states, page headings and focus, stage and channel labels, counts, dates. */
import type { ComponentChildren } from 'preact';
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { CHANNEL_LABELS, STAGE_LABELS } from '../../shared/funnel.ts';
import type { ApiError } from './api.ts';

export function Problem({ error }: { error: ApiError }) {
  // Only a missing route means an older collector; `lead-not-found` and the like are answers.
  const routeMissing = error.status === 404 && (!error.type || error.type.endsWith('/not-found'));
  const hint = routeMissing
    ? ' (this collector does not serve this part of the API yet)'
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

/** Names the browser tab after the page: `Leads · Touchpoint`. */
export function useDocumentTitle(title: string): void {
  useEffect(() => {
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
  useEffect(() => {
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

/** A count with its noun: `1 lead`, `25 leads`, `2 MQLs`. */
export function count(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

export function Loading() {
  return (
    <p class="muted" aria-live="polite">
      Loading…
    </p>
  );
}

/** A stage as a labelled badge (the label, not only the colour, tells it). */
export function StageBadge({ stage }: { stage: string }) {
  return (
    <span class={`badge stage-${stage}`}>
      {STAGE_LABELS[stage as keyof typeof STAGE_LABELS] ?? stage}
    </span>
  );
}

export function channelLabel(c: string | null | undefined): string {
  return c ? (CHANNEL_LABELS[c as keyof typeof CHANNEL_LABELS] ?? c) : '—';
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

const dateFmt = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
export function when(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? '—' : dateFmt.format(d);
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
        ? { tabIndex: 0, role: 'region', 'aria-label': `${label} (scrolls sideways)` }
        : {})}
    >
      {children}
    </div>
  );
}
