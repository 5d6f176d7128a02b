import '../../../shared/styles.css';
import type FalconApi from '@crowdstrike/foundry-js';
import { RUNS_COLLECTION } from '../../../../functions/storage/RunRecord.ts';
import { collectionPort } from '../../../shared/connectToConsole.ts';
import { connectPanel } from '../../../shared/render/connectPanel.ts';
import { createFormatter } from '../../../shared/createFormatter.ts';
import { describeLoadProblem } from '../../../shared/describeLoadProblem.ts';
import { executionIdFrom } from '../../../shared/executionIdFrom.ts';
import { h } from '../../../shared/render/h.ts';
import { renderNotice } from '../../../shared/render/renderNotice.ts';
import { renderRunsView } from '../../../shared/render/renderRunsView.ts';
import { Panel } from '../../../shared/render/Panel.ts';
import { executionFilter } from '../../../shared/runFilters.ts';
import { RunStore } from '../../../shared/RunStore.ts';

/** An execution's export loop rarely takes more than a few dozen runs; past this the panel says it stopped. */
const MAX_RUNS = 500;

const root = document.getElementById('app');
if (root) void start(new Panel(root, 'Pagination health'));

async function start(panel: Panel): Promise<void> {
  const falcon = await connectPanel(
    panel,
    'This panel runs inside the Falcon console, on a Fusion SOAR workflow execution. Open it from there, or reload the execution page.',
  );
  if (falcon === null) return;
  const store = new RunStore(collectionPort(falcon, RUNS_COLLECTION));
  let generation = 0;
  let shown = '';
  const refresh = async (force: boolean): Promise<void> => {
    // The console sends data updates for theme switches too; foundry-js restyles those by itself, so the
    // runs are read again only when what the panel shows depends on the change.
    const context = JSON.stringify([executionIdFrom(falcon.data), falcon.data?.locale, falcon.data?.timezone]);
    if (!force && context === shown) return;
    shown = context;
    // A data update can arrive while a load runs; only the newest load may paint.
    const mine = ++generation;
    await show(panel, falcon, store, () => mine === generation);
  };
  const reload = h('button', { type: 'button', class: 'button button--quiet' }, 'Reload runs');
  reload.addEventListener('click', () => void refresh(true));
  panel.setControls(reload);
  falcon.events.on('data', () => void refresh(false));
  await refresh(true);
}

async function show(panel: Panel, falcon: FalconApi, store: RunStore, current: () => boolean): Promise<void> {
  const data = falcon.data;
  const format = createFormatter({ locale: data?.locale, timeZone: data?.timezone });
  const lookup = executionIdFrom(data);
  if (lookup.kind === 'absent') {
    panel.setContext('No workflow execution selected');
    panel.show(
      'error',
      renderNotice('error', 'The console did not tell this panel which workflow execution it shows.', [
        `Looked for ${lookup.looked.join(', ')}.`,
        'Open the panel from a Fusion SOAR workflow execution (Workflows › Executions › an execution). If it still appears, the console passes the execution id under another name: report the console version.',
      ]),
    );
    return;
  }
  const executionId = lookup.executionId;
  panel.setContext('Page runs of workflow execution ', h('code', {}, executionId));
  panel.show('loading', renderNotice('loading', `Loading the page runs of execution ${executionId} from ${RUNS_COLLECTION}…`));
  const load = await store.load({ filter: executionFilter(executionId), sort: 'started_at_ms.asc', pageSize: 100, maxRuns: MAX_RUNS });
  if (!current()) return;
  if (load.kind === 'failed') {
    const message = describeLoadProblem(load.problem, RUNS_COLLECTION);
    panel.show('error', renderNotice('error', message.title, message.lines));
    return;
  }
  const streams = new Set(load.runs.map((r) => r.record.stream));
  panel.setContext(
    'Page runs of workflow execution ',
    h('code', {}, executionId),
    load.runs.length > 0 ? ` · ${format.count(load.runs.length)} run${load.runs.length === 1 ? '' : 's'} in ${streams.size} stream${streams.size === 1 ? '' : 's'}` : '',
  );
  const view = renderRunsView(load.runs, load.rejected, {
    format,
    order: 'oldest-first',
    showExecution: false,
    scope: 'in this execution',
    collection: RUNS_COLLECTION,
    empty: {
      title: 'No page runs are recorded for this execution yet.',
      lines: [
        'Each page-run step writes its run here when it finishes. If the workflow is still running, reload in a moment.',
        'If the workflow has finished, check that its page-run action has the pagination_runs collection enabled.',
      ],
    },
    truncatedText: load.truncated
      ? `Showing the first ${format.count(load.runs.length + load.rejected.length)} runs${load.matched !== null ? ` of ${format.count(load.matched)}` : ''}. Open the Pagination runs page for the rest.`
      : null,
  });
  panel.show(view.state, view.element);
}
