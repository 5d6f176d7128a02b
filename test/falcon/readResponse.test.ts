import { describe, expect, it } from 'vitest';
import {
  depthCapFromMessage,
  header,
  isExpiredContextMessage,
  parseJson,
  rateLimitRemaining,
  retryAfter,
  serverDateMs,
} from '../../functions/falcon/readResponse.ts';

describe('header', () => {
  it('finds a header whatever the case on the wire or in the query', () => {
    const headers = { 'X-Ratelimit-Limit': '6000', 'x-cs-traceid': 'abc' };
    expect(header(headers, 'X-RateLimit-Limit')).toBe('6000');
    expect(header(headers, 'x-ratelimit-limit')).toBe('6000');
    expect(header(headers, 'X-CS-TRACEID')).toBe('abc');
  });

  it('returns undefined for a missing header', () => {
    expect(header({ Date: 'x' }, 'Next-Page')).toBeUndefined();
  });
});

describe('serverDateMs', () => {
  it('parses the HTTP Date header (second resolution)', () => {
    const ms = Date.UTC(2025, 0, 2, 3, 4, 5);
    expect(serverDateMs({ date: new Date(ms + 999).toUTCString() })).toBe(ms);
  });

  it('returns null without a Date header or with an unparseable one', () => {
    expect(serverDateMs({})).toBeNull();
    expect(serverDateMs({ Date: 'yesterday' })).toBeNull();
  });
});

describe('retryAfter', () => {
  const epochSeconds = 1_735_689_645; // 2025-01-01T00:00:45Z
  const now = epochSeconds * 1000 - 45_000;
  const read = (headers: Record<string, string>) => retryAfter(headers, now, 60_000);

  it('reads epoch seconds (what Falcon sends) as an absolute server time', () => {
    expect(read({ 'X-Ratelimit-Retryafter': String(epochSeconds) })).toEqual({ kind: 'at', serverMs: epochSeconds * 1000 });
  });

  it('reads values above 10^12 as epoch milliseconds (the spec text)', () => {
    const ms = epochSeconds * 1000 + 250;
    expect(read({ 'x-ratelimit-retryafter': String(ms) })).toEqual({ kind: 'at', serverMs: ms });
  });

  it('reads small values as a delay in seconds', () => {
    expect(read({ 'X-RateLimit-RetryAfter': '30' })).toEqual({ kind: 'delay', ms: 30_000 });
    expect(read({ 'X-Ratelimit-Retryafter': ' 2.5 ' })).toEqual({ kind: 'delay', ms: 2_500 });
  });

  it('reads a value that is no plausible epoch as relative seconds, capped: 2000 is not 33 minutes', () => {
    expect(read({ 'X-Ratelimit-Retryafter': '2000' })).toEqual({ kind: 'delay', ms: 60_000 });
    // Epoch seconds of the year 2286, and epoch ms of 1973: neither within a day of the server's now.
    expect(read({ 'X-Ratelimit-Retryafter': '9999999999' })).toEqual({ kind: 'delay', ms: 60_000 });
    expect(read({ 'X-Ratelimit-Retryafter': '100000000000' })).toEqual({ kind: 'delay', ms: 60_000 });
  });

  it('falls back to a standard Retry-After header, in seconds or as an HTTP date', () => {
    expect(read({ 'Retry-After': '7' })).toEqual({ kind: 'delay', ms: 7_000 });
    expect(read({ 'Retry-After': 'Wed, 01 Jan 2025 00:00:45 GMT' })).toEqual({ kind: 'at', serverMs: epochSeconds * 1000 });
    expect(read({ 'Retry-After': 'Fri, 01 Jan 2100 00:00:00 GMT' })).toEqual({ kind: 'at', serverMs: now + 60_000 });
  });

  it('prefers X-Ratelimit-Retryafter over Retry-After', () => {
    expect(read({ 'Retry-After': '7', 'X-Ratelimit-Retryafter': String(epochSeconds) })).toEqual({ kind: 'at', serverMs: epochSeconds * 1000 });
  });

  it.each(['soon', 'NaN', 'Infinity', '-5', '12abc', '1e3', 'Wed, 32 Foo 2025 99:00:45 GMT'])('returns null for %j', (raw) => {
    expect(read({ 'X-Ratelimit-Retryafter': raw })).toBeNull();
  });

  it('returns null when no header is present', () => {
    expect(read({ 'X-Ratelimit-Remaining': '0' })).toBeNull();
  });

  // Regression: an empty Retryafter used to read as a 0 s delay instead of "no hint".
  it('returns null for an empty or blank header value', () => {
    expect(read({ 'X-Ratelimit-Retryafter': '' })).toBeNull();
    expect(read({ 'X-Ratelimit-Retryafter': '   ' })).toBeNull();
  });
});

describe('rateLimitRemaining', () => {
  it('reads the header case-insensitively', () => {
    expect(rateLimitRemaining({ 'x-ratelimit-remaining': '4' })).toBe(4);
  });

  it('returns null when absent or not a number', () => {
    expect(rateLimitRemaining({})).toBeNull();
    expect(rateLimitRemaining({ 'X-Ratelimit-Remaining': 'lots' })).toBeNull();
  });
});

describe('depthCapFromMessage', () => {
  it('reads the hosts wording "must be less than 10000" as a cap of 9999', () => {
    expect(depthCapFromMessage('limit + offset must be less than 10000')).toBe(9999);
  });

  it('reads the discover wording "less than or equal to 10000" as a cap of 10000', () => {
    expect(depthCapFromMessage('offset 10000 and limit 100 are invalid; offset + limit must be less than or equal to 10000')).toBe(10000);
  });

  it('reads the intel wording "must be less than 50000" as a cap of 49999', () => {
    expect(depthCapFromMessage('the sum of limit and offset params must be less than 50000')).toBe(49999);
  });

  it('returns null for messages that are not about the depth cap', () => {
    expect(depthCapFromMessage('Invalid filter: unknown field "foo"')).toBeNull();
    expect(depthCapFromMessage('')).toBeNull();
  });
});

describe('isExpiredContextMessage', () => {
  it("recognises Spotlight's expired-after message", () => {
    expect(isExpiredContextMessage("Search context expired, 'after' key no longer valid")).toBe(true);
  });

  it('does not flag unrelated messages', () => {
    expect(isExpiredContextMessage('access denied, invalid bearer token')).toBe(false);
  });
});

describe('parseJson', () => {
  it('parses JSON objects and arrays, leading whitespace allowed', () => {
    expect(parseJson('  {"meta":{},"resources":[]}')).toEqual({ ok: true, value: { meta: {}, resources: [] } });
    expect(parseJson('[1,2]')).toEqual({ ok: true, value: [1, 2] });
  });

  it('rejects an HTML error page', () => {
    expect(parseJson('<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>')).toEqual({ ok: false });
  });

  it('rejects truncated JSON, an empty body and bare JSON scalars', () => {
    expect(parseJson('{"meta":{')).toEqual({ ok: false });
    expect(parseJson('')).toEqual({ ok: false });
    expect(parseJson('"text"')).toEqual({ ok: false });
    expect(parseJson('null')).toEqual({ ok: false });
  });
});
