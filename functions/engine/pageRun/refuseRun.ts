import { isStreamName } from '../../falcon/streams.ts';
import type { RunResult } from '../EngineCommand.ts';
import type { EngineError } from '../EngineError.ts';
import type { RefusedState } from '../EngineState.ts';
import { newHealthRecord } from '../HealthRecord.ts';
import type { StepOutput } from '../StepOutput.ts';

/** A run that never started (bad input, refused checkpoint): nothing was requested and nothing is written. */
export function refuseRun(rawInput: unknown, error: EngineError): StepOutput {
  const raw = typeof rawInput === 'object' && rawInput !== null ? (rawInput as Record<string, unknown>) : {};
  const stream = typeof raw.stream === 'string' && isStreamName(raw.stream) ? raw.stream : null;
  const health = newHealthRecord({
    stream,
    runId: typeof raw.runId === 'string' ? raw.runId : '',
    sessionId: typeof raw.sessionId === 'string' ? raw.sessionId : '',
    startedAtMs: 0,
    endedAtMs: 0,
    verdict: `failed:${error.code}`,
    totalAtStart: null,
    exportItems: 0,
    exportApiCalls: 0,
    optimalCalls: null,
  });
  const result: RunResult = {
    verdict: `failed:${error.code}`,
    hasMore: 'false',
    checkpoint: null,
    resume: { safe: false, reason: 'input_refused' },
    stop: { kind: 'failed', code: error.code, retryable: false },
    health,
    error,
  };
  const state: RefusedState = { phase: 'refused', result, health };
  return { state, command: { kind: 'done', result } };
}
