import { EVENT_TONE_LABELS, type EventTone } from '../eventStyles.ts';
import { h, svg } from './h.ts';
import { markerShape } from './renderTimeline.ts';

/** Explains the timeline shapes and the columns whose scope (run or whole export) is easy to misread. */
export function renderLegend(): HTMLElement {
  const tones = Object.keys(EVENT_TONE_LABELS) as EventTone[];
  return h(
    'footer',
    { class: 'legend' },
    h('h2', { class: 'legend__title' }, 'How to read this'),
    h(
      'ul',
      { class: 'legend__tones' },
      ...tones.map((tone) =>
        h(
          'li',
          {},
          svg('svg', { class: `legend__swatch marker marker--${tone}`, viewBox: '0 0 12 12', width: 12, height: 12, 'aria-hidden': 'true' }, markerShape(tone, 6, 6)),
          EVENT_TONE_LABELS[tone],
        ),
      ),
    ),
    h(
      'ul',
      { class: 'legend__notes' },
      h('li', {}, 'Pages, items, API calls this run, the token and restart counts, the rate-limit wait and retries count this run only.'),
      h('li', {}, 'Ingested to LogScale: events the run stored in the app\'s LogScale repository (sink logscale; 0 when its records went back in the response). Ingest retries: ingest calls repeated after a 5xx, 429, 413, timeout or reset; a repeated call may store events twice, which the saved search "Pagination Guard export records" removes.'),
      h('li', {}, 'Export API calls so far add up every run of the same export (session) up to this one; optimal is the fewest calls the whole export could take at the API\'s largest page size.'),
      h('li', {}, 'Items of total at start can pass 100% when records are created while the export runs; those are exported once, never twice.'),
      h('li', {}, 'Timeline: the run from start to end; a short tick on the axis for each page read, and each named event at its offset.'),
    ),
  );
}
