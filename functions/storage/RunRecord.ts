import type { RunResult } from '../engine/EngineCommand.ts';
import type { HealthRecord } from '../engine/HealthRecord.ts';
import { sha256Hex } from '../engine/sha256.ts';

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

/**
 * Object keys sort by start time within a stream, so `list` returns a stream's runs in order; the rest is
 * a hash of the run's whole identity, so two runs never share a key (a lossy slug mapped `team.a` and
 * `team_a` to the same one).
 */
export function runRecordKey(record: Pick<RunRecord, 'stream' | 'started_at_ms' | 'session_id' | 'run_id' | 'execution_id'>): string {
  const stream = /^[a-z-]{1,40}$/.test(record.stream) ? record.stream : 'unknown';
  const identity = sha256Hex(JSON.stringify([record.stream, record.session_id, record.run_id, record.execution_id, record.started_at_ms])).slice(0, 32);
  return `${stream}.${String(record.started_at_ms).padStart(15, '0')}.${identity}`;
}
