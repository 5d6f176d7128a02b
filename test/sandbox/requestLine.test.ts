import { describe, expect, it } from 'vitest';
import { asHttp, createHarness, get, issueToken } from './sandboxKit.ts';

// falcon-api.md §10.8: a long GET query string is refused by the gateway with an HTML page, not JSON.
describe('the gateway request-line limit', () => {
  it('answers an over-long GET with an nginx HTML 414 and serves one just under the limit', () => {
    const { sandbox } = createHarness({ knobs: { maxUrlBytes: 600 } });
    const token = issueToken(sandbox);
    const clause = (i: number) => `(created_timestamp:>='2026-10-0${i % 9}T00:00:00.000Z')`;
    const long = Array.from({ length: 20 }, (_, i) => clause(i)).join(',');
    const refused = asHttp(get(sandbox, token, '/alerts/queries/alerts/v2', { filter: long }));
    expect(refused.status).toBe(414);
    expect(refused.headers['Content-Type']).toBe('text/html');
    expect(refused.body).toContain('414 Request-URI Too Large');
    expect(() => JSON.parse(refused.body)).toThrow();
    const served = asHttp(get(sandbox, token, '/alerts/queries/alerts/v2', { filter: clause(1), limit: 10 }));
    expect(served.status).toBe(200);
  });
});
