import type { CorePending, CoreState } from './CoreState.ts';
import type { Machine } from './Machine.ts';
import { sleep } from './sleep.ts';

/** Sleeps for the rate limit (a 429's wait, a slow-down): the time counts as rate-limit wait. */
export function waitOut<S extends CoreState<P>, P extends CorePending, Out>(m: Machine<S, P, Out>, s: S, ms: number, reason: 'rate-limit' | 'slow-down', resume: 'pending' | 'next'): Out {
  m.count(s, 'rateLimitWaitMs', ms);
  return m.out(s, sleep(s, ms, reason, resume));
}
