import '../../../shared/styles.css';
import type FalconApi from '@crowdstrike/foundry-js';
import { RUNS_COLLECTION } from '../../../../functions/storage/RunRecord.ts';
import { collectionPort } from '../../../shared/connectToConsole.ts';
import { connectPanel } from '../../../shared/render/connectPanel.ts';
import { createFormatter } from '../../../shared/createFormatter.ts';
import { describeLoadProblem } from '../../../shared/describeLoadProblem.ts';
import { renderNotice } from '../../../shared/render/renderNotice.ts';
import { renderRunsView } from '../../../shared/render/renderRunsView.ts';
import { Panel } from '../../../shared/render/Panel.ts';
import { DEFAULT_FILTERS, searchFilter, TIME_RANGES, withinTimeRange, type RunFilters } from '../../../shared/runFilters.ts';
import { RunStore } from '../../../shared/RunStore.ts';
import { renderFilterForm } from './renderFilterForm.ts';

/** The most recent runs the page reads per query; every run is one collection read. */
const MAX_RUNS = 200;

const root = document.getElementById('app');
if (root) void start(new Panel(root, 'Pagination runs'));

async function start(panel: Panel): Promise<void> {
  panel.setContext('Recent page runs per stream, from the pagination_runs collection');
  const falcon = await connectPanel(
    panel,
    'Open this page from the Pagination Guard app in the Falcon console (Foundry › App manager), or reload it there.',
  );
  if (falcon === null) return;
  const store = new RunStore(collectionPort(falcon, RUNS_COLLECTION));
  let generation = 0;
  let filters = DEFAULT_FILTERS;
  let shown = '';
  const refresh = async (force: boolean): Promise<void> => {
    // Theme switches arrive as data updates too and need no new reads: foundry-js restyles the page.
    const context = JSON.stringify([falcon.data?.locale, falcon.data?.timezone]);
    if (!force && context === shown) return;
    shown = context;
    // Only the newest load may paint, whatever order the answers come back in.
    const mine = ++generation;
    await show(panel, falcon, store, filters, () => mine === generation);
  };
  panel.setControls(
    renderFilterForm(filters, (chosen) => {
      filters = chosen;
      void refresh(true);
    }),
  );
  falcon.events.on('data', () => void refresh(false));
  await refresh(true);
}

async function show(panel: Panel, falcon: FalconApi, store: RunStore, filters: RunFilters, current: () => boolean): Promise<void> {
  const format = createFormatter({ locale: falcon.data?.locale, timeZone: falcon.data?.timezone });
  const rangeLabel = (TIME_RANGES.find((t) => t.value === filters.timeRange)?.label ?? '').toLowerCase();
  panel.show('loading', renderNotice('loading', `Loading page runs (${describeFilters(filters, rangeLabel)})…`));
  const load = await store.load({ filter: searchFilter(filters), sort: 'started_at_ms.desc', pageSize: 100, maxRuns: MAX_RUNS });
  if (!current()) return;
  if (load.kind === 'failed') {
    const message = describeLoadProblem(load.problem, RUNS_COLLECTION);
    panel.show('error', renderNotice('error', message.title, message.lines));
    return;
  }
  // The collection search matches exact values only, so the time range applies to the runs read.
  const nowMs = Date.now();
  const runs = load.runs.filter(({ record }) => withinTimeRange(record, filters.timeRange, nowMs));
  const oldestLoaded = load.runs.reduce((min, { record }) => Math.min(min, record.ended_at_ms), Number.POSITIVE_INFINITY);
  const rangeCutOff = load.truncated && load.runs.length > 0 && withinTimeRange({ started_at_ms: oldestLoaded, ended_at_ms: oldestLoaded }, filters.timeRange, nowMs);
  const view = renderRunsView(runs, load.rejected, {
    format,
    order: 'newest-first',
    showExecution: true,
    scope: filters.timeRange === 'all' ? 'recorded' : `in the ${rangeLabel}`,
    collection: RUNS_COLLECTION,
    empty: {
      title: `No page runs match ${describeFilters(filters, rangeLabel)}.`,
      lines: [
        'Widen the time range or choose All streams and Any verdict, then press Show runs.',
        'Runs are recorded when a workflow\'s page-run step finishes; run an export workflow to see its runs here.',
      ],
    },
    truncatedText: rangeCutOff
      ? `Showing the ${format.count(load.runs.length)} most recent matching runs${load.matched !== null ? ` of ${format.count(load.matched)}` : ''}; older runs in this time range are not read. Narrow the filters to see them.`
      : null,
  });
  panel.show(view.state, view.element);
}

function describeFilters(filters: RunFilters, rangeLabel: string): string {
  const stream = filters.stream === 'all' ? 'all streams' : `stream ${filters.stream}`;
  const verdict = filters.verdictKind === 'all' ? 'any verdict' : `verdict ${filters.verdictKind}`;
  return `${stream}, ${verdict}, ${rangeLabel}`;
}
