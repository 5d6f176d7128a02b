import type { CorePending, CoreState } from './CoreState.ts';
import type { Machine } from './Machine.ts';

/** Whether `ms` from now still ends before the run's deadline (and the machine's margin before it). */
export function fits<S extends CoreState<P>, P extends CorePending, Out>(m: Machine<S, P, Out>, s: S, ms: number): boolean {
  return s.input.deadlineAtMs === null || s.run.nowMs + ms + m.deadlineMarginMs <= s.input.deadlineAtMs;
}
