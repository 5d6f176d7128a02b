import type { Formatter } from '../createFormatter.ts';
import { describeRejectedRuns } from '../describeLoadProblem.ts';
import type { RejectedRun } from '../RunStore.ts';
import { runRows, type RowOrder } from '../runRow.ts';
import type { StoredRun } from '../StoredRun.ts';
import { streamTrends } from '../streamTrend.ts';
import { h } from './h.ts';
import { renderLegend } from './renderLegend.ts';
import { renderNotice } from './renderNotice.ts';
import { renderStreamSection } from './renderStreamSection.ts';

export interface RunsViewOptions {
  format: Formatter;
  order: RowOrder;
  showExecution: boolean;
  scope: string;
  collection: string;
  empty: { title: string; lines: string[] };
  /** Set when the search stopped before the last matching run. */
  truncatedText: string | null;
}

export interface RunsView {
  /** `error` when every run found was unreadable. */
  state: 'ready' | 'empty' | 'error';
  element: HTMLElement;
}

/** Everything below the header once runs are loaded: warnings, one section per stream, the legend. */
export function renderRunsView(runs: readonly StoredRun[], rejected: readonly RejectedRun[], options: RunsViewOptions): RunsView {
  const notices: HTMLElement[] = [];
  if (rejected.length > 0) {
    const message = describeRejectedRuns(rejected, options.collection);
    notices.push(renderNotice(runs.length === 0 ? 'error' : 'warning', message.title, message.lines));
  }
  if (options.truncatedText) notices.push(renderNotice('info', options.truncatedText));
  if (runs.length === 0) {
    if (rejected.length === 0) notices.push(renderNotice('empty', options.empty.title, options.empty.lines));
    return { state: rejected.length > 0 ? 'error' : 'empty', element: h('div', { class: 'runs-view' }, ...notices) };
  }
  const rows = runRows(runs, options.format, options.order);
  const sections = streamTrends(runs, options.format).map((trend) =>
    renderStreamSection(
      trend,
      rows.filter((row) => row.stream === trend.stream),
      { showExecution: options.showExecution, scope: options.scope },
    ),
  );
  return { state: 'ready', element: h('div', { class: 'runs-view' }, ...notices, ...sections, renderLegend()) };
}
