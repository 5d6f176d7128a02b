import { describe, expect, it } from 'vitest';
import { STREAMS } from '../../functions/falcon/streams.ts';
import { asHttp, BASE_URL, createHarness, envelopeOf, get, issueToken, tokenRequestBody } from './sandboxKit.ts';

const ALERT_IDS = STREAMS['alert-ids'].path;

describe('POST /oauth2/token', () => {
  it('answers 201 with a bearer token that lasts 1799 s on paper', () => {
    const { sandbox } = createHarness();
    const answer = asHttp(sandbox.handle({ method: 'POST', url: `${BASE_URL}/oauth2/token`, headers: {}, body: tokenRequestBody(sandbox) }));
    expect(answer.status).toBe(201);
    const body = JSON.parse(answer.body) as Record<string, unknown>;
    expect(Object.keys(body)).toEqual(['access_token', 'token_type', 'expires_in']);
    expect(body).toMatchObject({ token_type: 'bearer', expires_in: 1799 });
    expect(answer.headers['X-Cs-Region']).toBe('us-1');
    expect(answer.headers['X-Ratelimit-Limit']).toBe('300');
    expect(sandbox.issuedAccessTokens()).toEqual([body['access_token']]);
  });

  it('answers 403 csam with the 2025 text to a wrong secret', () => {
    const { sandbox } = createHarness();
    const body = new URLSearchParams({ client_id: sandbox.credentials.clientId, client_secret: 'wrong' }).toString();
    const answer = sandbox.handle({ method: 'POST', url: `${BASE_URL}/oauth2/token`, headers: {}, body });
    expect(asHttp(answer).status).toBe(403);
    const envelope = envelopeOf(answer);
    expect(envelope.meta.powered_by).toBe('csam');
    expect(envelope.errors).toEqual([
      {
        code: 403,
        message:
          'Failed to issue access token - Client authentication failed (e.g., unknown client, no client authentication included, or unsupported authentication method)',
      },
    ]);
  });

  it('answers 400 to a request without a secret, naming the client id', () => {
    const { sandbox } = createHarness();
    const answer = sandbox.handle({ method: 'POST', url: `${BASE_URL}/oauth2/token`, headers: {}, body: 'client_id=abc' });
    expect(asHttp(answer).status).toBe(400);
    expect(envelopeOf(answer).errors).toEqual([{ code: 400, message: 'Failed to generate access token for clientID=abc.' }]);
  });

  it('accepts member_cid', () => {
    const { sandbox } = createHarness();
    const body = `${tokenRequestBody(sandbox)}&member_cid=ABCDEF0123456789ABCDEF0123456789`;
    expect(asHttp(sandbox.handle({ method: 'POST', url: `${BASE_URL}/oauth2/token`, headers: {}, body })).status).toBe(201);
  });

  it('redirects the first request of each client to its region (region-redirect)', () => {
    const { sandbox } = createHarness({ profile: 'region-redirect' });
    const first = asHttp(sandbox.handle({ method: 'POST', url: `${BASE_URL}/oauth2/token`, headers: {}, body: tokenRequestBody(sandbox) }));
    expect(first.status).toBe(308);
    expect(first.body).toBe('');
    expect(first.headers['Location']).toBe(`${BASE_URL}/oauth2/token`);
    expect(first.headers['X-Cs-Region']).toBe('us-2');
    expect(first.headers['Content-Type']).toBeUndefined();
    const second = asHttp(sandbox.handle({ method: 'POST', url: `${BASE_URL}/oauth2/token`, headers: {}, body: tokenRequestBody(sandbox) }));
    expect(second.status).toBe(201);
  });
});

describe('bearer tokens', () => {
  it('answers 401 from the gateway without resources and with the 15/min bucket', () => {
    const { sandbox } = createHarness();
    for (const token of [null, 'not-a-token']) {
      const answer = get(sandbox, token, ALERT_IDS);
      expect(asHttp(answer).status).toBe(401);
      const body = JSON.parse(asHttp(answer).body) as Record<string, unknown>;
      expect(Object.keys(body)).toEqual(['meta', 'errors']);
      expect(envelopeOf(answer).meta.powered_by).toBe('crowdstrike-api-gateway');
      expect(envelopeOf(answer).errors).toEqual([{ code: 401, message: 'access denied, invalid bearer token' }]);
      expect(asHttp(answer).headers['X-Ratelimit-Limit']).toBe('15');
    }
  });

  it('limits calls without a valid token to 15 per minute per client key', () => {
    const { sandbox } = createHarness();
    const statuses = Array.from({ length: 16 }, () => asHttp(get(sandbox, 'bad', ALERT_IDS)).status);
    expect(statuses.slice(0, 15).every((s) => s === 401)).toBe(true);
    expect(statuses[15]).toBe(429);
    const other = sandbox.handle({ method: 'GET', url: `${BASE_URL}${ALERT_IDS}`, headers: {}, clientKey: '10.0.0.2' });
    expect(asHttp(other).status).toBe(401);
  });

  it('stops accepting a token at the end of its server-side lifetime', () => {
    const { sandbox, clock } = createHarness();
    const token = issueToken(sandbox);
    clock.advance(1_798_999);
    expect(asHttp(get(sandbox, token, ALERT_IDS)).status).toBe(200);
    clock.advance(1);
    expect(asHttp(get(sandbox, token, ALERT_IDS)).status).toBe(401);
  });

  it('kills tokens 1 s after issue under auth-expiry, although expires_in says 1799', () => {
    const { sandbox, clock } = createHarness({ profile: 'auth-expiry' });
    const answer = asHttp(sandbox.handle({ method: 'POST', url: `${BASE_URL}/oauth2/token`, headers: {}, body: tokenRequestBody(sandbox) }));
    const { access_token: token, expires_in: expiresIn } = JSON.parse(answer.body) as { access_token: string; expires_in: number };
    expect(expiresIn).toBe(1799);
    clock.advance(999);
    expect(asHttp(get(sandbox, token, ALERT_IDS)).status).toBe(200);
    clock.advance(1);
    expect(asHttp(get(sandbox, token, ALERT_IDS)).status).toBe(401);
  });

  it('answers 403 authorization failed for a stream whose scope is missing', () => {
    const { sandbox } = createHarness({ knobs: { deniedStreams: ['alert-ids'] } });
    const token = issueToken(sandbox);
    const denied = get(sandbox, token, ALERT_IDS);
    expect(asHttp(denied).status).toBe(403);
    expect(envelopeOf(denied).errors).toEqual([{ code: 403, message: 'access denied, authorization failed' }]);
    const hydratePath = STREAMS['alert-ids'].hydrate?.path ?? '';
    const hydrate = sandbox.handle({ method: 'POST', url: `${BASE_URL}${hydratePath}`, headers: { authorization: `Bearer ${token}` }, body: '{"composite_ids":["x"]}' });
    expect(asHttp(hydrate).status).toBe(403);
    expect(asHttp(get(sandbox, token, STREAMS.iocs.path)).status).toBe(200);
  });
});

describe('POST /oauth2/revoke', () => {
  const basic = (id: string, secret: string): string => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;

  it('revokes with Basic auth and answers 200; the token is dead afterwards', () => {
    const { sandbox } = createHarness();
    const token = issueToken(sandbox);
    const { clientId, clientSecret } = sandbox.credentials;
    const answer = sandbox.handle({
      method: 'POST',
      url: `${BASE_URL}/oauth2/revoke`,
      headers: { Authorization: basic(clientId, clientSecret) },
      body: new URLSearchParams({ token }).toString(),
    });
    expect(asHttp(answer).status).toBe(200);
    expect(envelopeOf(answer).errors).toEqual([]);
    expect(asHttp(get(sandbox, token, ALERT_IDS)).status).toBe(401);
  });

  it('refuses bad Basic credentials', () => {
    const { sandbox } = createHarness();
    const token = issueToken(sandbox);
    const answer = sandbox.handle({
      method: 'POST',
      url: `${BASE_URL}/oauth2/revoke`,
      headers: { authorization: basic(sandbox.credentials.clientId, 'nope') },
      body: `token=${token}`,
    });
    expect(asHttp(answer).status).toBe(403);
    expect(asHttp(get(sandbox, token, ALERT_IDS)).status).toBe(200);
  });
});

describe('routing', () => {
  it('answers unknown paths with a 404 envelope and wrong methods with 405', () => {
    const { sandbox } = createHarness();
    const missing = get(sandbox, null, '/nope/v1');
    expect(asHttp(missing).status).toBe(404);
    expect(envelopeOf(missing).errors?.[0]?.code).toBe(404);
    expect(asHttp(sandbox.handle({ method: 'DELETE', url: `${BASE_URL}${ALERT_IDS}`, headers: {} })).status).toBe(405);
  });
});
