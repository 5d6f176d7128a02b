import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { VirtualClock } from '../functions/host/VirtualClock.ts';
import type { FalconSandbox } from './FalconSandbox.ts';

/** The client clock of a virtual-time server: `GET` reads it, `POST .../sleep` with `{ "ms": N }` sleeps on it. */
export const SANDBOX_CLOCK_PATH = '/_sandbox/clock';

export interface SandboxServerOptions {
  sandbox: FalconSandbox;
  /** 0 picks an ephemeral port. @default 0 */
  port?: number;
  host?: '127.0.0.1';
  /**
   * Serve on virtual time: every answer advances this clock by its simulated latency, and clients that
   * cannot share the process (the Python function) read and sleep on it through SANDBOX_CLOCK_PATH.
   * The sandbox must have been built on the same clock. Without it the server runs on the real clock.
   */
  clock?: VirtualClock;
}

export interface SandboxServer {
  baseUrl: string;
  /** Serves another sandbox (and its clock) from now on, on the same port: one long-lived client, many scenarios. */
  replace(sandbox: FalconSandbox, clock?: VirtualClock): void;
  close(): Promise<void>;
}

/**
 * Serves the sandbox on a real loopback socket, so the undici and Python clients meet real connections:
 * a simulated reset or lost answer destroys the socket (the client sees the connection die).
 */
export async function startSandboxServer(options: SandboxServerOptions): Promise<SandboxServer> {
  const host = options.host ?? '127.0.0.1';
  let sandbox = options.sandbox;
  let clock = options.clock ?? null;
  let baseUrl = '';
  const server = createServer((req, res) => {
    serve(req, res).catch(() => {
      // A handler crash must not take the server down; the client sees a bare 500.
      if (!res.headersSent) res.writeHead(500, { 'Content-Length': '0' });
      res.end();
    });
  });

  async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = (req.method ?? 'GET').toUpperCase();
    const body = (await readBody(req)).toString('utf8');
    const path = req.url ?? '/';
    if (clock !== null && (path === SANDBOX_CLOCK_PATH || path === `${SANDBOX_CLOCK_PATH}/sleep`)) {
      serveClock(clock, method, path, body, res);
      return;
    }
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.headers)) if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
    const answer = sandbox.handle({
      method,
      url: new URL(path, baseUrl).toString(),
      headers,
      ...(method === 'GET' || method === 'HEAD' ? {} : { body }),
      // We are the edge: the socket's address identifies the client for the per-IP buckets.
      clientKey: req.socket.remoteAddress ?? 'unknown',
    });
    clock?.advance(answer.latencyMs);
    if (answer.kind === 'network-error') {
      switch (answer.code) {
        case 'reset':
        case 'timeout':
          // A `timeout` was processed, but over a socket it dies the same way: the client has sent its
          // request and sees the connection close without an answer, exactly the unknown-outcome case.
          // Holding the socket open until the client's timeout would only slow the tests down.
          req.socket.destroy();
          return;
      }
    }
    const payload = Buffer.from(answer.body, 'utf8');
    const out: Record<string, string> = {};
    for (const [name, value] of Object.entries(answer.headers)) out[canonicalHeaderName(name)] = value;
    out['Content-Length'] = String(payload.length);
    // The sandbox's Date header is the one that counts (it is the server clock clients must trust).
    res.sendDate = false;
    res.writeHead(answer.status, out);
    res.end(payload);
  }

  function serveClock(virtual: VirtualClock, method: string, path: string, body: string, res: ServerResponse): void {
    const reply = (status: number, value: unknown): void => {
      const payload = JSON.stringify(value);
      res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(payload)) });
      res.end(payload);
    };
    if (path.endsWith('/sleep')) {
      const ms = method === 'POST' ? (JSON.parse(body || '{}') as { ms?: unknown }).ms : undefined;
      if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0) return reply(400, { error: 'POST {"ms": <non-negative number>}' });
      virtual.advance(ms);
    }
    reply(200, { nowMs: virtual.nowMs() + sandbox.knobs.clientClockSkewMs });
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  baseUrl = `http://${host}:${port}`;
  return {
    baseUrl,
    replace(next, nextClock) {
      sandbox = next;
      clock = nextClock ?? null;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error === undefined ? resolve() : reject(error)));
      }),
  };
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Node lower-cases header names; Falcon writes them `X-Ratelimit-Remaining`, `X-Cs-Traceid`. */
function canonicalHeaderName(name: string): string {
  return name
    .split('-')
    .map((part) => (part === '' ? part : part[0]?.toUpperCase() + part.slice(1)))
    .join('-');
}
