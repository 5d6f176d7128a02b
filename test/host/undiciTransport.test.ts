import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { undiciTransport } from '../../functions/host/undiciTransport.ts';

/** A server that answers at once and then drips its body, one byte every 50 ms, for as long as the client listens. */
let server: Server;
let url = '';
const timers = new Set<NodeJS.Timeout>();

beforeAll(async () => {
  server = createServer((_req, res) => {
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.write('{');
    const timer = setInterval(() => res.write(' '), 50);
    timers.add(timer);
    res.on('close', () => {
      clearInterval(timer);
      timers.delete(timer);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  url = `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}/`;
});

afterAll(async () => {
  for (const timer of timers) clearInterval(timer);
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('undiciTransport', () => {
  it('ends a request whose body drips slower than its timeout allows, although no single gap is that long', async () => {
    const { transport, close } = undiciTransport();
    try {
      const answer = await transport({ method: 'GET', url, headers: {}, body: null, timeoutMs: 300 });
      expect(answer).toEqual({ kind: 'error', code: 'timeout', message: 'no answer within the request timeout' });
    } finally {
      await close();
    }
  });
});
