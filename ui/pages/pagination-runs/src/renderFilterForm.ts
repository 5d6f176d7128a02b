import { STREAM_NAMES } from '../../../../functions/falcon/streams.ts';
import { h } from '../../../shared/render/h.ts';
import { parseFilters, TIME_RANGES, VERDICT_KINDS, type RunFilters } from '../../../shared/runFilters.ts';

/**
 * The page's filters: labelled selects and a button. Not a <form> that submits: the console's iframe
 * sandbox may lack `allow-forms`, and then Chromium blocks the submission before any submit event fires.
 * A button works with Enter and Space from the keyboard all the same.
 */
export function renderFilterForm(initial: RunFilters, onApply: (filters: RunFilters) => void): HTMLElement {
  const stream = select('filter-stream', 'stream', [{ value: 'all', label: 'All streams' }, ...STREAM_NAMES.map((s) => ({ value: s, label: s }))], initial.stream);
  const verdict = select('filter-verdict', 'verdictKind', [{ value: 'all', label: 'Any verdict' }, ...VERDICT_KINDS], initial.verdictKind);
  const range = select('filter-range', 'timeRange', TIME_RANGES, initial.timeRange);
  const apply = h('button', { type: 'button', class: 'button' }, 'Show runs');
  apply.addEventListener('click', () => onApply(parseFilters({ stream: stream.value, verdictKind: verdict.value, timeRange: range.value })));
  return h(
    'div',
    { class: 'filters', role: 'group', 'aria-label': 'Filter page runs' },
    field('filter-stream', 'Stream', stream),
    field('filter-verdict', 'Verdict', verdict),
    field('filter-range', 'Time range', range),
    apply,
  );
}

function field(id: string, label: string, control: HTMLSelectElement): HTMLElement {
  return h('div', { class: 'field' }, h('label', { for: id }, label), control);
}

function select(id: string, name: string, options: ReadonlyArray<{ value: string; label: string }>, selected: string): HTMLSelectElement {
  return h('select', { id, name }, ...options.map((o) => h('option', { value: o.value, selected: o.value === selected }, o.label)));
}
