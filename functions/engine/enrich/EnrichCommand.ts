import type { HttpRequestSpec } from '../EngineCommand.ts';
import type { EngineError } from '../EngineError.ts';
import type { EnrichCounters } from './EnrichState.ts';
import type { IocType } from '../../falcon/iocEndpoints.ts';

/**
 * Why an indicator's device ids are not the whole answer ('' when they are).
 * - `capped_*`: final; the caller's per-indicator cap or the response budget kept the rest out.
 * - `token_missing_before_count`, `count_missing`, `count_lower_bound`: final but unproven; the API
 *   ended the chain before the count was reached, sent no count, or flagged the count as a floor.
 * - `indicator_rejected`: the API refused the type or value (400); `detail` carries its message.
 * - `stopped_*`, `run_failed`: not final; the indicator is pending and may be asked for again.
 */
export type EnrichReason =
  | ''
  | 'capped_max_devices'
  | 'capped_response_size'
  | 'token_missing_before_count'
  | 'count_missing'
  | 'count_lower_bound'
  | 'indicator_rejected'
  | 'stopped_deadline'
  | 'stopped_max_calls'
  | 'stopped_rate_limit_wait'
  | 'stopped_response_size'
  | 'run_failed';

/**
 * - `complete`: every device the count announced (or, with no count and no device, none at all).
 * - `capped`: a final prefix of the devices, cut by a budget the caller set.
 * - `incomplete`: the API's answers could not prove the list complete; see `reason`.
 * - `rejected`: the API refused the indicator.
 * - `pending`: the run stopped first; ask again.
 */
export type IndicatorStatus = 'complete' | 'capped' | 'incomplete' | 'rejected' | 'pending';

export interface IndicatorResult {
  type: IocType;
  value: string;
  status: IndicatorStatus;
  /** What device-count answered (0 for a 404 "not found"); null when it gave no count or was not asked. */
  deviceCount: number | null;
  /** The API flagged `device_count` as capped, so it is a lower bound. */
  limitExceeded: boolean;
  /** Unique ids in the order the API returned them. */
  deviceIds: string[];
  reason: EnrichReason;
  detail: string;
}

export type EnrichEventKind =
  | 'run_started'
  | 'count_not_found'
  | 'count_missing'
  | 'count_lower_bound'
  | 'token_missing_before_count'
  | 'token_repeated'
  | 'token_refused'
  | 'devices_restart'
  | 'indicator_rejected'
  | 'capped'
  | 'rate_limited'
  | 'slow_down'
  | 'retry'
  | 'auth_refresh'
  | 'errors_in_200'
  | 'non_json_body'
  | 'stopped'
  | 'complete'
  | 'failed';

export interface EnrichEvent {
  atMs: number;
  kind: EnrichEventKind;
  detail: string;
}

export interface EnrichResult extends EnrichCounters {
  verdict: 'complete' | 'has_more' | `failed:${string}`;
  /** A string on purpose: Fusion turns an absent field into "0". "true" while any indicator is pending. */
  hasMore: 'true' | 'false';
  /** One entry per input indicator, in input order. */
  indicators: IndicatorResult[];
  timeline: EnrichEvent[];
  timelineDropped: number;
  error: EngineError | null;
}

/** What the lookup asks a host to do next; the page-run engine's vocabulary without `emit`. */
export type EnrichCommand =
  | { kind: 'http'; purpose: 'device-count' | 'device-ids'; request: HttpRequestSpec; timeoutMs: number }
  | { kind: 'sleep'; ms: number; reason: 'rate-limit' | 'backoff' | 'slow-down' }
  | { kind: 'authenticate'; reason: string }
  | { kind: 'done'; result: EnrichResult };
