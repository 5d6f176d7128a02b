import type { RunRecord } from '../../functions/storage/RunRecord.ts';
import type { Formatter } from './createFormatter.ts';
import type { StoredRun } from './StoredRun.ts';
import { timelineModel, type TimelineModel } from './timelineModel.ts';
import { verdictBadge, type VerdictBadge } from './verdictBadge.ts';

/** A counter cell: its text, and whether it is a sign of trouble worth highlighting. */
export interface CounterCell {
  value: number;
  text: string;
  notable: boolean;
}

/** One table row: a page run as the panel shows it. Counters are this run's unless named `export*`. */
export interface RunRow {
  key: string;
  runId: string;
  sessionId: string;
  stream: string;
  executionId: string;
  startedText: string;
  durationText: string;
  verdict: VerdictBadge;
  pages: CounterCell;
  /** This run's items, and the export's total when it started: "3,000" and "of 25,000". */
  items: CounterCell;
  itemsOfText: string;
  /** Items exported by the whole export so far, against its total at start. */
  exportItemsText: string;
  runCalls: CounterCell;
  /** Calls of the whole export up to and including this run. */
  exportCalls: CounterCell;
  /** Optimal calls for the whole export (at the API's maximum page size), "—" when the total is unknown. */
  optimalCallsText: string;
  /** exportCalls / optimal, e.g. "1.36×"; null when there is no optimum. */
  callRatioText: string | null;
  tokenMissingMidRun: CounterCell;
  tokenExpiries: CounterCell;
  watermarkRestarts: CounterCell;
  rateLimitWait: CounterCell;
  retries: CounterCell;
  /** Events the run stored in the app's LogScale repository (sink logscale), and the ingest calls it had to repeat. */
  ingested: CounterCell;
  ingestRetries: CounterCell;
  duplicatesDropped: CounterCell;
  timeline: TimelineModel;
}

export function runRow(key: string, record: RunRecord, format: Formatter): RunRow {
  const h = record.health;
  const counter = (value: number): CounterCell => ({ value, text: format.count(value), notable: value > 0 });
  const ofText = h.totalAtStart === null ? '(total unknown)' : `of ${format.count(h.totalAtStart)}`;
  return {
    key,
    runId: record.run_id,
    sessionId: record.session_id,
    stream: record.stream || h.stream || 'unknown stream',
    executionId: record.execution_id,
    startedText: format.dateTime(record.started_at_ms),
    durationText: format.duration(Math.max(0, record.ended_at_ms - record.started_at_ms)),
    verdict: verdictBadge(record),
    pages: { ...counter(h.pages), notable: false },
    items: { ...counter(h.items), notable: false },
    itemsOfText: ofText,
    exportItemsText: `${format.count(h.exportItems)} ${ofText}`,
    runCalls: { ...counter(h.apiCalls), notable: false },
    exportCalls: {
      ...counter(h.exportApiCalls),
      notable: h.optimalCalls !== null && h.exportApiCalls > h.optimalCalls,
    },
    optimalCallsText: h.optimalCalls === null ? '—' : format.count(h.optimalCalls),
    callRatioText: format.ratio(h.exportApiCalls, h.optimalCalls),
    tokenMissingMidRun: counter(h.tokenMissingMidRun),
    tokenExpiries: counter(h.tokenExpiries),
    watermarkRestarts: counter(h.watermarkRestarts),
    rateLimitWait: { value: h.rateLimitWaitMs, text: format.duration(h.rateLimitWaitMs), notable: h.rateLimitWaitMs > 0 },
    retries: counter(h.retries),
    ingested: { ...counter(h.ingestedEvents), notable: false },
    ingestRetries: counter(h.ingestRetries),
    duplicatesDropped: counter(h.duplicatesDropped),
    timeline: timelineModel(h, format),
  };
}

export type RowOrder = 'oldest-first' | 'newest-first';

/**
 * Rows grouped by stream. An execution's panel reads an export top to bottom (oldest first); the runs
 * page shows what happened last at the top (newest first).
 */
export function runRows(entries: ReadonlyArray<StoredRun>, format: Formatter, order: RowOrder): RunRow[] {
  const direction = order === 'oldest-first' ? 1 : -1;
  return [...entries]
    .sort(
      (a, b) =>
        a.record.stream.localeCompare(b.record.stream) ||
        direction * (a.record.started_at_ms - b.record.started_at_ms) ||
        direction * a.key.localeCompare(b.key),
    )
    .map(({ key, record }) => runRow(key, record, format));
}
