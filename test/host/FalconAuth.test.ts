import { describe, expect, it } from 'vitest';
import { AuthError, FalconAuth } from '../../functions/host/FalconAuth.ts';
import type { Transport, TransportRequest, TransportResult } from '../../functions/host/Transport.ts';
import { VirtualClock } from '../../functions/host/VirtualClock.ts';

const SECRET = 's3cr3t-value-never-printed';

function scripted(answers: TransportResult[]): { transport: Transport; requests: TransportRequest[] } {
  const requests: TransportRequest[] = [];
  return {
    requests,
    transport: async (request) => {
      requests.push(request);
      const answer = answers.shift();
      if (!answer) throw new Error('no scripted answer left');
      return answer;
    },
  };
}

const token = (value: string): TransportResult => ({
  kind: 'response',
  status: 201,
  headers: { 'Content-Type': 'application/json', 'X-Cs-Region': 'us-1' },
  body: JSON.stringify({ access_token: value, token_type: 'bearer', expires_in: 1799 }),
});

/** Waits between token attempts, taken on a virtual clock: no test sleeps. */
const waited: number[] = [];

function auth(transport: Transport, clock = new VirtualClock(0)): FalconAuth {
  return new FalconAuth({
    transport,
    clock,
    credentials: { clientId: 'client-1', clientSecret: SECRET, memberCid: 'child' },
    baseUrl: 'https://api.crowdstrike.com/',
    sleep: async (ms) => {
      waited.push(ms);
      clock.advance(ms);
    },
  });
}

describe('FalconAuth', () => {
  it('posts form-encoded client credentials with member_cid and caches the token until close to expiry', async () => {
    const clock = new VirtualClock(0);
    const { transport, requests } = scripted([token('t1'), token('t2')]);
    const a = auth(transport, clock);
    expect(await a.bearer()).toBe('t1');
    clock.advance(1_500_000);
    expect(await a.bearer()).toBe('t1');
    clock.advance(200_000);
    expect(await a.bearer()).toBe('t2');
    expect(requests).toHaveLength(2);
    const form = new URLSearchParams(requests[0]?.body ?? '');
    expect(requests[0]?.url).toBe('https://api.crowdstrike.com/oauth2/token');
    expect(requests[0]?.headers['Content-Type']).toBe('application/x-www-form-urlencoded');
    expect([form.get('client_id'), form.get('client_secret'), form.get('member_cid')]).toEqual(['client-1', SECRET, 'child']);
  });

  it('follows a 308 to the client cloud and keeps using that cloud', async () => {
    const { transport, requests } = scripted([
      { kind: 'response', status: 308, headers: { Location: 'https://api.us-2.crowdstrike.com/oauth2/token', 'X-Cs-Region': 'us-2' }, body: '' },
      token('t1'),
    ]);
    const a = auth(transport);
    expect(await a.bearer()).toBe('t1');
    expect(requests[1]?.url).toBe('https://api.us-2.crowdstrike.com/oauth2/token');
    expect(a.baseUrl).toBe('https://api.us-2.crowdstrike.com');
  });

  it('uses X-Cs-Region when a redirect has no Location', async () => {
    const { transport } = scripted([{ kind: 'response', status: 308, headers: { 'x-cs-region': 'eu-1' }, body: '' }, token('t1')]);
    const a = auth(transport);
    await a.bearer();
    expect(a.baseUrl).toBe('https://api.eu-1.crowdstrike.com');
  });

  it('refuses wrong credentials with a message that never contains the secret', async () => {
    const body = JSON.stringify({ meta: {}, errors: [{ code: 403, message: 'Failed to issue access token - Client authentication failed' }] });
    const { transport } = scripted([{ kind: 'response', status: 403, headers: {}, body }]);
    const error = await auth(transport).bearer().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthError);
    expect((error as AuthError).code).toBe('AUTH_REJECTED');
    expect((error as AuthError).message).toContain('Client authentication failed');
    expect((error as AuthError).message).not.toContain(SECRET);
  });

  it('shares one token request between concurrent callers', async () => {
    const { transport, requests } = scripted([token('t1')]);
    const a = auth(transport);
    expect(await Promise.all([a.bearer(), a.bearer(), a.bearer()])).toEqual(['t1', 't1', 't1']);
    expect(requests).toHaveLength(1);
  });

  it('reports a failing token endpoint as retryable and bad credentials as not', async () => {
    const reset: TransportResult = { kind: 'error', code: 'reset', message: 'socket hang up' };
    waited.length = 0;
    const down = auth(scripted([reset, reset, reset, reset]).transport);
    expect(await down.refresh()).toMatchObject({ ok: false, retryable: true });
    expect(waited).toEqual([1000, 2000, 4000]);
    const refused = auth(scripted([{ kind: 'response', status: 400, headers: {}, body: '{}' }]).transport);
    expect(await refused.refresh()).toMatchObject({ ok: false, retryable: false });
  });

  it('tries the token request again after a reset, a 503 or a 429, as API calls are (one 503 used to end the run)', async () => {
    waited.length = 0;
    const unavailable: TransportResult = { kind: 'response', status: 503, headers: {}, body: '{"errors":[{"code":503,"message":"Service Unavailable"}]}' };
    const busy: TransportResult = { kind: 'response', status: 429, headers: {}, body: '' };
    const { transport, requests } = scripted([unavailable, busy, token('fresh')]);
    expect(await auth(transport).bearer()).toBe('fresh');
    expect(requests).toHaveLength(3);
    expect(waited).toEqual([1000, 2000]);
  });

  it('does not retry refused credentials or an endpoint that is not there', async () => {
    for (const status of [401, 403, 404]) {
      const { transport, requests } = scripted([{ kind: 'response', status, headers: {}, body: '{}' }]);
      await auth(transport).bearer().catch(() => undefined);
      expect(requests, String(status)).toHaveLength(1);
    }
  });

  it('gives up after three redirects', async () => {
    const redirect: TransportResult = { kind: 'response', status: 308, headers: { Location: 'https://api.us-2.crowdstrike.com/oauth2/token' }, body: '' };
    const error = await auth(scripted([redirect, redirect, redirect]).transport).bearer().catch((e: unknown) => e);
    expect((error as AuthError).code).toBe('AUTH_REDIRECT_LOOP');
  });
});

describe('FalconAuth token redirects', () => {
  const redirect = (location: string | null, region: string | null = null): TransportResult => ({
    kind: 'response',
    status: 308,
    headers: { ...(location ? { Location: location } : {}), ...(region ? { 'X-Cs-Region': region } : {}) },
    body: '',
  });

  it.each([
    ['a Falcon cloud by Location', redirect('https://api.us-2.crowdstrike.com/oauth2/token'), 'https://api.us-2.crowdstrike.com'],
    ['a Falcon cloud by X-Cs-Region', redirect(null, 'eu-1'), 'https://api.eu-1.crowdstrike.com'],
    ['the configured origin itself', redirect('https://api.crowdstrike.com/oauth2/token?x=1'), 'https://api.crowdstrike.com'],
  ])('follows %s and posts the secret there', async (_label, answer, origin) => {
    const { transport, requests } = scripted([answer, token('tok')]);
    const client = auth(transport);
    expect(await client.bearer()).toBe('tok');
    expect(requests[1]?.url).toBe(`${origin}/oauth2/token`);
    expect(client.baseUrl).toBe(origin);
  });

  it.each([
    ['another host', 'https://evil.example/oauth2/token'],
    ['a Falcon host over plain http', 'http://api.us-2.crowdstrike.com/oauth2/token'],
    ['a look-alike host', 'https://api.us-2.crowdstrike.com.evil.example/oauth2/token'],
    ['a loopback listener', 'http://127.0.0.1:8793/oauth2/token'],
  ])('refuses a redirect to %s without sending the secret again', async (_label, location) => {
    const { transport, requests } = scripted([redirect(location)]);
    const client = auth(transport);
    const error = await client.bearer().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthError);
    expect((error as AuthError).code).toBe('AUTH_REDIRECT_REFUSED');
    expect((error as AuthError).message).not.toContain(SECRET);
    expect(requests).toHaveLength(1);
    expect(client.baseUrl).toBe('https://api.crowdstrike.com');
  });
});
