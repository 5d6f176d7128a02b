import type { HealthRecord } from '../../../functions/engine/HealthRecord.ts';
import type { RunRecord } from '../../../functions/storage/RunRecord.ts';

const STARTED = Date.UTC(2026, 10, 2, 10, 40, 0);

/** A valid run record of one mid-export alerts run; tests override what they look at. */
export function runRecord(overrides: { record?: Partial<RunRecord>; health?: Partial<HealthRecord> } = {}): RunRecord {
  const health: HealthRecord = {
    stream: 'alerts',
    runId: 'run-2',
    sessionId: 'session-1',
    startedAtMs: STARTED,
    endedAtMs: STARTED + 24_900,
    verdict: 'has_more',
    pages: 3,
    items: 3000,
    totalAtStart: 25_000,
    duplicatesDropped: 0,
    apiCalls: 4,
    retries: 1,
    rateLimitWaitMs: 20_600,
    tokenMissingMidRun: 0,
    tokenExpiries: 1,
    watermarkRestarts: 1,
    depthCapRewindows: 0,
    authRefreshes: 0,
    errorsIn200: 0,
    ingestCalls: 0,
    ingestRetries: 0,
    ingestedEvents: 0,
    ingestBytes: 0,
    exportItems: 5995,
    exportApiCalls: 8,
    optimalCalls: 25,
    timeline: [
      { atMs: STARTED, kind: 'resumed', detail: 'seq 5, 3 range(s) left' },
      { atMs: STARTED + 24_900, kind: 'rate_limited', detail: '429; waiting 45500 ms' },
      { atMs: STARTED + 24_900, kind: 'watermark_restart', detail: '3 range(s)' },
    ],
    timelineDropped: 0,
    ...overrides.health,
  };
  return {
    run_id: health.runId,
    session_id: health.sessionId,
    stream: health.stream ?? '',
    verdict: health.verdict ?? 'has_more',
    verdict_kind: 'has_more',
    error_code: '',
    error_message: '',
    has_more: 'true',
    started_at_ms: health.startedAtMs,
    ended_at_ms: health.endedAtMs ?? health.startedAtMs,
    execution_id: 'exec-1',
    health,
    ...overrides.record,
  };
}
