import { rateLimitWaitMs } from '../pacing.ts';
import type { CorePending, CoreState } from './CoreState.ts';
import type { Machine } from './Machine.ts';
import { rateLimitExhausted } from './machineErrors.ts';
import { serverNow } from './serverNow.ts';

/** A 429: how long to wait before asking again, or the run's end when the pool stays exhausted. */
export function rateLimitWait<S extends CoreState<P>, P extends CorePending, Out>(m: Machine<S, P, Out>, s: S, headers: Record<string, string>): { ms: number } | { out: Out } {
  s.run.consecutiveRateLimits++;
  if (s.run.consecutiveRateLimits > s.input.maxRateLimitWaits) return { out: m.fail(s, rateLimitExhausted(s.run.consecutiveRateLimits)) };
  const wait = rateLimitWaitMs(headers, serverNow(m, s), s.rngSeed, s.run.consecutiveRateLimits);
  s.rngSeed = wait.seed;
  m.note(s, 'rate_limited', `429; waiting ${wait.ms} ms (${wait.hinted ? 'X-Ratelimit-Retryafter' : 'no Retryafter header, backoff'})`);
  return { ms: wait.ms };
}
