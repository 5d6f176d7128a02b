import { request as httpRequest } from 'node:http';
import { request } from 'undici';
import { afterAll, describe, expect, it } from 'vitest';
import { envelopeSchema } from '../../functions/falcon/envelope.ts';
import { STREAMS } from '../../functions/falcon/streams.ts';
import { FalconSandbox } from '../../sandbox/FalconSandbox.ts';
import { startSandboxServer, type SandboxServer } from '../../sandbox/server.ts';
import { SMALL_SIZES, tokenRequestBody } from './sandboxKit.ts';

const servers: SandboxServer[] = [];
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

async function start(sandbox: FalconSandbox): Promise<SandboxServer> {
  const server = await startSandboxServer({ sandbox, port: 0 });
  servers.push(server);
  return server;
}

function rawHeaderNames(url: string): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: 'GET' }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.rawHeaders.filter((_, i) => i % 2 === 0)));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('startSandboxServer (real loopback socket)', () => {
  it('issues a token and serves a page over undici', async () => {
    const sandbox = new FalconSandbox({ sizes: SMALL_SIZES });
    const { baseUrl } = await start(sandbox);
    expect(baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);

    const tokenAnswer = await request(`${baseUrl}/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: tokenRequestBody(sandbox),
    });
    expect(tokenAnswer.statusCode).toBe(201);
    expect(tokenAnswer.headers['x-cs-region']).toBe('us-1');
    const { access_token: token } = (await tokenAnswer.body.json()) as { access_token: string };

    const page = await request(`${baseUrl}${STREAMS['alert-ids'].path}?limit=25`, { headers: { authorization: `Bearer ${token}` } });
    expect(page.statusCode).toBe(200);
    expect(page.headers['x-ratelimit-limit']).toBe('6000');
    const envelope = envelopeSchema.parse(await page.body.json());
    expect(envelope.resources).toHaveLength(25);
    expect(page.headers['x-cs-traceid']).toBe(envelope.meta.trace_id);
    expect(sandbox.stats().byPath[STREAMS['alert-ids'].path]).toBe(1);
  });

  it('keeps Falcon header casing on the wire', async () => {
    const { baseUrl } = await start(new FalconSandbox({ sizes: SMALL_SIZES }));
    const names = await rawHeaderNames(`${baseUrl}${STREAMS['alert-ids'].path}`);
    expect(names).toEqual(expect.arrayContaining(['Content-Type', 'Date', 'Server', 'X-Cs-Region', 'X-Cs-Traceid', 'X-Ratelimit-Limit', 'X-Ratelimit-Remaining']));
  });

  it('resets the connection on a network-error fault, and answers on the 4th attempt', async () => {
    const sandbox = new FalconSandbox({ sizes: SMALL_SIZES, knobs: { resetRate: 1 } });
    const { baseUrl } = await start(sandbox);
    const url = `${baseUrl}/oauth2/token`;
    const attempt = (): ReturnType<typeof request> =>
      request(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: tokenRequestBody(sandbox) });
    for (let i = 0; i < 3; i++) await expect(attempt()).rejects.toThrow(/other side closed|socket|ECONNRESET/i);
    const answer = await attempt();
    expect(answer.statusCode).toBe(201);
    await answer.body.dump();
  });
});
