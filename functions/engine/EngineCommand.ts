import type { EngineError, EngineErrorCode } from './EngineError.ts';
import type { HealthRecord, Verdict } from './HealthRecord.ts';

/** A request relative to the API origin; the host adds the origin and the bearer token. */
export interface HttpRequestSpec {
  method: 'GET' | 'POST';
  path: string;
  headers: Record<string, string>;
  body: string | null;
}

/** Why a run ended: the export is done, a budget ran out (more to do), or it failed (with whether trying again may help). */
export type StopReason =
  | { kind: 'complete' }
  | { kind: 'budget'; budget: 'deadline' | 'max_pages' | 'byte_budget' | 'rate_limit_wait' }
  | { kind: 'failed'; code: EngineErrorCode; retryable: boolean };

/**
 * Where the next run starts, decided once for every host: from the run's final checkpoint (every page
 * before it was emitted and acknowledged, nothing after it was), or nowhere new when the input itself
 * was refused (fix it and run again with the checkpoint you had).
 */
export type Resume = { safe: true; checkpoint: string } | { safe: false; reason: 'input_refused' };

export interface RunResult {
  verdict: Verdict;
  /** A string on purpose: Fusion turns an absent field into "0", so loops test this against "true". */
  hasMore: 'true' | 'false';
  /** The final checkpoint; the same as `resume.checkpoint` when there is one. */
  checkpoint: string | null;
  resume: Resume;
  stop: StopReason;
  health: HealthRecord;
  error: EngineError | null;
}

/** What the engine asks a host to do next. Exactly one command per step. */
export type EngineCommand =
  | { kind: 'http'; purpose: 'page' | 'hydrate'; request: HttpRequestSpec; timeoutMs: number }
  | { kind: 'sleep'; ms: number; reason: 'rate-limit' | 'backoff' | 'slow-down' | 'not-before' }
  | { kind: 'emit'; items: unknown[]; checkpoint: string; bytes: number }
  | { kind: 'authenticate'; reason: string }
  | { kind: 'done'; result: RunResult };
