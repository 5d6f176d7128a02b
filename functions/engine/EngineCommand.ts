import type { EngineError } from './EngineError.ts';
import type { HealthRecord, Verdict } from './HealthRecord.ts';

/** A request relative to the API origin; the host adds the origin and the bearer token. */
export interface HttpRequestSpec {
  method: 'GET' | 'POST';
  path: string;
  headers: Record<string, string>;
  body: string | null;
}

export interface RunResult {
  verdict: Verdict;
  /** A string on purpose: Fusion turns an absent field into "0", so loops test this against "true". */
  hasMore: 'true' | 'false';
  checkpoint: string | null;
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
