import { inputInvalid } from '../core/machineErrors.ts';
import { ENGINE_DEFAULTS } from '../RunInput.ts';
import { ENRICH_DEFAULTS, enrichInputSchema } from './EnrichInput.ts';
import type { EnrichRunningState, ResolvedEnrichInput } from './EnrichState.ts';
import { note, type EnrichStepOutput } from './endLookup.ts';
import { nextLookup } from './nextLookup.ts';
import { refuseLookup } from './refuseLookup.ts';

export function startLookup(rawInput: unknown, nowMs: number): EnrichStepOutput {
  const parsed = enrichInputSchema.safeParse(rawInput);
  if (!parsed.success) return refuseLookup(inputInvalid(parsed.error.issues, 'lookup'));
  const input = parsed.data;
  const resolved: ResolvedEnrichInput = {
    runId: input.runId,
    indicators: input.indicators,
    deadlineAtMs: input.budget.deadlineMs !== undefined ? nowMs + input.budget.deadlineMs : null,
    maxCalls: input.budget.maxCalls ?? null,
    maxDeviceIdsPerIndicator: input.budget.maxDeviceIdsPerIndicator ?? ENRICH_DEFAULTS.maxDeviceIdsPerIndicator,
    maxDeviceIdBytes: input.budget.maxDeviceIdBytes ?? null,
    pageLimit: input.options.pageLimit ?? ENRICH_DEFAULTS.pageLimit,
    maxRetries: input.options.maxRetries ?? ENGINE_DEFAULTS.maxRetries,
    maxRateLimitWaits: input.options.maxRateLimitWaits ?? ENGINE_DEFAULTS.maxRateLimitWaits,
    maxRestarts: input.options.maxRestarts ?? ENRICH_DEFAULTS.maxRestarts,
    requestTimeoutMs: input.options.requestTimeoutMs ?? ENGINE_DEFAULTS.requestTimeoutMs,
  };
  const s: EnrichRunningState = {
    phase: 'await-http',
    input: resolved,
    results: [],
    lookup: null,
    pending: null,
    run: { startedAtMs: nowMs, nowMs, latencyEstimateMs: ENGINE_DEFAULTS.initialLatencyEstimateMs, consecutiveRateLimits: 0, skewMs: null, bytes: 0 },
    counters: { apiCalls: 0, retries: 0, rateLimitWaitMs: 0, authRefreshes: 0, restarts: 0, anomalies: 0 },
    timeline: [],
    timelineDropped: 0,
    resume: 'next',
    slowDownMs: 0,
    rngSeed: input.options.seed ?? 0x5eed,
    result: null,
  };
  note(s, 'run_started', `${resolved.indicators.length} indicator(s), at most ${resolved.maxDeviceIdsPerIndicator} device id(s) each`);
  return nextLookup(s);
}
