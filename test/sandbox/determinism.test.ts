import { describe, expect, it } from 'vitest';
import { STREAMS } from '../../functions/falcon/streams.ts';
import type { SandboxResponse } from '../../sandbox/FalconSandbox.ts';
import { BASE_URL, createHarness, tokenRequestBody } from './sandboxKit.ts';

/** A fixed script over every style, under chaos, with the clock advanced by each answer's latency. */
function run(seed: number): SandboxResponse[] {
  const { sandbox, clock } = createHarness({ profile: 'chaos', seed });
  const out: SandboxResponse[] = [];
  const send = (method: string, path: string, body?: string, token?: string): SandboxResponse => {
    const answer = sandbox.handle({
      method,
      url: `${BASE_URL}${path}`,
      headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
      ...(body === undefined ? {} : { body }),
    });
    clock.advance(answer.latencyMs + 500);
    out.push(answer);
    return answer;
  };
  let token = '';
  for (let i = 0; i < 4 && token === ''; i++) {
    const answer = send('POST', '/oauth2/token', tokenRequestBody(sandbox));
    if (answer.kind === 'http' && answer.status === 201) token = (JSON.parse(answer.body) as { access_token: string }).access_token;
  }
  for (let i = 0; i < 15; i++) {
    send('GET', `${STREAMS.hosts.path}?limit=20`, undefined, token);
    send('GET', `${STREAMS.iocs.path}?limit=20&offset=${i * 20}`, undefined, token);
    send('POST', STREAMS.alerts.path, JSON.stringify({ limit: 10, sort: 'created_timestamp|asc' }), token);
    send('GET', `${STREAMS.vulnerabilities.path}?limit=20&filter=status%3A%27open%27`, undefined, token);
    send('GET', `${STREAMS['intel-indicators'].path}?limit=20&offset=${i}`, undefined, token);
    send('POST', STREAMS.hosts.hydrate?.path ?? '', JSON.stringify({ ids: ['a', 'b'] }), token);
  }
  return out;
}

describe('determinism', () => {
  it('replays byte for byte from the same seed and request sequence', () => {
    expect(run(5)).toEqual(run(5));
  });

  it('differs with another seed', () => {
    expect(run(5)).not.toEqual(run(6));
  });
});
