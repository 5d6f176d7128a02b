import type { CorePending, CoreState } from './CoreState.ts';
import { fits } from './fits.ts';
import type { Machine } from './Machine.ts';

/** The pace X-Ratelimit-Remaining asked for, before the next request: nothing, a wait, or no time left for one. */
export type SlowDown = { kind: 'none' } | { kind: 'wait'; ms: number } | { kind: 'no-time'; detail: string };

export function slowDown<S extends CoreState<P>, P extends CorePending, Out>(m: Machine<S, P, Out>, s: S): SlowDown {
  const ms = s.slowDownMs;
  if (ms <= 0) return { kind: 'none' };
  if (!fits(m, s, ms + s.run.latencyEstimateMs)) return { kind: 'no-time', detail: 'no time left after slowing down for the rate limit' };
  return { kind: 'wait', ms };
}
