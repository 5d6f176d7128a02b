import { fqlQuote } from '../../functions/engine/fql.ts';
import { isStreamName, type StreamName } from '../../functions/falcon/streams.ts';
import type { RunRecord, VerdictKind } from '../../functions/storage/RunRecord.ts';

export type TimeRange = 'last-hour' | 'last-24h' | 'last-7d' | 'last-30d' | 'all';

export const TIME_RANGES: ReadonlyArray<{ value: TimeRange; label: string; ms: number | null }> = [
  { value: 'last-hour', label: 'Last hour', ms: 3_600_000 },
  { value: 'last-24h', label: 'Last 24 hours', ms: 86_400_000 },
  { value: 'last-7d', label: 'Last 7 days', ms: 7 * 86_400_000 },
  { value: 'last-30d', label: 'Last 30 days', ms: 30 * 86_400_000 },
  { value: 'all', label: 'All recorded runs', ms: null },
];

export const VERDICT_KINDS: ReadonlyArray<{ value: VerdictKind; label: string }> = [
  { value: 'complete', label: 'complete' },
  { value: 'has_more', label: 'has_more (stopped early, continues)' },
  { value: 'failed', label: 'failed' },
];

export interface RunFilters {
  stream: StreamName | 'all';
  verdictKind: VerdictKind | 'all';
  timeRange: TimeRange;
}

export const DEFAULT_FILTERS: RunFilters = { stream: 'all', verdictKind: 'all', timeRange: 'last-7d' };

/** Reads the filter form; anything unexpected falls back to the default rather than reaching the query. */
export function parseFilters(values: { stream?: string | null; verdictKind?: string | null; timeRange?: string | null }): RunFilters {
  const stream = values.stream && isStreamName(values.stream) ? values.stream : 'all';
  const verdictKind = VERDICT_KINDS.find((v) => v.value === values.verdictKind)?.value ?? 'all';
  const timeRange = TIME_RANGES.find((t) => t.value === values.timeRange)?.value ?? DEFAULT_FILTERS.timeRange;
  return { stream, verdictKind, timeRange };
}

/**
 * The collection search filter. foundry-js's README says collection search is exact match, not full FQL,
 * so only `field:'value'` terms on indexed fields (collections/pagination_runs.json) are sent, joined with
 * `+`; the time range is applied to the records read, see `withinTimeRange`.
 */
export function searchFilter(filters: RunFilters): string {
  const terms: string[] = [];
  if (filters.stream !== 'all') terms.push(`stream:${fqlQuote(filters.stream)}`);
  if (filters.verdictKind !== 'all') terms.push(`verdict_kind:${fqlQuote(filters.verdictKind)}`);
  return terms.join('+');
}

export function executionFilter(executionId: string): string {
  return `execution_id:${fqlQuote(executionId)}`;
}

/** Earliest start time the range admits, or null for no bound. */
export function rangeStartMs(range: TimeRange, nowMs: number): number | null {
  const span = TIME_RANGES.find((t) => t.value === range)?.ms ?? null;
  return span === null ? null : nowMs - span;
}

export function withinTimeRange(record: Pick<RunRecord, 'started_at_ms' | 'ended_at_ms'>, range: TimeRange, nowMs: number): boolean {
  const start = rangeStartMs(range, nowMs);
  // A run that began before the window but ended inside it still belongs to the window.
  return start === null || record.ended_at_ms >= start;
}
