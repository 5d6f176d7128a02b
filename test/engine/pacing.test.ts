import { describe, expect, it } from 'vitest';
import { fullJitterMs, rateLimitWaitMs } from '../../functions/engine/pacing.ts';
import { ENGINE_DEFAULTS } from '../../functions/engine/RunInput.ts';

describe('fullJitterMs', () => {
  it('is deterministic for a seed, stays within the full-jitter ceiling, and advances the seed', () => {
    const first = fullJitterMs(42, 1);
    expect(fullJitterMs(42, 1)).toEqual(first);
    expect(first.seed).not.toBe(42);
    for (let attempt = 1; attempt <= 12; attempt++) {
      const { ms } = fullJitterMs(attempt * 7, attempt);
      expect(ms).toBeGreaterThanOrEqual(1);
      expect(ms).toBeLessThanOrEqual(Math.min(ENGINE_DEFAULTS.backoffCapMs, ENGINE_DEFAULTS.backoffBaseMs * 2 ** attempt));
    }
  });
});

describe('rateLimitWaitMs', () => {
  const server = Date.UTC(2025, 0, 1, 12);

  it('reads epoch seconds and epoch milliseconds against the server clock', () => {
    expect(rateLimitWaitMs({ 'X-Ratelimit-Retryafter': String(server / 1000 + 12) }, server, 1, 1)).toMatchObject({ ms: 12_000, hinted: true, seed: 1 });
    expect(rateLimitWaitMs({ 'x-ratelimit-retryafter': String(server + 4_500) }, server, 1, 1)).toMatchObject({ ms: 4_500, hinted: true });
  });

  it('never waits less than the minimum, even for a Retryafter in the past', () => {
    expect(rateLimitWaitMs({ 'X-Ratelimit-Retryafter': String(server / 1000 - 30) }, server, 1, 1).ms).toBe(ENGINE_DEFAULTS.minRetryAfterMs);
  });

  it('without a header: seeded backoff, at least the minimum', () => {
    const wait = rateLimitWaitMs({}, server, 9, 3);
    expect(wait.hinted).toBe(false);
    expect(wait.seed).not.toBe(9);
    expect(wait.ms).toBeGreaterThanOrEqual(ENGINE_DEFAULTS.minRetryAfterMs);
  });
});
