import type { Locale } from '../../app/errors.js';
import { addDays } from '../../app/dates.js';
import { formatOre } from '../../app/money.js';

// A bar chart drawn on the server as SVG: no script, no external assets, allowed by the
// Content-Security-Policy (presentation attributes only, no inline styles). The caller
// shows the same figures as a table for screen readers and text browsers.

export type Bucketing = 'month' | 'week';
export type Bucket = { key: string; startsOn: string; endsOn: string; amountOre: number };

/** The Monday of the ISO week `date` falls in. */
export function mondayOf(date: string): string {
  const day = new Date(`${date}T00:00:00Z`).getUTCDay(); // 0 = Sunday
  return addDays(date, -((day + 6) % 7));
}

function monthEnd(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const next = m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, '0')}-01`;
  return addDays(next, -1);
}

/**
 * Sums daily amounts into months or weeks covering `from`–`to` (widened to any day with
 * money outside it), empty periods included, so the bars add up to the daily total.
 */
export function bucketize(
  days: { date: string; amountOre: number }[],
  opts: { by: Bucketing; from: string; to: string },
): Bucket[] {
  const dates = days.map((d) => d.date).sort();
  const first = dates[0] && dates[0] < opts.from ? dates[0] : opts.from;
  const lastDay = dates[dates.length - 1];
  const last = lastDay && lastDay > opts.to ? lastDay : opts.to;
  const buckets: Bucket[] = [];
  if (opts.by === 'month') {
    let start = `${first.slice(0, 7)}-01`;
    while (start <= last) {
      const endsOn = monthEnd(start.slice(0, 7));
      buckets.push({ key: start.slice(0, 7), startsOn: start, endsOn, amountOre: 0 });
      start = addDays(endsOn, 1);
    }
  } else {
    let start = mondayOf(first);
    while (start <= last) {
      buckets.push({ key: start, startsOn: start, endsOn: addDays(start, 6), amountOre: 0 });
      start = addDays(start, 7);
    }
  }
  for (const d of days) {
    const b = buckets.find((x) => x.startsOn <= d.date && d.date <= x.endsOn);
    if (b) b.amountOre += d.amountOre;
  }
  return buckets;
}

/** "jan. 2026" for a month, "5. jan. 2026" for the week starting that day; `short` fits under a bar. */
export function bucketLabel(
  b: Bucket,
  by: Bucketing,
  locale: Locale,
): { label: string; short: string } {
  const lang = locale === 'nb' ? 'nb-NO' : 'en-GB';
  const at = new Date(`${b.startsOn}T00:00:00Z`);
  const long = new Intl.DateTimeFormat(lang, {
    timeZone: 'UTC',
    ...(by === 'month' ? {} : { day: 'numeric' as const }),
    month: 'short',
    year: 'numeric',
  }).format(at);
  const short = new Intl.DateTimeFormat(lang, {
    timeZone: 'UTC',
    ...(by === 'month'
      ? { month: 'short' as const }
      : { day: 'numeric' as const, month: 'numeric' as const }),
  }).format(at);
  return { label: long, short };
}

const W = 720;
const H = 280;
const M = { top: 16, right: 12, bottom: 48, left: 84 };

export function BarChart(props: {
  id: string;
  title: string;
  description: string;
  bars: { label: string; short: string; amountOre: number }[];
  locale: Locale;
}) {
  const { bars, locale, id } = props;
  const plotW = W - M.left - M.right;
  const plotH = H - M.top - M.bottom;
  const max = Math.max(0, ...bars.map((b) => b.amountOre));
  const min = Math.min(0, ...bars.map((b) => b.amountOre));
  const span = max - min || 1;
  const y = (v: number) => M.top + ((max - v) / span) * plotH;
  const slot = plotW / Math.max(1, bars.length);
  const barW = Math.max(1, slot * 0.7);
  const labelEvery = Math.max(1, Math.ceil(bars.length / 12));
  const kr = (ore: number) => `kr ${formatOre(ore, locale)}`;
  const ticks = [...new Set([max, min, 0])];
  return (
    <svg
      id={id}
      class="chart"
      role="img"
      aria-labelledby={`${id}-title ${id}-desc`}
      viewBox={`0 0 ${W} ${H}`}
      width="100%"
      preserveAspectRatio="xMidYMid meet"
    >
      <title id={`${id}-title`}>{props.title}</title>
      <desc id={`${id}-desc`}>{props.description}</desc>
      <g font-size="12" fill="#4a5460">
        {ticks.map((v) => (
          <g>
            <line x1={M.left} x2={W - M.right} y1={y(v)} y2={y(v)} stroke="#cfd4da" />
            <text x={M.left - 6} y={y(v) + 4} text-anchor="end">
              {kr(v)}
            </text>
          </g>
        ))}
      </g>
      {bars.map((b, i) => {
        const x = M.left + i * slot + (slot - barW) / 2;
        const top = y(Math.max(0, b.amountOre));
        const height = Math.abs(y(b.amountOre) - y(0));
        return (
          <g>
            <rect
              x={x.toFixed(1)}
              y={top.toFixed(1)}
              width={barW.toFixed(1)}
              height={height.toFixed(1)}
              fill={b.amountOre < 0 ? '#a4161a' : '#1d5c4d'}
            >
              <title>{`${b.label}: ${kr(b.amountOre)}`}</title>
            </rect>
            {i % labelEvery === 0 ? (
              <text
                x={(x + barW / 2).toFixed(1)}
                y={H - M.bottom + 16}
                text-anchor="middle"
                font-size="11"
                fill="#4a5460"
              >
                {b.short}
              </text>
            ) : null}
          </g>
        );
      })}
      <line
        x1={M.left}
        x2={M.left}
        y1={M.top}
        y2={H - M.bottom}
        stroke="#4a5460"
        aria-hidden="true"
      />
    </svg>
  );
}
