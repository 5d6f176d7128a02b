import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getResponse } from 'msw';
import type { FalconSandbox } from './FalconSandbox.ts';
import { sandboxHandlers } from './handlers.ts';

export interface SandboxServerOptions {
  sandbox: FalconSandbox;
  /** 0 picks an ephemeral port. @default 0 */
  port?: number;
  host?: '127.0.0.1';
}

export interface SandboxServer {
  baseUrl: string;
  close(): Promise<void>;
}

/**
 * Serves the msw sandbox handlers on a real loopback socket, so the undici and Go clients meet real
 * connections: a `Response.error()` from the handlers destroys the socket (the client sees a reset).
 */
export async function startSandboxServer(options: SandboxServerOptions): Promise<SandboxServer> {
  const host = options.host ?? '127.0.0.1';
  const handlers = sandboxHandlers(options.sandbox);
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
    const body = await readBody(req);
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) {
      if (value === undefined) continue;
      for (const v of Array.isArray(value) ? value : [value]) headers.append(name, v);
    }
    // We are the edge: the client's address replaces whatever it claimed.
    headers.set('x-forwarded-for', req.socket.remoteAddress ?? 'unknown');
    const hasBody = method !== 'GET' && method !== 'HEAD';
    const request = new Request(new URL(req.url ?? '/', baseUrl), { method, headers, ...(hasBody ? { body } : {}) });
    const response = await getResponse(handlers, request);
    if (response === undefined || response.type === 'error') {
      req.socket.destroy();
      return;
    }
    const payload = Buffer.from(await response.arrayBuffer());
    const out: Record<string, string> = {};
    response.headers.forEach((value, name) => {
      out[canonicalHeaderName(name)] = value;
    });
    out['Content-Length'] = String(payload.length);
    // The sandbox's Date header is the one that counts (it is the server clock clients must trust).
    res.sendDate = false;
    res.writeHead(response.status, out);
    res.end(payload);
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

/** Fetch lower-cases header names; Falcon writes them `X-Ratelimit-Remaining`, `X-Cs-Traceid`. */
function canonicalHeaderName(name: string): string {
  return name
    .split('-')
    .map((part) => (part === '' ? part : part[0]?.toUpperCase() + part.slice(1)))
    .join('-');
}
