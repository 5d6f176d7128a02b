import { nextRandom } from '../random.ts';
import { retryAfter } from '../readResponse.ts';
import { ENGINE_DEFAULTS } from '../RunInput.ts';

/** Full-jitter exponential backoff, the page-run engine's rule, from the seeded random in the state. */
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
  const hint = retryAfter(headers);
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
