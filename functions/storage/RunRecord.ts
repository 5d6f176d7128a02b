import type { RunResult } from '../engine/EngineCommand.ts';
import type { HealthRecord } from '../engine/HealthRecord.ts';

export const RUNS_COLLECTION = 'pagination_runs';

export type VerdictKind = 'complete' | 'has_more' | 'failed';

/**
 * One object of the `pagination_runs` collection: a page run's health plus the flat, indexed fields
 * that the UI and the workflows search on (collection search filters are exact-match on top-level fields).
 */
export interface RunRecord {
  run_id: string;
  session_id: string;
  stream: string;
  verdict: string;
  verdict_kind: VerdictKind;
  /** The failure's stable code, empty unless verdict_kind is "failed". */
  error_code: string;
  error_message: string;
  has_more: 'true' | 'false';
  started_at_ms: number;
  ended_at_ms: number;
  /** The Fusion execution that called the run, empty when the CLI ran it. */
  execution_id: string;
  health: HealthRecord;
}

export interface RunOrigin {
  executionId?: string;
}

export function toRunRecord(result: RunResult, origin: RunOrigin = {}): RunRecord {
  const health = result.health;
  const verdictKind: VerdictKind = result.verdict === 'complete' ? 'complete' : result.verdict === 'has_more' ? 'has_more' : 'failed';
  return {
    run_id: health.runId,
    session_id: health.sessionId,
    stream: health.stream ?? '',
    verdict: result.verdict,
    verdict_kind: verdictKind,
    error_code: result.error?.code ?? '',
    error_message: result.error?.message ?? '',
    has_more: result.hasMore,
    started_at_ms: health.startedAtMs,
    ended_at_ms: health.endedAtMs ?? health.startedAtMs,
    execution_id: origin.executionId ?? '',
    health,
  };
}

/** Object keys sort by start time within a stream, so `list` returns a stream's runs in order. */
export function runRecordKey(record: Pick<RunRecord, 'stream' | 'started_at_ms' | 'session_id' | 'run_id'>): string {
  const safe = (s: string) => s.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 120);
  return `${safe(record.stream || 'unknown')}.${String(record.started_at_ms).padStart(15, '0')}.${safe(record.session_id)}.${safe(record.run_id)}`;
}
