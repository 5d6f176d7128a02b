import type { RunRecord, VerdictKind } from '../../functions/storage/RunRecord.ts';
import type { Formatter } from './createFormatter.ts';
import type { CounterCell } from './runRow.ts';
import type { StoredRun } from './StoredRun.ts';
import { verdictBadge, type VerdictBadge } from './verdictBadge.ts';

export interface TrendPoint {
  key: string;
  /** The export the run belongs to: the completeness line restarts with each export. */
  sessionId: string;
  /** Items the export had after this run, over its total at start; null when the total is unknown. May exceed 1 when records were created during the export. */
  completeness: number | null;
  completenessText: string;
  /** API calls of this run alone. */
  calls: number;
  verdictKind: VerdictKind;
  /** Tooltip and screen-reader text of the point. */
  label: string;
}

export interface StreamTrend {
  stream: string;
  /** Runs of the stream in the input; the chart shows at most the last `points.length`. */
  runCount: number;
  points: TrendPoint[];
  maxCalls: number;
  latest: {
    verdict: VerdictBadge;
    startedText: string;
    exportItemsText: string;
    exportCallsText: string;
    optimalCallsText: string;
    callRatioText: string | null;
  };
  /** Sums over all runs of the stream in the input. */
  totals: {
    runs: CounterCell;
    failedRuns: CounterCell;
    tokenMissingMidRun: CounterCell;
    tokenExpiries: CounterCell;
    watermarkRestarts: CounterCell;
    retries: CounterCell;
    rateLimitWait: CounterCell;
  };
  summary: string;
}

export const TREND_POINTS = 30;

/** One trend per stream, streams in name order, each stream's runs oldest first. */
export function streamTrends(entries: ReadonlyArray<StoredRun>, format: Formatter): StreamTrend[] {
  const byStream = new Map<string, StoredRun[]>();
  for (const entry of entries) {
    const stream = entry.record.stream || entry.record.health.stream || 'unknown stream';
    byStream.set(stream, [...(byStream.get(stream) ?? []), entry]);
  }
  return [...byStream.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([stream, runs]) => streamTrend(stream, runs, format));
}

function streamTrend(stream: string, runs: StoredRun[], format: Formatter): StreamTrend {
  const ordered = [...runs].sort((a, b) => a.record.started_at_ms - b.record.started_at_ms || a.key.localeCompare(b.key));
  const latest = ordered[ordered.length - 1] as StoredRun;
  const points = ordered.slice(-TREND_POINTS).map(({ key, record }) => trendPoint(key, record, format));
  const sum = (pick: (r: RunRecord) => number): number => ordered.reduce((total, { record }) => total + pick(record), 0);
  const counter = (value: number): CounterCell => ({ value, text: format.count(value), notable: value > 0 });
  const waitMs = sum((r) => r.health.rateLimitWaitMs);
  const h = latest.record.health;
  const exportItemsText =
    h.totalAtStart === null ? `${format.count(h.exportItems)} (total unknown)` : `${format.count(h.exportItems)} of ${format.count(h.totalAtStart)}`;
  const failedRuns = ordered.filter(({ record }) => record.verdict_kind === 'failed').length;
  const shown = points.length < ordered.length ? `the last ${points.length} of ${ordered.length} runs` : `${ordered.length} run${ordered.length === 1 ? '' : 's'}`;
  const lastPoint = points[points.length - 1] as TrendPoint;
  return {
    stream,
    runCount: ordered.length,
    points,
    maxCalls: Math.max(1, ...points.map((p) => p.calls)),
    latest: {
      verdict: verdictBadge(latest.record),
      startedText: format.dateTime(latest.record.started_at_ms),
      exportItemsText,
      exportCallsText: format.count(h.exportApiCalls),
      optimalCallsText: h.optimalCalls === null ? '—' : format.count(h.optimalCalls),
      callRatioText: format.ratio(h.exportApiCalls, h.optimalCalls),
    },
    totals: {
      runs: { ...counter(ordered.length), notable: false },
      failedRuns: counter(failedRuns),
      tokenMissingMidRun: counter(sum((r) => r.health.tokenMissingMidRun)),
      tokenExpiries: counter(sum((r) => r.health.tokenExpiries)),
      watermarkRestarts: counter(sum((r) => r.health.watermarkRestarts)),
      retries: counter(sum((r) => r.health.retries)),
      rateLimitWait: { value: waitMs, text: format.duration(waitMs), notable: waitMs > 0 },
    },
    summary:
      `${stream}: ${shown}. Latest run ${verdictBadge(latest.record).text}, export completeness ${lastPoint.completenessText}, ` +
      `${format.count(points.reduce((t, p) => t + p.calls, 0))} API calls in the runs shown.`,
  };
}

function trendPoint(key: string, record: RunRecord, format: Formatter): TrendPoint {
  const h = record.health;
  // An export of nothing is complete by definition; an unknown total (the run failed before the first page) is not.
  const completeness = h.totalAtStart === null ? null : h.totalAtStart === 0 ? 1 : h.exportItems / h.totalAtStart;
  const completenessText = completeness === null ? 'unknown' : format.percent(completeness);
  return {
    key,
    sessionId: record.session_id,
    completeness,
    completenessText,
    calls: h.apiCalls,
    verdictKind: record.verdict_kind,
    label: `${record.run_id} (${record.session_id}), ${format.dateTime(record.started_at_ms)}: ${verdictBadge(record).text}, export ${completenessText} of total at start, ${format.count(h.apiCalls)} API call${h.apiCalls === 1 ? '' : 's'} in this run`,
  };
}
