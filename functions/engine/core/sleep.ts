import type { CoreState } from './CoreState.ts';

/** Asks the host to sleep; `resume` says whether the pending request goes again afterwards or the machine decides afresh. */
export function sleep<R extends string>(s: CoreState, ms: number, reason: R, resume: 'pending' | 'next'): { kind: 'sleep'; ms: number; reason: R } {
  s.phase = 'await-sleep';
  s.resume = resume;
  return { kind: 'sleep', ms, reason };
}
