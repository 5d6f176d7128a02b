import type { HttpRequestSpec } from '../EngineCommand.ts';

/** The request in flight, as both machines keep it: a retry sends exactly the same thing. */
export interface CorePending<P extends string = string> {
  purpose: P;
  request: HttpRequestSpec;
  attempt: number;
  authRefreshed: boolean;
  sentAtMs: number;
}

/** What both machines (page runs and the device lookup) share of a running state; the core reads and writes only this. */
export interface CoreState<P extends CorePending = CorePending> {
  phase: string;
  input: {
    deadlineAtMs: number | null;
    requestTimeoutMs: number;
    maxRetries: number;
    maxRateLimitWaits: number;
  };
  run: {
    nowMs: number;
    latencyEstimateMs: number;
    consecutiveRateLimits: number;
  };
  pending: P | null;
  /** After a sleep or a re-authentication: send the pending request again, or decide afresh. */
  resume: 'pending' | 'next';
  slowDownMs: number;
  rngSeed: number;
}

/** The commands the core answers with; each machine's command union contains them. */
export type CoreCommand<P extends string> =
  | { kind: 'http'; purpose: P; request: HttpRequestSpec; timeoutMs: number }
  | { kind: 'sleep'; ms: number; reason: 'rate-limit' | 'backoff' | 'slow-down' }
  | { kind: 'authenticate'; reason: string };
