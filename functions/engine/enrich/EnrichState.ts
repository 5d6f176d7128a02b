import type { HttpRequestSpec } from '../EngineCommand.ts';
import type { EnrichEvent, EnrichResult, IndicatorResult } from './EnrichCommand.ts';
import type { IocType } from '../../falcon/iocEndpoints.ts';

export interface ResolvedEnrichInput {
  runId: string;
  indicators: Array<{ type: IocType; value: string }>;
  deadlineAtMs: number | null;
  maxCalls: number | null;
  maxDeviceIdsPerIndicator: number;
  maxDeviceIdBytes: number | null;
  pageLimit: number;
  maxRetries: number;
  maxRateLimitWaits: number;
  maxRestarts: number;
  requestTimeoutMs: number;
}

/** The indicator being looked up. */
export interface Lookup {
  index: number;
  stage: 'count' | 'devices';
  /** null until device-count answered, and when it answered without a usable count. */
  deviceCount: number | null;
  limitExceeded: boolean;
  ids: string[];
  /** Bytes `ids` take in the host's answer. */
  bytes: number;
  /** The devices query's next-offset token; null asks for the first page. */
  token: string | null;
  pages: number;
  restarts: number;
}

/** The request in flight, kept so that a retry sends exactly the same thing. */
export interface PendingRequest {
  purpose: 'device-count' | 'device-ids';
  request: HttpRequestSpec;
  attempt: number;
  authRefreshed: boolean;
  sentAtMs: number;
}

export interface EnrichRun {
  startedAtMs: number;
  nowMs: number;
  latencyEstimateMs: number;
  consecutiveRateLimits: number;
  /** Server clock minus local clock, from the last Date header; null before the first answer. */
  skewMs: number | null;
  /** Bytes of device ids kept so far, across indicators. */
  bytes: number;
}

export interface EnrichCounters {
  apiCalls: number;
  retries: number;
  rateLimitWaitMs: number;
  authRefreshes: number;
  restarts: number;
  /** Missing, repeated or refused tokens, missing counts: the named anomalies of this run. */
  anomalies: number;
}

/** What a lookup that started carries, running or ended. */
export interface EnrichContext {
  input: ResolvedEnrichInput;
  /** Finished indicators, in input order: the lookup works through them one at a time. */
  results: IndicatorResult[];
  lookup: Lookup | null;
  pending: PendingRequest | null;
  run: EnrichRun;
  counters: EnrichCounters;
  timeline: EnrichEvent[];
  timelineDropped: number;
  /** After a sleep or a re-authentication: send the pending request again, or decide afresh. */
  resume: 'pending' | 'next';
  slowDownMs: number;
  rngSeed: number;
}

/** A lookup waiting for the host's answer to its last command. */
export interface EnrichRunningState extends EnrichContext {
  phase: 'await-http' | 'await-sleep' | 'await-auth';
  result: null;
}

/** A lookup that ended (complete, stopped or failed); any further event is a protocol failure. */
export interface EnrichEndedState extends EnrichContext {
  phase: 'done';
  result: EnrichResult;
}

/** A lookup that never started (bad input, an event before start): nothing was requested, there is only the result. */
export interface EnrichRefusedState {
  phase: 'refused';
  result: EnrichResult;
  timeline: EnrichEvent[];
  timelineDropped: number;
}

export type EnrichState = EnrichRunningState | EnrichEndedState | EnrichRefusedState;
