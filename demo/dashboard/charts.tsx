/**
 * SVG bar charts that read without colour: every bar carries its value as text, and each series
 * has its own fill pattern (solid, hatched, dotted, cross-hatched) shown in the legend. A screen
 * reader gets the same figures from a visually hidden table (the SVG is one image to it).
 */
import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import { messages } from './i18n.ts';
import { num } from './ui.tsx';

const t = messages({ Note: 'Ghi chú', Legend: 'Chú giải' });

export interface Series {
  key: string;
  label: string;
}

export interface BarGroup {
  label: string;
  /** One value per series, in series order; `text` replaces the number shown after the bar. */
  values: { value: number; text?: string }[];
  /** Extra text after the group label (a conversion rate, a median time). */
  note?: string;
}

const PATTERNS = ['solid', 'hatch', 'dots', 'cross'] as const;

let canvas: CanvasRenderingContext2D | null | undefined;

/**
 * How wide `text` is drawn at `size` px (`bold`: as a group label), measured on one shared
 * canvas in the page's font: an SVG lays out no text, so the chart wraps its labels and leaves
 * room for its values itself. Without a canvas, an average glyph width.
 */
function textWidth(text: string, size: number, bold = false): number {
  if (canvas === undefined) canvas = document.createElement('canvas').getContext('2d');
  if (!canvas) return text.length * size * 0.6;
  const family = getComputedStyle(document.documentElement).fontFamily;
  canvas.font = `${bold ? 600 : 400} ${size}px ${family}`;
  return canvas.measureText(text).width;
}

/** `text` in lines no wider than `width`: between words, or inside a word wider than a line. */
function wrap(text: string, width: number, size: number, bold = false): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const next = line ? `${line} ${word}` : word;
    if (textWidth(next, size, bold) <= width) {
      line = next;
      continue;
    }
    if (line) lines.push(line);
    line = word;
    // A word alone too wide (a long form id): cut where it reaches the edge.
    while (textWidth(line, size, bold) > width && line.length > 1) {
      let cut = line.length - 1;
      while (cut > 1 && textWidth(line.slice(0, cut), size, bold) > width) cut--;
      lines.push(line.slice(0, cut));
      line = line.slice(cut);
    }
  }
  if (line) lines.push(line);
  return lines.length ? lines : [''];
}

/** A group's heading lines: label and note on one line when they fit, else each wrapped. */
function headLines(g: BarGroup, width: number): { label?: string; note?: string }[] {
  const noteWidth = g.note ? textWidth(`  ${g.note}`, 13) : 0;
  if (textWidth(g.label, 13, true) + noteWidth <= width) return [{ label: g.label, note: g.note }];
  return [
    ...wrap(g.label, width, 13, true).map((label) => ({ label })),
    ...(g.note ? wrap(g.note, width, 13).map((note) => ({ note })) : []),
  ];
}

/**
 * Width of an element, kept up to date, so text in the SVG stays at its real size. Measured
 * before the first paint, so a phone never shows (or scrolls sideways to) the fallback width.
 */
function useWidth<T extends Element>(fallback: number) {
  const ref = useRef<T>(null);
  const [width, setWidth] = useState(fallback);
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const fit = (w: number) => setWidth(Math.max(240, Math.floor(w)));
    fit(el.clientWidth);
    const ro = new ResizeObserver(([entry]) => {
      if (entry) fit(entry.contentRect.width);
    });
    ro.observe(el);
    return () => ro.disconnect();
  }, []);
  return [ref, width] as const;
}

function Defs({ id }: { id: string }) {
  return (
    <defs>
      <pattern
        id={`${id}-hatch`}
        width="6"
        height="6"
        patternUnits="userSpaceOnUse"
        patternTransform="rotate(45)"
      >
        <rect width="6" height="6" class="fill-2" />
        <line x1="0" y1="0" x2="0" y2="6" class="ink" stroke-width="2.5" />
      </pattern>
      <pattern id={`${id}-dots`} width="5" height="5" patternUnits="userSpaceOnUse">
        <rect width="5" height="5" class="fill-3" />
        <circle cx="2.5" cy="2.5" r="1.3" class="ink-fill" />
      </pattern>
      <pattern id={`${id}-cross`} width="6" height="6" patternUnits="userSpaceOnUse">
        <rect width="6" height="6" class="fill-4" />
        <path d="M0 0L6 6M6 0L0 6" class="ink" stroke-width="1.2" />
      </pattern>
    </defs>
  );
}

const fillOf = (id: string, i: number) => {
  const p = PATTERNS[i % PATTERNS.length]!;
  return p === 'solid' ? undefined : `url(#${id}-${p})`;
};

let uid = 0;

/** The chart's figures for screen readers: a row per group, a column per series, then the note. */
function DataTable({
  title,
  series,
  groups,
  noteLabel,
}: {
  title: string;
  series: Series[];
  groups: BarGroup[];
  noteLabel: string;
}) {
  const notes = groups.some((g) => g.note);
  return (
    <div class="sr-only">
      <table>
        <caption>{title}</caption>
        <thead>
          <tr>
            <td />
            {series.map((s) => (
              <th key={s.key} scope="col">
                {s.label}
              </th>
            ))}
            {notes && <th scope="col">{noteLabel}</th>}
          </tr>
        </thead>
        <tbody>
          {groups.map((g) => (
            <tr key={g.label}>
              <th scope="row">{g.label}</th>
              {g.values.map((v, si) => (
                <td key={series[si]?.key ?? si}>{v.text ?? num(v.value)}</td>
              ))}
              {notes && <td>{g.note ?? ''}</td>}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/**
 * Horizontal grouped bars: a label line per group, then one bar per series, and the same figures
 * in a hidden table unless `table={false}` (when the page shows them in a table of its own).
 *
 * @example <BarChart title="Funnel" series={[{ key: 'entered', label: 'Entered' }]} groups={…} />
 */
export function BarChart({
  title,
  series,
  groups,
  noteLabel = t('Note'),
  table = true,
}: {
  title: string;
  series: Series[];
  groups: BarGroup[];
  /** The hidden table's heading for the groups' notes. */
  noteLabel?: string;
  table?: boolean;
}) {
  const [ref, width] = useWidth<HTMLDivElement>(640);
  const [id] = useState(() => `chart${++uid}`);
  const max = Math.max(1, ...groups.flatMap((g) => g.values.map((v) => v.value)));
  const bar = 16;
  const gap = 4;
  const lineH = 17;
  const barsH = series.length * (bar + gap) + 10;
  // Room after the longest bar for the widest value text, so no value runs out of the card.
  const texts = groups.flatMap((g) => g.values.map((v) => v.text ?? num(v.value)));
  const valueRoom = Math.ceil(Math.max(0, ...texts.map((x) => textWidth(x, 12)))) + 12;
  const scale = (v: number) => (Math.max(0, width - valueRoom) * v) / max;
  // Each group's heading wraps to the width, so groups differ in height.
  const laid = groups.map((g) => ({ g, lines: headLines(g, width) }));
  const tops = [0];
  for (const { lines } of laid) tops.push((tops.at(-1) ?? 0) + lines.length * lineH + 3 + barsH);
  const height = (tops.at(-1) ?? 0) + 4;
  return (
    <figure class="chart" ref={ref}>
      {series.length > 1 && (
        <ul class="legend" aria-label={t('Legend')}>
          {series.map((s, i) => (
            <li key={s.key}>
              <svg width="18" height="12" aria-hidden="true">
                <Defs id={`${id}-l${i}`} />
                <rect width="18" height="12" class={`bar s${i}`} fill={fillOf(`${id}-l${i}`, i)} />
              </svg>
              {s.label}
            </li>
          ))}
        </ul>
      )}
      <svg
        width={width}
        height={height}
        viewBox={`0 0 ${width} ${height}`}
        role="img"
        aria-label={title}
      >
        <title>{title}</title>
        <Defs id={id} />
        {laid.map(({ g, lines }, gi) => {
          const labelH = lines.length * lineH + 3;
          return (
            <g key={g.label} transform={`translate(0 ${tops[gi] ?? 0})`}>
              <text x="0" y="14" class="glabel">
                {lines.map((l, li) => (
                  <tspan key={`${li}:${l.label ?? ''}:${l.note ?? ''}`} x="0" dy={li ? lineH : 0}>
                    {l.label}
                    {l.note && <tspan class="gnote">{l.label ? `  ${l.note}` : l.note}</tspan>}
                  </tspan>
                ))}
              </text>
              {g.values.map((v, si) => {
                const y = labelH + si * (bar + gap);
                const w = Math.max(v.value > 0 ? 2 : 0, scale(v.value));
                return (
                  <g key={series[si]?.key ?? si}>
                    <rect
                      x="0"
                      y={y}
                      width={w}
                      height={bar}
                      rx="2"
                      class={`bar s${si}`}
                      fill={fillOf(id, si)}
                    />
                    <text x={w + 6} y={y + bar - 3} class="value">
                      {v.text ?? num(v.value)}
                    </text>
                  </g>
                );
              })}
            </g>
          );
        })}
      </svg>
      {table && <DataTable title={title} series={series} groups={groups} noteLabel={noteLabel} />}
    </figure>
  );
}
