import { describe, expect, it } from 'vitest';
import { STREAMS } from '../../functions/falcon/streams.ts';
import { asHttp, createHarness, envelopeOf, get, issueToken } from './sandboxKit.ts';

const PATH = STREAMS['alert-ids'].path;

describe('rate limiting per CID', () => {
  it('sends X-Ratelimit-Limit and a decreasing Remaining on every authenticated answer', () => {
    const { sandbox } = createHarness();
    const token = issueToken(sandbox);
    const remaining = [1, 2, 3].map(() => asHttp(get(sandbox, token, PATH)).headers);
    expect(remaining.map((h) => h['X-Ratelimit-Limit'])).toEqual(['6000', '6000', '6000']);
    expect(remaining.map((h) => h['X-Ratelimit-Remaining'])).toEqual(['5999', '5998', '5997']);
  });

  it('answers 429 with an epoch-seconds Retryafter on a sliding 60 s window', () => {
    const { sandbox, clock } = createHarness({ knobs: { rateLimitPerMinute: 3 } });
    const token = issueToken(sandbox);
    const firstAt = clock.now;
    for (let i = 0; i < 3; i++) {
      expect(asHttp(get(sandbox, token, PATH)).status).toBe(200);
      clock.advance(10_000);
    }
    const limited = get(sandbox, token, PATH);
    expect(asHttp(limited).status).toBe(429);
    expect(asHttp(limited).headers['X-Ratelimit-Retryafter']).toBe(String(Math.ceil((firstAt + 60_000) / 1000)));
    expect(asHttp(limited).headers['X-Ratelimit-Remaining']).toBe('0');
    expect(envelopeOf(limited).errors).toEqual([{ code: 429, message: 'API rate limit exceeded.' }]);
    clock.now = firstAt + 60_000;
    expect(asHttp(get(sandbox, token, PATH)).status).toBe(200);
  });

  it('shares the window between tokens of the same CID', () => {
    const { sandbox } = createHarness({ knobs: { rateLimitPerMinute: 2 } });
    expect(asHttp(get(sandbox, issueToken(sandbox), PATH)).status).toBe(200);
    expect(asHttp(get(sandbox, issueToken(sandbox), PATH)).status).toBe(200);
    expect(asHttp(get(sandbox, issueToken(sandbox), PATH)).status).toBe(429);
  });

  it('can send Retryafter in epoch milliseconds, or not at all', () => {
    for (const [mode, expected] of [
      ['epoch-ms', (t: number): string | undefined => String(t + 60_000)],
      ['absent', (): string | undefined => undefined],
    ] as const) {
      const { sandbox, clock } = createHarness({ knobs: { rateLimitPerMinute: 1, retryAfterMode: mode } });
      const token = issueToken(sandbox);
      get(sandbox, token, PATH);
      const limited = asHttp(get(sandbox, token, PATH));
      expect(limited.status).toBe(429);
      expect(limited.headers['X-Ratelimit-Retryafter']).toBe(expected(clock.now));
    }
  });
});
