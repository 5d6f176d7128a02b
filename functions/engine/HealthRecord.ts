import type { StreamName } from '../falcon/streams.ts';
import { appendTimeline } from './core/appendTimeline.ts';

/** Named events of a run. Token absence is its own event, apart from HTTP errors. */
export type HealthEventKind =
  | 'run_started'
  | 'resumed'
  /** A page was read; the UI draws pages as ticks on the run's time axis. */
  | 'page'
  | 'token_missing_mid_run'
  | 'token_expired'
  | 'cursor_refused'
  /** The cursor kept advancing while its pages brought nothing new: the chain restarts from the watermark. */
  | 'cursor_barren'
  /** An `after` page came back empty while its cursor went on: the chain restarts from the watermark. */
  | 'empty_page_mid_chain'
  | 'cursor_abandoned_for_wait'
  | 'watermark_restart'
  | 'depth_cap_rewindow'
  | 'depth_cap_hit'
  | 'window_shifted'
  | 'marker_fallback'
  | 'next_page_refused'
  | 'rate_limited'
  | 'slow_down'
  | 'auth_refresh'
  | 'retry'
  | 'errors_in_200'
  | 'non_json_body'
  | 'hydrate_split'
  | 'page_truncated_to_budget'
  | 'stopped_deadline'
  | 'stopped_max_pages'
  | 'stopped_byte_budget'
  | 'stopped_rate_limit_wait'
  /** A sink call for a page's records was retried (5xx, 429, timeout, reset, a 413 that split the batch). */
  | 'ingest_retry'
  /** The export's upper bound was set from the server's clock: later records belong to the next export. */
  | 'export_bounded'
  /** An entities call left out ids the list call returned, without reporting them deleted. */
  | 'entities_missing'
  /** `total` changed between pages of one chain: it is evidence, not truth, so the end must be proven. */
  | 'total_changed'
  /** The cursor's end signal was not backed by the data; a fresh query from the watermark settles it. */
  | 'end_unproven'
  /** A projected field appeared in none of the run's records: a typo, most likely. */
  | 'fields_absent'
  /** A record came back behind records it sorts after. */
  | 'out_of_order'
  | 'complete'
  | 'failed';

export interface HealthEvent {
  atMs: number;
  kind: HealthEventKind;
  detail: string;
}

export type Verdict = 'complete' | 'has_more' | `failed:${string}`;

/** One page run, as the UI draws it and the CLI prints it. Counters are for this run unless named `export*`. */
export interface HealthRecord {
  /** null only when the input named no known stream. */
  stream: StreamName | null;
  runId: string;
  sessionId: string;
  startedAtMs: number;
  endedAtMs: number | null;
  verdict: Verdict | null;
  pages: number;
  items: number;
  totalAtStart: number | null;
  duplicatesDropped: number;
  apiCalls: number;
  retries: number;
  rateLimitWaitMs: number;
  tokenMissingMidRun: number;
  tokenExpiries: number;
  watermarkRestarts: number;
  depthCapRewindows: number;
  authRefreshes: number;
  errorsIn200: number;
  /** Calls to the run's sink (LogScale ingest), retries among them, events and bytes it acknowledged; 0 when the records went into the response. */
  ingestCalls: number;
  ingestRetries: number;
  ingestedEvents: number;
  ingestBytes: number;
  /** Whole export so far (all runs of this session). */
  exportItems: number;
  exportApiCalls: number;
  optimalCalls: number | null;
  timeline: HealthEvent[];
  timelineDropped: number;
}

export const TIMELINE_LIMIT = 200;

export function appendEvent(health: HealthRecord, event: HealthEvent): HealthRecord {
  return { ...health, ...appendTimeline(health, event, TIMELINE_LIMIT) };
}

/** Who a health record is about and what it starts from; every counter of this run starts at 0. */
export type HealthIdentity = Pick<
  HealthRecord,
  'stream' | 'runId' | 'sessionId' | 'startedAtMs' | 'endedAtMs' | 'verdict' | 'totalAtStart' | 'exportItems' | 'exportApiCalls' | 'optimalCalls'
>;

export function newHealthRecord(id: HealthIdentity): HealthRecord {
  return {
    stream: id.stream,
    runId: id.runId,
    sessionId: id.sessionId,
    startedAtMs: id.startedAtMs,
    endedAtMs: id.endedAtMs,
    verdict: id.verdict,
    pages: 0,
    items: 0,
    totalAtStart: id.totalAtStart,
    duplicatesDropped: 0,
    apiCalls: 0,
    retries: 0,
    rateLimitWaitMs: 0,
    tokenMissingMidRun: 0,
    tokenExpiries: 0,
    watermarkRestarts: 0,
    depthCapRewindows: 0,
    authRefreshes: 0,
    errorsIn200: 0,
    ingestCalls: 0,
    ingestRetries: 0,
    ingestedEvents: 0,
    ingestBytes: 0,
    exportItems: id.exportItems,
    exportApiCalls: id.exportApiCalls,
    optimalCalls: id.optimalCalls,
    timeline: [],
    timelineDropped: 0,
  };
}
