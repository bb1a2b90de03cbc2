/** Small shared pieces: load states, stage and channel labels, dates. */
import type { ComponentChildren } from 'preact';
import { CHANNEL_LABELS, STAGE_LABELS } from '../../shared/funnel.ts';
import type { ApiError } from './api.ts';

export function Problem({ error }: { error: ApiError }) {
  const hint =
    error.status === 404
      ? ' (this collector does not serve this part of the API yet)'
      : error.status === 0
        ? ''
        : ` (HTTP ${error.status})`;
  return (
    <p class="problem" role="alert">
      {error.message}
      {hint}
    </p>
  );
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
