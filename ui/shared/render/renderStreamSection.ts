import type { CounterCell, RunRow } from '../runRow.ts';
import type { StreamTrend } from '../streamTrend.ts';
import { h } from './h.ts';
import { renderRunsTable } from './renderRunsTable.ts';
import { renderTrendCharts } from './renderTrendCharts.ts';
import { renderVerdictBadge } from './renderVerdictBadge.ts';

export interface StreamSectionOptions {
  showExecution: boolean;
  /** Says which runs the table holds, e.g. "in this execution" or "in the last 7 days". */
  scope: string;
}

export function renderStreamSection(trend: StreamTrend, rows: readonly RunRow[], options: StreamSectionOptions): HTMLElement {
  const headingId = `stream-${trend.stream.replace(/[^A-Za-z0-9_-]/g, '_')}`;
  const latest = trend.latest;
  return h(
    'section',
    { class: 'stream', 'aria-labelledby': headingId, 'data-stream': trend.stream },
    h(
      'header',
      { class: 'stream__header' },
      h('h2', { id: headingId }, trend.stream),
      renderVerdictBadge(latest.verdict),
      h('span', { class: 'stream__when' }, `latest run started ${latest.startedText}`),
    ),
    h(
      'div',
      { class: 'stream__overview' },
      h(
        'dl',
        { class: 'stats' },
        stat('Export items (latest run)', latest.exportItemsText, 'exportItems'),
        stat(
          'Export API calls vs optimal',
          `${latest.exportCallsText} vs ${latest.optimalCallsText}${latest.callRatioText ? ` (${latest.callRatioText})` : ''}`,
          'exportCalls',
        ),
        counterStat('Runs', trend.totals.runs, 'runs'),
        counterStat('Failed runs', trend.totals.failedRuns, 'failedRuns'),
        counterStat('Token missing mid-run', trend.totals.tokenMissingMidRun, 'tokenMissingMidRun'),
        counterStat('Token expiries', trend.totals.tokenExpiries, 'tokenExpiries'),
        counterStat('Watermark restarts', trend.totals.watermarkRestarts, 'watermarkRestarts'),
        counterStat('Rate-limit wait', trend.totals.rateLimitWait, 'rateLimitWait'),
        counterStat('Retries', trend.totals.retries, 'retries'),
      ),
      renderTrendCharts(trend),
    ),
    renderRunsTable(rows, {
      caption: `${trend.stream}: ${rows.length} run${rows.length === 1 ? '' : 's'} ${options.scope}`,
      showExecution: options.showExecution,
    }),
  );
}

function stat(term: string, value: string, field: string, notable = false): HTMLElement {
  return h('div', { class: notable ? 'stat notable' : 'stat', 'data-stat': field }, h('dt', {}, term), h('dd', {}, value));
}

function counterStat(term: string, cell: CounterCell, field: string): HTMLElement {
  return stat(term, cell.text, field, cell.notable);
}
