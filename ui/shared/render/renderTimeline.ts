import type { EventTone } from '../eventStyles.ts';
import type { TimelineMarker, TimelineModel } from '../timelineModel.ts';
import { h, px, svg } from './h.ts';

const WIDTH = 200;
const PAD_X = 8;
const LANE_HEIGHT = 12;
const TOP = 16;
const MARKER_R = 4.5;

/**
 * The run as a horizontal span from its start to its end: a tick on the axis for every page read, and
 * every other named event as a marker at its real offset.
 */
export function renderTimeline(model: TimelineModel): HTMLElement {
  const trackY = TOP + model.lanes * LANE_HEIGHT + 2;
  const height = trackY + 16;
  const x = (position: number): number => PAD_X + position * (WIDTH - 2 * PAD_X);
  const picture = svg(
    'svg',
    {
      class: 'timeline__svg',
      viewBox: `0 0 ${WIDTH} ${height}`,
      width: WIDTH,
      height,
      role: 'img',
      'aria-label': model.summary,
    },
    svg('text', { class: 'timeline__caption', x: PAD_X, y: 10 }, `${model.pages} page${model.pages === 1 ? '' : 's'} in ${model.durationText}`),
    svg('line', { class: 'timeline__track', x1: PAD_X, x2: WIDTH - PAD_X, y1: trackY, y2: trackY }),
    svg('line', { class: 'timeline__tick', x1: PAD_X, x2: PAD_X, y1: trackY - 4, y2: trackY + 4 }),
    svg('line', { class: 'timeline__tick', x1: WIDTH - PAD_X, x2: WIDTH - PAD_X, y1: trackY - 4, y2: trackY + 4 }),
    ...model.pageTicks.map((tick) =>
      svg(
        'line',
        { class: 'timeline__page', x1: px(x(tick.position)), x2: px(x(tick.position)), y1: trackY - 3, y2: trackY + 3 },
        svg('title', {}, `page at ${tick.offsetText}: ${tick.detail}`),
      ),
    ),
    svg('text', { class: 'timeline__axis', x: PAD_X, y: height - 2 }, '0'),
    svg('text', { class: 'timeline__axis', x: WIDTH - PAD_X, y: height - 2, 'text-anchor': 'end' }, model.durationText),
    ...model.markers.map((marker) => {
      const cx = x(marker.position);
      const cy = TOP + marker.lane * LANE_HEIGHT + LANE_HEIGHT / 2;
      return svg(
        'g',
        { class: `marker marker--${marker.tone}`, 'data-event-kind': marker.kind },
        svg('line', { class: 'marker__stem', x1: px(cx), x2: px(cx), y1: px(cy), y2: trackY }),
        markerShape(marker.tone, cx, cy),
        svg('title', {}, `${marker.label} at ${marker.offsetText}: ${marker.detail}`),
      );
    }),
  );
  const events = h(
    'details',
    { class: 'timeline__events' },
    h('summary', {}, `${model.markers.length} event${model.markers.length === 1 ? '' : 's'}${model.dropped > 0 ? ` (+${model.dropped} not kept)` : ''}`),
    h('ol', {}, ...model.markers.map((marker) => eventItem(marker))),
  );
  return h('div', { class: 'timeline' }, picture, events);
}

function eventItem(marker: TimelineMarker): HTMLElement {
  return h(
    'li',
    { class: `timeline__event timeline__event--${marker.tone}` },
    h('span', { class: 'timeline__offset' }, marker.offsetText),
    ' ',
    h('strong', {}, marker.label),
    marker.detail ? ` — ${marker.detail}` : '',
  );
}

/** A shape per family, so the timeline does not depend on telling colours apart. */
export function markerShape(tone: EventTone, cx: number, cy: number): SVGElement {
  const r = MARKER_R;
  switch (tone) {
    case 'lifecycle':
      return svg('circle', { class: 'marker__shape', cx: px(cx), cy: px(cy), r: px(r - 0.5) });
    case 'token':
      return svg('path', { class: 'marker__shape', d: `M${px(cx)} ${px(cy - r)}L${px(cx + r)} ${px(cy)}L${px(cx)} ${px(cy + r)}L${px(cx - r)} ${px(cy)}Z` });
    case 'restart':
      return svg('rect', { class: 'marker__shape', x: px(cx - r + 0.8), y: px(cy - r + 0.8), width: px(2 * r - 1.6), height: px(2 * r - 1.6) });
    case 'wait':
      return svg('path', { class: 'marker__shape', d: `M${px(cx)} ${px(cy - r)}L${px(cx + r)} ${px(cy + r)}L${px(cx - r)} ${px(cy + r)}Z` });
    case 'error':
      return svg('path', {
        class: 'marker__shape marker__shape--cross',
        d: `M${px(cx - r + 1)} ${px(cy - r + 1)}L${px(cx + r - 1)} ${px(cy + r - 1)}M${px(cx + r - 1)} ${px(cy - r + 1)}L${px(cx - r + 1)} ${px(cy + r - 1)}`,
      });
    case 'stop':
      return svg('rect', { class: 'marker__shape', x: px(cx - 1.5), y: px(cy - r), width: 3, height: px(2 * r) });
    case 'complete':
      return svg('path', { class: 'marker__shape marker__shape--check', d: `M${px(cx - r + 0.5)} ${px(cy)}L${px(cx - 1)} ${px(cy + r - 1)}L${px(cx + r)} ${px(cy - r + 0.5)}` });
  }
}
