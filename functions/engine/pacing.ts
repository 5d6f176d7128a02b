import { nextRandom } from './random.ts';
import { retryAfter } from '../falcon/readResponse.ts';
import { ENGINE_DEFAULTS } from './RunInput.ts';

/**
 * How fast both engine machines (page runs and the device lookup) go and how long they wait: one rule
 * for backoff, rate-limit waits, slowing down and reading the server's clock.
 */

/** Full-jitter exponential backoff from the seeded random in the state. */
export function fullJitterMs(seed: number, attempt: number): { ms: number; seed: number } {
  const r = nextRandom(seed);
  const ceiling = Math.min(ENGINE_DEFAULTS.backoffCapMs, ENGINE_DEFAULTS.backoffBaseMs * 2 ** Math.min(attempt, 16));
  return { ms: Math.max(1, Math.round(r.value * ceiling)), seed: r.seed };
}

/**
 * How long a 429 asks to wait: `X-Ratelimit-Retryafter` read on the server's clock (never the local
 * one), else backoff; never less than ENGINE_DEFAULTS.minRetryAfterMs.
 */
export function rateLimitWaitMs(
  headers: Record<string, string>,
  serverNowMs: number,
  seed: number,
  consecutive: number,
): { ms: number; seed: number; hinted: boolean } {
  const hint = retryAfter(headers, serverNowMs, ENGINE_DEFAULTS.maxRetryAfterMs);
  let ms: number;
  let next = seed;
  if (hint?.kind === 'at') ms = hint.serverMs - serverNowMs;
  else if (hint?.kind === 'delay') ms = hint.ms;
  else {
    const jitter = fullJitterMs(seed, consecutive);
    ms = jitter.ms;
    next = jitter.seed;
  }
  return { ms: Math.max(Math.ceil(ms), ENGINE_DEFAULTS.minRetryAfterMs), seed: next, hinted: hint !== null };
}

/** X-Ratelimit-Remaining at or below the thresholds slows requests down (gofalcon uses the same steps); null keeps the current pace. */
export function slowDownMsFor(remaining: number): number | null {
  if (remaining <= ENGINE_DEFAULTS.verySlowDownRemaining) return ENGINE_DEFAULTS.verySlowDownMs;
  if (remaining <= ENGINE_DEFAULTS.slowDownRemaining) return ENGINE_DEFAULTS.slowDownMs;
  return null;
}

/** A moving estimate of request latency, so a run does not start a request it cannot finish. */
export function nextLatencyEstimateMs(previousMs: number, observedMs: number): number {
  return Math.round(0.6 * previousMs + 0.4 * Math.max(observedMs, 1));
}

/** Server clock minus local clock, from the Date header (1 s resolution, so its middle is taken); null without one. */
export function skewFromDateMs(serverDateMs: number | null, localNowMs: number): number | null {
  return serverDateMs === null ? null : serverDateMs + 500 - localNowMs;
}
