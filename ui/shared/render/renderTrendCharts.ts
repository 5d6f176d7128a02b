import type { StreamTrend, TrendPoint } from '../streamTrend.ts';
import { h, px, svg } from './h.ts';

const WIDTH = 300;
const HEIGHT = 104;
const LEFT = 38;
const RIGHT = 8;
const TOP = 10;
const BOTTOM = 20;

/** Two small charts over the stream's recent runs: export completeness after each run, and calls per run. */
export function renderTrendCharts(trend: StreamTrend): HTMLElement {
  return h(
    'div',
    { class: 'charts' },
    figure('Export completeness after each run (% of total at start)', completenessChart(trend)),
    figure('API calls per run', callsChart(trend)),
  );
}

function figure(caption: string, chart: SVGElement): HTMLElement {
  return h('figure', { class: 'chart' }, chart, h('figcaption', {}, caption));
}

/** The centre of a run's slot: runs share the width evenly, so bars never sit on the axis labels. */
function slotX(index: number, count: number): number {
  const inner = WIDTH - LEFT - RIGHT;
  return LEFT + ((index + 0.5) / Math.max(1, count)) * inner;
}

function yFor(share: number): number {
  const inner = HEIGHT - TOP - BOTTOM;
  return TOP + (1 - Math.min(1, Math.max(0, share))) * inner;
}

function frame(trend: StreamTrend, label: string, gridShares: number[], gridLabels: string[]): SVGSVGElement {
  return svg(
    'svg',
    { class: 'chart__svg', viewBox: `0 0 ${WIDTH} ${HEIGHT}`, width: WIDTH, height: HEIGHT, role: 'img', 'aria-label': label },
    ...gridShares.map((share, i) =>
      svg(
        'g',
        { class: 'chart__grid' },
        svg('line', { x1: LEFT, x2: WIDTH - RIGHT, y1: px(yFor(share)), y2: px(yFor(share)) }),
        svg('text', { class: 'chart__axis', x: LEFT - 4, y: px(yFor(share) + 3.5), 'text-anchor': 'end' }, gridLabels[i] ?? ''),
      ),
    ),
    svg('text', { class: 'chart__axis', x: LEFT, y: HEIGHT - 4 }, 'oldest'),
    svg('text', { class: 'chart__axis', x: WIDTH - RIGHT, y: HEIGHT - 4, 'text-anchor': 'end' }, `latest (${trend.points.length} run${trend.points.length === 1 ? '' : 's'})`),
  );
}

function completenessChart(trend: StreamTrend): SVGSVGElement {
  const chart = frame(trend, `Export completeness. ${trend.summary}`, [0, 0.5, 1], ['0%', '50%', '100%']);
  const known = trend.points.map((p, i) => ({ p, i })).filter(({ p }) => p.completeness !== null);
  // Each export (session) climbs from its own start, so the line breaks where one export ends and the next begins.
  const d = known
    .map(({ p, i }, n) => {
      const move = n === 0 || known[n - 1]?.p.sessionId !== p.sessionId ? 'M' : 'L';
      return `${move}${px(slotX(i, trend.points.length))} ${px(yFor(p.completeness ?? 0))}`;
    })
    .join('');
  if (known.length > 1) chart.append(svg('path', { class: 'chart__line', d }));
  for (const { p, i } of known) {
    chart.append(
      svg(
        'circle',
        { class: `chart__point chart__point--${p.verdictKind}`, cx: px(slotX(i, trend.points.length)), cy: px(yFor(p.completeness ?? 0)), r: 3.5, 'data-run-key': p.key },
        svg('title', {}, p.label),
      ),
    );
  }
  for (const { p, i } of trend.points.map((point, index) => ({ p: point, i: index })).filter(({ p: point }) => point.completeness === null)) {
    chart.append(unknownPoint(p, slotX(i, trend.points.length)));
  }
  return chart;
}

function unknownPoint(point: TrendPoint, cx: number): SVGElement {
  return svg(
    'g',
    { class: `chart__unknown chart__point--${point.verdictKind}`, 'data-run-key': point.key },
    svg('text', { x: px(cx), y: px(yFor(0) - 4), 'text-anchor': 'middle' }, '?'),
    svg('title', {}, point.label),
  );
}

function callsChart(trend: StreamTrend): SVGSVGElement {
  const chart = frame(trend, `API calls per run, at most ${trend.maxCalls}. ${trend.summary}`, [0, 1], ['0', String(trend.maxCalls)]);
  const count = trend.points.length;
  const inner = WIDTH - LEFT - RIGHT;
  const barWidth = Math.max(2, Math.min(18, (inner / Math.max(1, count)) * 0.6));
  trend.points.forEach((p, i) => {
    const top = yFor(p.calls / trend.maxCalls);
    chart.append(
      svg(
        'rect',
        {
          class: `chart__bar chart__bar--${p.verdictKind}`,
          x: px(slotX(i, count) - barWidth / 2),
          y: px(top),
          width: px(barWidth),
          height: px(Math.max(p.calls > 0 ? 1 : 0, yFor(0) - top)),
          'data-run-key': p.key,
          'data-calls': p.calls,
        },
        svg('title', {}, p.label),
      ),
    );
  });
  return chart;
}
