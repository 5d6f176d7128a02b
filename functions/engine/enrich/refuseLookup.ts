import type { EngineError } from '../EngineError.ts';
import type { EnrichResult } from './EnrichCommand.ts';
import type { EnrichRefusedState } from './EnrichState.ts';
import type { EnrichStepOutput } from './endLookup.ts';

/** A lookup that never started (bad input, protocol misuse): nothing was requested. */
export function refuseLookup(error: EngineError): EnrichStepOutput {
  const result: EnrichResult = {
    verdict: `failed:${error.code}`,
    hasMore: 'false',
    indicators: [],
    apiCalls: 0,
    retries: 0,
    rateLimitWaitMs: 0,
    authRefreshes: 0,
    restarts: 0,
    anomalies: 0,
    timeline: [],
    timelineDropped: 0,
    error,
  };
  const state: EnrichRefusedState = { phase: 'refused', result, timeline: result.timeline, timelineDropped: 0 };
  return { state, command: { kind: 'done', result } };
}
