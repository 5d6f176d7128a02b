import type { EngineError } from '../EngineError.ts';
import { fullJitterMs } from '../pacing.ts';
import type { CorePending, CoreState } from './CoreState.ts';
import { fits } from './fits.ts';
import type { Machine } from './Machine.ts';
import { sleep } from './sleep.ts';

/** Sends the pending request again after a full-jitter backoff, or ends the run when retries or time run out. */
export function retry<S extends CoreState<P>, P extends CorePending, Out>(m: Machine<S, P, Out>, s: S, reason: string, error: EngineError): Out {
  const pending = s.pending;
  if (!pending) return m.fail(s, error);
  const attempt = pending.attempt + 1;
  if (attempt > s.input.maxRetries) return m.fail(s, { ...error, context: { ...error.context, attempts: attempt } });
  const backoff = fullJitterMs(s.rngSeed, attempt);
  s.rngSeed = backoff.seed;
  if (!fits(m, s, backoff.ms + s.run.latencyEstimateMs)) return m.stop(s, 'stopped_deadline', `a retry after ${reason} does not fit the deadline`);
  s.pending = { ...pending, attempt };
  m.count(s, 'retries');
  m.note(s, 'retry', `${reason}; attempt ${attempt} of ${s.input.maxRetries} in ${backoff.ms} ms`);
  return m.out(s, sleep(s, backoff.ms, 'backoff', 'pending'));
}
