import type { z } from 'zod';
import { STREAMS, isStreamName, retiredStreamMessage, type StreamName, type StreamSpec } from '../../falcon/streams.ts';
import { originOf } from '../../falcon/readResponse.ts';
import { checkpointBelongsTo, decodeCheckpoint, encodeCheckpoint, filterHashOf, type CheckpointData, type CheckpointKeys } from '../Checkpoint.ts';
import { inputInvalid } from '../core/machineErrors.ts';
import { engineError, type EngineError } from '../EngineError.ts';
import type { ResolvedInput, RunningState } from '../EngineState.ts';
import { checkUserFilter } from '../fql.ts';
import { appendEvent, newHealthRecord, type HealthRecord } from '../HealthRecord.ts';
import { EVERYTHING } from '../KeyRange.ts';
import { optimalCalls } from '../optimalCalls.ts';
import { ENGINE_DEFAULTS, runInputSchema } from '../RunInput.ts';
import type { StepOutput } from '../StepOutput.ts';
import { nextPage } from './nextPage.ts';
import { refuseRun } from './refuseRun.ts';

type Input = z.infer<typeof runInputSchema>;

export function startRun(rawInput: unknown, nowMs: number): StepOutput {
  const parsed = runInputSchema.safeParse(rawInput);
  if (!parsed.success) return refuseRun(rawInput, inputInvalid(parsed.error.issues, 'run'));
  const input = parsed.data;
  const admitted = admit(input);
  if ('code' in admitted) return refuseRun(rawInput, admitted);
  const { spec, filter } = admitted;
  const checkpointKeys: CheckpointKeys = { current: input.checkpointKeys.current, previous: input.checkpointKeys.previous ?? null };
  const origin = startingPoint(input, spec, filter, checkpointKeys);
  if ('code' in origin) return refuseRun(rawInput, origin);
  const { cp, resumed } = origin;
  const health = appendEvent(firstHealth(spec, input.runId, cp, nowMs), {
    atMs: nowMs,
    kind: resumed ? 'resumed' : 'run_started',
    detail: resumed ? `seq ${cp.seq}, ${cp.ranges.length} range(s) left${cp.chain?.cursor ? ', live cursor' : ''}` : `filter ${filter || '(none)'}`,
  });
  const s: RunningState = {
    phase: 'await-http',
    input: resolveInput(input, spec, filter, checkpointKeys, nowMs),
    cp,
    run: {
      startedAtMs: nowMs,
      nowMs,
      pages: 0,
      bytes: 0,
      avgItemBytes: null,
      latencyEstimateMs: ENGINE_DEFAULTS.initialLatencyEstimateMs,
      consecutiveRateLimits: 0,
      barrenRestarts: 0,
      absentFields: input.fields ? [...input.fields] : [],
    },
    health,
    pending: null,
    hydration: null,
    resume: 'next',
    slowDownMs: 0,
    rngSeed: input.options.seed ?? 0x5eed,
    // The checkpoint the run started from: a fresh export's is its first state, so even a first page the
    // sink never stored resumes in the same session.
    ackedCheckpoint: input.checkpoint ?? encodeCheckpoint(cp, checkpointKeys),
    emitting: null,
    result: null,
  };
  return nextPage(s);
}

/** The stream and the filter, or why the run cannot read them. */
function admit(input: Input): { spec: StreamSpec; filter: string } | EngineError {
  const retired = retiredStreamMessage(input.stream);
  if (retired !== null) return engineError('STREAM_DECOMMISSIONED', retired, { field: 'stream' });
  if (!isStreamName(input.stream)) {
    return engineError('STREAM_UNKNOWN', `Unknown stream "${input.stream}". Known streams: ${Object.keys(STREAMS).join(', ')}.`, { field: 'stream' });
  }
  const spec = STREAMS[input.stream];
  const filter = input.filter.trim();
  const problem = checkUserFilter(filter);
  if (problem) {
    return engineError('FILTER_INVALID', `The filter ${problem.message} (at character ${problem.position}); fix the FQL and run again.`, {
      field: 'filter',
      position: problem.position,
    });
  }
  return { spec, filter };
}

/** Where the export stands: the input's checkpoint (verified to be this export's), or nothing read yet. */
function startingPoint(input: Input, spec: StreamSpec, filter: string, checkpointKeys: CheckpointKeys): { cp: CheckpointData; resumed: boolean } | EngineError {
  if (!input.checkpoint) return { cp: freshCheckpoint(spec.name, filterHashOf(spec.name, filter), input.sessionId ?? `session-${input.runId}`), resumed: false };
  const decoded = decodeCheckpoint(input.checkpoint, checkpointKeys);
  if (!decoded.ok) return decoded.error;
  const data = decoded.data;
  const foreign = checkpointBelongsTo(data, spec.name, filter);
  if (foreign !== null) return foreign;
  if (input.sessionId !== undefined && input.sessionId !== data.sessionId) {
    return engineError(
      'CHECKPOINT_FOREIGN_SESSION',
      `The checkpoint belongs to session "${data.sessionId}", not "${input.sessionId}"; two workers must never share one cursor chain.`,
      { field: 'checkpoint', checkpointSession: data.sessionId },
    );
  }
  return { cp: data.complete ? incrementalFrom(data) : data, resumed: true };
}

function resolveInput(input: Input, spec: StreamSpec, filter: string, checkpointKeys: CheckpointKeys, nowMs: number): ResolvedInput {
  return {
    stream: spec.name,
    filter,
    runId: input.runId,
    fields: input.fields ?? null,
    apiOrigin: input.apiBaseUrl ? originOf(input.apiBaseUrl) : null,
    deadlineAtMs: input.budget.deadlineMs !== undefined ? nowMs + input.budget.deadlineMs : null,
    maxPages: input.budget.maxPages ?? null,
    maxResponseBytes: input.budget.maxResponseBytes ?? null,
    pageLimit: Math.min(input.options.pageLimit ?? spec.pageLimit, spec.maxLimit),
    maxRetries: input.options.maxRetries ?? ENGINE_DEFAULTS.maxRetries,
    maxRateLimitWaits: input.options.maxRateLimitWaits ?? ENGINE_DEFAULTS.maxRateLimitWaits,
    cursorTtlMs: Math.min(spec.documentedCursorTtlMs ?? Infinity, input.options.assumedCursorTtlMs ?? ENGINE_DEFAULTS.assumedCursorTtlMs),
    requestTimeoutMs: input.options.requestTimeoutMs ?? ENGINE_DEFAULTS.requestTimeoutMs,
    checkpointKeys,
  };
}

function firstHealth(spec: StreamSpec, runId: string, cp: CheckpointData, nowMs: number): HealthRecord {
  return newHealthRecord({
    stream: spec.name,
    runId,
    sessionId: cp.sessionId,
    startedAtMs: nowMs,
    endedAtMs: null,
    verdict: null,
    totalAtStart: cp.totalAtStart,
    exportItems: cp.counters.items,
    exportApiCalls: cp.counters.apiCalls,
    optimalCalls: cp.totalAtStart === null ? null : optimalCalls(spec, cp.totalAtStart),
  });
}

/** A finished export resumed later is an incremental export: everything above the high-water mark. */
function incrementalFrom(data: CheckpointData): CheckpointData {
  return {
    ...data,
    ranges: data.high ? [{ from: data.high, to: null }] : EVERYTHING,
    complete: false,
    chain: null,
    totalAtStart: null,
    boundServerMs: null,
    orderViolated: false,
    rechecks: [],
    counters: { ...data.counters, items: 0, apiCalls: 0, pages: 0 },
  };
}

/** The checkpoint of an export that has read nothing yet: everything is left. */
function freshCheckpoint(stream: StreamName, filterHash: string, sessionId: string): CheckpointData {
  return {
    v: 1,
    stream,
    filterHash,
    sessionId,
    seq: 0,
    ranges: EVERYTHING,
    high: null,
    complete: false,
    chain: null,
    notBeforeServerMs: null,
    skewMs: null,
    totalAtStart: null,
    learnedDepthCap: null,
    learnedPageLimit: null,
    boundServerMs: null,
    orderViolated: false,
    rechecks: [],
    counters: {
      items: 0,
      apiCalls: 0,
      pages: 0,
      tokenMissingMidRun: 0,
      tokenExpiries: 0,
      watermarkRestarts: 0,
      depthCapRewindows: 0,
      duplicatesDropped: 0,
    },
  };
}
