import { setupServer } from 'msw/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STREAMS } from '../../functions/falcon/streams.ts';
import { FalconSandbox } from '../../sandbox/FalconSandbox.ts';
import { sandboxHandlers } from '../../sandbox/handlers.ts';
import { SMALL_SIZES, tokenRequestBody, VirtualClock } from './sandboxKit.ts';

const sandbox = new FalconSandbox({ sizes: SMALL_SIZES, clock: new VirtualClock(), knobs: { resetRate: 0 } });
const flaky = new FalconSandbox({ sizes: SMALL_SIZES, clock: new VirtualClock(), knobs: { resetRate: 1 } });
const server = setupServer(...sandboxHandlers(sandbox));

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterAll(() => server.close());

describe('sandboxHandlers (in-process msw)', () => {
  it('answers fetch with the sandbox, body and headers intact', async () => {
    const tokenAnswer = await fetch('https://api.crowdstrike.com/oauth2/token', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: tokenRequestBody(sandbox),
    });
    expect(tokenAnswer.status).toBe(201);
    const { access_token: token } = (await tokenAnswer.json()) as { access_token: string };
    const answer = await fetch(`https://api.crowdstrike.com${STREAMS.alerts.path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ limit: 3, sort: 'created_timestamp|asc' }),
    });
    expect(answer.status).toBe(200);
    expect(answer.headers.get('X-Cs-Region')).toBe('us-1');
    expect(((await answer.json()) as { resources: unknown[] }).resources).toHaveLength(3);
  });

  it('turns a network-error into a failed fetch', async () => {
    server.use(...sandboxHandlers(flaky));
    await expect(fetch('https://api.crowdstrike.com/oauth2/token', { method: 'POST', body: tokenRequestBody(flaky) })).rejects.toThrow(TypeError);
    server.resetHandlers();
  });
});
