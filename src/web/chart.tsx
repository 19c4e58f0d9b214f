// Charts drawn on the server as SVG (no script, no client build): bars or a line over periods, named by <title> and
// described by <desc>, with the same figures in a table beside them for screen readers and for a reader who wants
// the numbers. The SVG scales to its box (a viewBox, no fixed width), so a phone never scrolls sideways for it.
import type { Lang } from "./i18n.ts";
import { formatNumber } from "./format.ts";

export interface ChartPoint {
  /** The period's label under its bar or point ("T3/2026"). */
  label: string;
  /** null: nothing to show for this period (no bar, a gap in the line). */
  value: number | null;
}

export interface ChartProps {
  id: string;
  lang: Lang;
  title: string;
  /** What the chart shows, in a sentence (read by screen readers). */
  description: string;
  points: ChartPoint[];
  kind?: "bar" | "line";
  /** `percent`: values are ratios 0–1 shown as per cent, the axis from 0 to 100%. */
  unit?: "count" | "percent";
  /** The header of the value column of the table. */
  valueHeader: string;
  periodHeader: string;
}

const W = 640;
const H = 240;
const PAD = { left: 48, right: 12, top: 12, bottom: 36 };

/** A value as the chart's table shows it: `85,5%` or `1.234`, `—` for none. */
export function chartValue(value: number | null, unit: "count" | "percent", lang: Lang): string {
  if (value === null) return "—";
  return unit === "percent" ? `${formatNumber(Math.round(value * 1000) / 10, lang)}%` : formatNumber(value, lang);
}

/** A round top of the axis at or above `max` (1, 2, 5 × 10ⁿ). */
export function niceMax(max: number): number {
  if (max <= 0) return 1;
  const e = 10 ** Math.floor(Math.log10(max));
  return ([1, 2, 5, 10].find((m) => m * e >= max) ?? 10) * e;
}

/** The geometry of the chart: each point's x, its bar's or dot's y (null for none), the axis' top value. */
export function layout(points: ChartPoint[], unit: "count" | "percent") {
  const top = unit === "percent" ? 1 : niceMax(Math.max(0, ...points.map((p) => p.value ?? 0)));
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const step = points.length ? plotW / points.length : plotW;
  const y = (v: number) => PAD.top + plotH - (Math.min(Math.max(v, 0), top) / top) * plotH;
  return {
    top,
    step,
    base: PAD.top + plotH,
    items: points.map((p, i) => ({ ...p, x: PAD.left + step * i + step / 2, y: p.value === null ? null : y(p.value) })),
    y,
  };
}

export function Chart({ id, lang, title, description, points, kind = "bar", unit = "count", valueHeader, periodHeader }: ChartProps) {
  const g = layout(points, unit);
  const ticks = [0, 0.5, 1].map((f) => g.top * f);
  const barW = Math.max(2, g.step * 0.6);
  // Only some labels when there are many, so they do not overlap (the table has every one).
  const every = Math.ceil(points.length / 6);
  const segments: string[] = [];
  let run: string[] = [];
  for (const p of g.items) {
    if (p.y === null) {
      if (run.length) segments.push(run.join(" "));
      run = [];
    } else run.push(`${run.length ? "L" : "M"}${p.x.toFixed(1)},${p.y.toFixed(1)}`);
  }
  if (run.length) segments.push(run.join(" "));
  return (
    <figure class="chart" id={id}>
      <svg viewBox={`0 0 ${W} ${H}`} width="100%" role="img" aria-labelledby={`${id}-title ${id}-desc`} focusable="false">
        <title id={`${id}-title`}>{title}</title>
        <desc id={`${id}-desc`}>{description}</desc>
        {ticks.map((t) => (
          <g key={t}>
            <line x1={PAD.left} x2={W - PAD.right} y1={g.y(t)} y2={g.y(t)} stroke="#c9c9c9" stroke-width="1" />
            <text x={PAD.left - 6} y={g.y(t) + 4} text-anchor="end" font-size="12" fill="#333">
              {chartValue(t, unit, lang)}
            </text>
          </g>
        ))}
        {kind === "bar"
          ? g.items.map((p, i) =>
              p.y === null ? null : (
                <rect key={i} class="chart__bar" x={(p.x - barW / 2).toFixed(1)} y={p.y.toFixed(1)} width={barW.toFixed(1)} height={(g.base - p.y).toFixed(1)} fill="#1d5fa8">
                  <title>{`${p.label}: ${chartValue(p.value, unit, lang)}`}</title>
                </rect>
              ),
            )
          : segments.map((d, i) => <path key={i} class="chart__line" d={d} fill="none" stroke="#1d5fa8" stroke-width="3" />)}
        {kind === "line"
          ? g.items.map((p, i) =>
              p.y === null ? null : (
                <circle key={i} cx={p.x.toFixed(1)} cy={p.y.toFixed(1)} r="4" fill="#1d5fa8">
                  <title>{`${p.label}: ${chartValue(p.value, unit, lang)}`}</title>
                </circle>
              ),
            )
          : null}
        {g.items.map((p, i) =>
          i % every === 0 ? (
            <text key={i} x={p.x.toFixed(1)} y={H - PAD.bottom + 18} text-anchor="middle" font-size="12" fill="#333">
              {p.label}
            </text>
          ) : null,
        )}
      </svg>
      <figcaption>
        <details>
          <summary>{lang === "en" ? "The figures as a table" : "Số liệu dạng bảng"}</summary>
          <div class="table-scroll" role="region" aria-label={title} tabindex={0}>
            <table>
              <thead>
                <tr>
                  <th scope="col">{periodHeader}</th>
                  <th scope="col">{valueHeader}</th>
                </tr>
              </thead>
              <tbody>
                {points.map((p) => (
                  <tr key={p.label}>
                    <th scope="row">{p.label}</th>
                    <td>{chartValue(p.value, unit, lang)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </details>
      </figcaption>
    </figure>
  );
}
