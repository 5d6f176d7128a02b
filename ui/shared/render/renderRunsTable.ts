import type { CounterCell, RunRow } from '../runRow.ts';
import { h } from './h.ts';
import { renderTimeline } from './renderTimeline.ts';
import { renderVerdictBadge } from './renderVerdictBadge.ts';

export interface RunsTableOptions {
  caption: string;
  /** The runs page mixes executions; the execution panel does not need the column. */
  showExecution: boolean;
}

/** Column header, and the name of the data cell a test or a stylesheet can find it by. */
const COUNTER_COLUMNS: ReadonlyArray<{ header: string; field: keyof RunRow & string; pick: (row: RunRow) => CounterCell }> = [
  { header: 'Token missing mid-run', field: 'tokenMissingMidRun', pick: (r) => r.tokenMissingMidRun },
  { header: 'Token expiries', field: 'tokenExpiries', pick: (r) => r.tokenExpiries },
  { header: 'Watermark restarts', field: 'watermarkRestarts', pick: (r) => r.watermarkRestarts },
  { header: 'Rate-limit wait', field: 'rateLimitWait', pick: (r) => r.rateLimitWait },
  { header: 'Retries', field: 'retries', pick: (r) => r.retries },
  { header: 'Ingested to LogScale', field: 'ingested', pick: (r) => r.ingested },
  { header: 'Ingest retries', field: 'ingestRetries', pick: (r) => r.ingestRetries },
];

export function renderRunsTable(rows: readonly RunRow[], options: RunsTableOptions): HTMLElement {
  const table = h(
    'table',
    { class: 'runs' },
    h('caption', {}, options.caption),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        th('Run'),
        th('Verdict'),
        th('Pages', 'num'),
        th('Items this run, of total at start', 'num'),
        th('API calls this run', 'num'),
        th('Export API calls so far vs optimal', 'num'),
        ...COUNTER_COLUMNS.map((c) => th(c.header, 'num')),
        th('Timeline'),
      ),
    ),
    h('tbody', {}, ...rows.map((row) => renderRow(row, options))),
  );
  // The region is focusable so a keyboard user can scroll a table wider than the panel.
  return h('div', { class: 'table-scroll', role: 'region', 'aria-label': options.caption, tabindex: 0 }, table);
}

function th(text: string, kind?: 'num'): HTMLTableCellElement {
  return h('th', { scope: 'col', class: kind === 'num' ? 'num' : undefined }, text);
}

function renderRow(row: RunRow, options: RunsTableOptions): HTMLTableRowElement {
  return h(
    'tr',
    { 'data-run-key': row.key, 'data-verdict': row.verdict.kind, class: `run run--${row.verdict.kind}` },
    h(
      'th',
      { scope: 'row', class: 'run__id' },
      h('span', { class: 'run__name' }, row.runId),
      h('span', { class: 'run__meta' }, `session ${row.sessionId}`),
      options.showExecution ? h('span', { class: 'run__meta' }, row.executionId ? `execution ${row.executionId}` : 'run from the CLI') : null,
      h('span', { class: 'run__meta' }, h('time', {}, row.startedText)),
      h('span', { class: 'run__meta' }, `took ${row.durationText}`),
    ),
    h(
      'td',
      { 'data-field': 'verdict' },
      renderVerdictBadge(row.verdict),
      row.verdict.kind === 'failed' && row.verdict.message ? h('p', { class: 'run__error' }, row.verdict.message) : null,
    ),
    numberCell('pages', row.pages.text),
    h('td', { class: 'num', 'data-field': 'items' }, row.items.text, ' ', h('span', { class: 'run__meta' }, row.itemsOfText)),
    numberCell('runCalls', row.runCalls.text),
    h(
      'td',
      { class: 'num', 'data-field': 'exportCalls' },
      h('span', { class: row.exportCalls.notable ? 'over-optimal' : undefined, 'data-value': 'exportCalls' }, row.exportCalls.text),
      ' vs ',
      h('span', { 'data-value': 'optimalCalls' }, row.optimalCallsText),
      row.callRatioText ? h('span', { class: 'run__meta' }, row.callRatioText) : null,
    ),
    ...COUNTER_COLUMNS.map((c) => numberCell(c.field, c.pick(row).text, c.pick(row).notable)),
    h('td', { 'data-field': 'timeline' }, renderTimeline(row.timeline)),
  );
}

function numberCell(field: string, text: string, notable = false): HTMLTableCellElement {
  return h('td', { class: notable ? 'num notable' : 'num', 'data-field': field }, text);
}
