import type { CoreCommand, CorePending, CoreState } from './CoreState.ts';

/** Hands the host a request; the request timeout never reaches past the deadline. */
export function send<P extends CorePending>(s: CoreState<P>, pending: P): Extract<CoreCommand<P['purpose']>, { kind: 'http' }> {
  const deadline = s.input.deadlineAtMs;
  const timeoutMs = deadline === null ? s.input.requestTimeoutMs : Math.max(1, Math.min(s.input.requestTimeoutMs, deadline - s.run.nowMs));
  s.pending = { ...pending, sentAtMs: s.run.nowMs };
  s.phase = 'await-http';
  return { kind: 'http', purpose: pending.purpose, request: pending.request, timeoutMs };
}
