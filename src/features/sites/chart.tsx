// The visits-over-time chart, drawn on the server as SVG: pageviews as bars, visitors as a line, readable
// without JavaScript; optionally the previous period's pageviews as a dashed line over the same slots
// (bucket i of the previous period under bucket i of this one). Screen readers get a title and a one-sentence summary (<title>/<desc>), and the
// exact numbers in a visually hidden table right after it.
import { formatNumber, intlTag, t } from "../../i18n";
import type { SeriesPoint } from "./service";

const W = 640;
const H = 220;
const PAD = { top: 12, right: 8, bottom: 26, left: 44 };

/**
 * Buckets are labelled in the site's zone, where they start on a local midnight or hour; days carry the year
 * when the series spans two (local) years, so "1 May" never appears twice.
 */
const dayLabel = (t: number, timeZone: string, withYear = false) =>
  new Intl.DateTimeFormat(intlTag(), { day: "numeric", month: "short", year: withYear ? "numeric" : undefined, timeZone }).format(t);
const localYear = (t: number, timeZone: string) => new Intl.DateTimeFormat(intlTag(), { year: "numeric", timeZone }).format(t);
const hourLabel = (t: number, timeZone: string) =>
  new Intl.DateTimeFormat(intlTag(), { hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone }).format(t);
/** Numbers in the reader's notation. */
const fmt = { format: (n: number) => formatNumber(n) };

/** 1, 2, 5 × 10^n at or above `max`, so grid lines fall on round numbers. */
export function niceCeiling(max: number): number {
  if (max <= 0) return 1;
  const power = 10 ** Math.floor(Math.log10(max));
  for (const step of [1, 2, 5, 10]) if (step * power >= max) return step * power;
  return 10 * power;
}

/**
 * Grid values from 0 to `top` (a niceCeiling): the smallest 1, 2 or 5 × 10^n step that divides `top` into at
 * most 5 parts, so labels are distinct whole numbers ("0, 1" for an empty period, never "0, 1, 1").
 */
export function axisTicks(top: number): number[] {
  let step = top; // any other top (not from niceCeiling): just 0 and top
  for (let power = 1; power <= top; power *= 10) {
    const found = [1, 2, 5].map((m) => m * power).find((s) => top % s === 0 && top / s <= 5);
    if (found) {
      step = found;
      break;
    }
  }
  return Array.from({ length: top / step + 1 }, (_, i) => i * step);
}

export function VisitsChart(props: { series: SeriesPoint[]; previous?: SeriesPoint[]; bucket: "hour" | "day"; label: string; timeZone: string }) {
  const { series, bucket, previous, timeZone } = props;
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
  const first = series[0];
  const last = series[series.length - 1];
  const withYear = !!first && !!last && localYear(first.t, timeZone) !== localYear(last.t, timeZone);
  const label = (t: number) => (bucket === "hour" ? hourLabel(t, timeZone) : dayLabel(t, timeZone, withYear));
  const summary =
    t("sites.chart.summary", { pageviews: totalViews, visitors: totalVisitors, period: props.label }) +
    (busiest
      ? t(unit === "hour" ? "sites.chart.busiestHour" : "sites.chart.busiestDay", { when: label(busiest.t), pageviews: busiest.pageviews })
      : t("sites.chart.nothing"));
  const title = t(unit === "hour" ? "sites.chart.titleHour" : "sites.chart.titleDay", { period: props.label });
  // Every label would collide on 30 days or 24 hours: about 8 labels across.
  const labelEvery = Math.max(1, Math.ceil(series.length / 8));
  const line = series.map((p, i) => `${(x(i) + slot / 2).toFixed(1)},${y(p.visitors).toFixed(1)}`).join(" ");
  const previousLine = previous?.map((p, i) => `${(x(i) + slot / 2).toFixed(1)},${y(p.pageviews).toFixed(1)}`).join(" ");
  return (
    <figure class="visits-chart">
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-labelledby="chart-title chart-desc" class="chart">
        <title id="chart-title">{title}</title>
        <desc id="chart-desc">{summary}</desc>
        {axisTicks(top).map((v) => (
          <g class="chart-grid">
            <line x1={PAD.left} x2={W - PAD.right} y1={y(v)} y2={y(v)} />
            <text x={PAD.left - 6} y={y(v) + 4} text-anchor="end">
              {fmt.format(v)}
            </text>
          </g>
        ))}
        {series.map((p, i) => {
          const h = Math.max(0, PAD.top + innerH - y(p.pageviews));
          // A title per bar: hovering (or a screen reader's object navigation) tells its numbers.
          return p.pageviews > 0 ? (
            <rect class="chart-bar" x={x(i) + slot * 0.15} y={y(p.pageviews)} width={slot * 0.7} height={h}>
              <title>{t("sites.chart.bar", { when: label(p.t), pageviews: p.pageviews, visitors: p.visitors })}</title>
            </rect>
          ) : null;
        })}
        {series.length > 1 && <polyline class="chart-line" points={line} fill="none" />}
        {previousLine && series.length > 1 && <polyline class="chart-line-previous" points={previousLine} fill="none" />}
        {series.map((p, i) =>
          i % labelEvery === 0 ? (
            <text class="chart-axis" x={x(i) + slot / 2} y={H - 8} text-anchor="middle">
              {label(p.t)}
            </text>
          ) : null,
        )}
      </svg>
      <figcaption class="chart-legend" aria-hidden="true">
        <span class="legend-bar" /> {t("sites.col.pageviews")} <span class="legend-line" /> {t("sites.col.visitors")}
        {previous && (
          <>
            {" "}
            <span class="legend-line-previous" /> {t("sites.chart.previous")}
          </>
        )}
      </figcaption>
      {/* A table ignores width: 1px and overflow: hidden, so the hiding is on a wrapper: it never widens the page. */}
      <div class="visually-hidden">
        <table>
          <caption>{title}</caption>
          <thead>
            <tr>
              <th scope="col">{unit === "hour" ? t("sites.chart.hourIn", { zone: timeZone }) : t("sites.bounce.day")}</th>
              <th scope="col">{t("sites.col.pageviews")}</th>
              <th scope="col">{t("sites.col.visitors")}</th>
              {previous && <th scope="col">{t("sites.chart.previous")}</th>}
            </tr>
          </thead>
          <tbody>
            {series.map((p, i) => (
              <tr>
                <th scope="row">{label(p.t)}</th>
                <td>{p.pageviews}</td>
                <td>{p.visitors}</td>
                {previous && <td>{previous[i]?.pageviews ?? 0}</td>}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </figure>
  );
}
