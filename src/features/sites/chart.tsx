// The visits-over-time chart, drawn on the server as SVG: pageviews as bars, visitors as a line, readable
// without JavaScript; optionally the previous period's pageviews as a dashed line over the same slots
// (bucket i of the previous period under bucket i of this one). Screen readers get a title and a one-sentence summary (<title>/<desc>), and the
// exact numbers in a visually hidden table right after it.
import type { SeriesPoint } from "./service";

const W = 640;
const H = 220;
const PAD = { top: 12, right: 8, bottom: 26, left: 44 };

const dayLabel = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", timeZone: "UTC" });
const hourLabel = (t: number) => `${String(new Date(t).getUTCHours()).padStart(2, "0")}:00`;
const fmt = new Intl.NumberFormat("en-US");

/** 1, 2, 5 × 10^n at or above `max`, so grid lines fall on round numbers. */
export function niceCeiling(max: number): number {
  if (max <= 0) return 1;
  const power = 10 ** Math.floor(Math.log10(max));
  for (const step of [1, 2, 5, 10]) if (step * power >= max) return step * power;
  return 10 * power;
}

function bucketLabel(t: number, bucket: "hour" | "day"): string {
  return bucket === "hour" ? hourLabel(t) : dayLabel.format(t);
}

export function VisitsChart(props: { series: SeriesPoint[]; previous?: SeriesPoint[]; bucket: "hour" | "day"; label: string }) {
  const { series, bucket, previous } = props;
  const unit = bucket === "hour" ? "hour" : "day";
  const top = niceCeiling(Math.max(1, ...series.map((p) => Math.max(p.pageviews, p.visitors)), ...(previous ?? []).map((p) => p.pageviews)));
  const innerW = W - PAD.left - PAD.right;
  const innerH = H - PAD.top - PAD.bottom;
  const slot = innerW / Math.max(1, series.length);
  const x = (i: number) => PAD.left + i * slot;
  const y = (v: number) => PAD.top + innerH - (v / top) * innerH;
  const totalViews = series.reduce((s, p) => s + p.pageviews, 0);
  const totalVisitors = series.reduce((s, p) => s + p.visitors, 0);
  const busiest = series.reduce<SeriesPoint | null>((best, p) => (p.pageviews > (best?.pageviews ?? 0) ? p : best), null);
  const summary =
    `${fmt.format(totalViews)} pageviews and ${fmt.format(totalVisitors)} visitors, ${props.label}.` +
    (busiest ? ` Busiest ${unit}: ${bucketLabel(busiest.t, bucket)} with ${fmt.format(busiest.pageviews)} pageviews.` : " Nothing was recorded.");
  // Every label would collide on 30 days or 24 hours: about 8 labels across.
  const labelEvery = Math.max(1, Math.ceil(series.length / 8));
  const line = series.map((p, i) => `${(x(i) + slot / 2).toFixed(1)},${y(p.visitors).toFixed(1)}`).join(" ");
  const previousLine = previous?.map((p, i) => `${(x(i) + slot / 2).toFixed(1)},${y(p.pageviews).toFixed(1)}`).join(" ");
  return (
    <figure class="visits-chart">
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-labelledby="chart-title chart-desc" class="chart">
        <title id="chart-title">{`Pageviews and visitors per ${unit}, ${props.label}`}</title>
        <desc id="chart-desc">{summary}</desc>
        {[0, 0.5, 1].map((f) => (
          <g class="chart-grid">
            <line x1={PAD.left} x2={W - PAD.right} y1={y(top * f)} y2={y(top * f)} />
            <text x={PAD.left - 6} y={y(top * f) + 4} text-anchor="end">
              {fmt.format(Math.round(top * f))}
            </text>
          </g>
        ))}
        {series.map((p, i) => {
          const h = Math.max(0, PAD.top + innerH - y(p.pageviews));
          return p.pageviews > 0 ? <rect class="chart-bar" x={x(i) + slot * 0.15} y={y(p.pageviews)} width={slot * 0.7} height={h} /> : null;
        })}
        {series.length > 1 && <polyline class="chart-line" points={line} fill="none" />}
        {previousLine && series.length > 1 && <polyline class="chart-line-previous" points={previousLine} fill="none" />}
        {series.map((p, i) =>
          i % labelEvery === 0 ? (
            <text class="chart-axis" x={x(i) + slot / 2} y={H - 8} text-anchor="middle">
              {bucketLabel(p.t, bucket)}
            </text>
          ) : null,
        )}
      </svg>
      <figcaption class="chart-legend" aria-hidden="true">
        <span class="legend-bar" /> Pageviews <span class="legend-line" /> Visitors
        {previous && (
          <>
            {" "}
            <span class="legend-line-previous" /> Pageviews, previous period
          </>
        )}
      </figcaption>
      <table class="visually-hidden">
        <caption>{`Pageviews and visitors per ${unit}, ${props.label}`}</caption>
        <thead>
          <tr>
            <th scope="col">{unit === "hour" ? "Hour (UTC)" : "Day"}</th>
            <th scope="col">Pageviews</th>
            <th scope="col">Visitors</th>
            {previous && <th scope="col">Pageviews, previous period</th>}
          </tr>
        </thead>
        <tbody>
          {series.map((p, i) => (
            <tr>
              <th scope="row">{bucketLabel(p.t, bucket)}</th>
              <td>{p.pageviews}</td>
              <td>{p.visitors}</td>
              {previous && <td>{previous[i]?.pageviews ?? 0}</td>}
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
