import { rateLimitRemaining, serverDateMs } from '../../falcon/readResponse.ts';
import { nextLatencyEstimateMs, skewFromDateMs, slowDownMsFor } from '../pacing.ts';
import type { CorePending, CoreState } from './CoreState.ts';
import type { Machine } from './Machine.ts';

/**
 * What every answer tells, whatever it says: one more call, the latency, the server's clock (its Date
 * header is the clock cursors and Retryafter live on) and the rate limit's pace. Returns the pending
 * request as it stands after the answer.
 */
export function observeAnswer<S extends CoreState<P>, P extends CorePending, Out>(m: Machine<S, P, Out>, s: S, sent: P, status: number, headers: Record<string, string>): P {
  // Any answer other than 401 proves the refreshed token worked; a later 401 (after a long wait) may refresh again.
  const pending = status !== 401 && sent.authRefreshed ? { ...sent, authRefreshed: false } : sent;
  s.pending = pending;
  m.count(s, 'apiCalls');
  s.run.latencyEstimateMs = nextLatencyEstimateMs(s.run.latencyEstimateMs, s.run.nowMs - pending.sentAtMs);
  m.setSkewMs(s, skewFromDateMs(serverDateMs(headers), s.run.nowMs) ?? m.skewMs(s));
  const remaining = rateLimitRemaining(headers);
  if (remaining !== null && status !== 429) {
    s.slowDownMs = slowDownMsFor(remaining) ?? s.slowDownMs;
    if (s.slowDownMs > 0) m.note(s, 'slow_down', `X-Ratelimit-Remaining ${remaining}`);
  }
  if (status !== 429) s.run.consecutiveRateLimits = 0;
  return pending;
}
