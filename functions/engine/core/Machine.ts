import type { EngineError } from '../EngineError.ts';
import type { EngineEvent } from '../EngineEvent.ts';
import type { CoreCommand, CorePending, CoreState } from './CoreState.ts';

/** Counters the core moves; each machine keeps them where its callers read them. */
export type CoreCounter = 'apiCalls' | 'retries' | 'authRefreshes' | 'rateLimitWaitMs' | 'errorsIn200';

/** Timeline events the core writes; both machines' event kinds contain them. */
export type CoreEventKind = 'retry' | 'rate_limited' | 'slow_down' | 'auth_refresh' | 'non_json_body' | 'errors_in_200';

export type CoreStop = 'stopped_deadline' | 'stopped_rate_limit_wait';

/**
 * One machine as the core sees it: where it keeps what the core measures, and how it ends. `S` is the
 * machine's running state, `P` its pending request and `Out` what its step returns.
 */
export interface Machine<S extends CoreState<P>, P extends CorePending, Out> {
  /** Time kept free before the deadline by every fit check (the device lookup answers inside its caller's deadline). */
  deadlineMarginMs: number;
  skewMs(s: S): number | null;
  setSkewMs(s: S, skewMs: number | null): void;
  note(s: S, kind: CoreEventKind, detail: string): void;
  count(s: S, counter: CoreCounter, by?: number): void;
  /** The state and the one command of a step. */
  out(s: S, command: CoreCommand<P['purpose']>): Out;
  next(s: S): Out;
  fail(s: S, error: EngineError): Out;
  stop(s: S, kind: CoreStop, detail: string): Out;
  /** An answer to the pending request, after the core read what every answer tells. */
  onAnswer(s: S, pending: P, event: Extract<EngineEvent, { kind: 'http-response' }>): Out;
  /** A request that got no answer, before it is retried: null retries it. */
  onLost?(s: S, pending: P, event: Extract<EngineEvent, { kind: 'http-error' }>): Out | null;
  onEmitted?(s: S, event: Extract<EngineEvent, { kind: 'emitted' }>): Out;
  onEmitFailed?(s: S, event: Extract<EngineEvent, { kind: 'emit-failed' }>): Out;
}
