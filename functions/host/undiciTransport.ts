import { Agent, request } from 'undici';
import { TRANSPORT_MESSAGES, type Transport, type TransportResult } from './Transport.ts';

/**
 * Real HTTP through undici: keep-alive, no redirects (Falcon's intermittent redirects drop query
 * parameters, falconpy#1283; only the token request follows one, in FalconAuth).
 */
export function undiciTransport(): { transport: Transport; close(): Promise<void> } {
  const agent = new Agent({ keepAliveTimeout: 10_000, connections: 16 });
  const transport: Transport = async (req) => {
    try {
      // headersTimeout and bodyTimeout are idle timeouts: a body dripped one byte at a time never trips
      // them. The signal bounds the whole exchange, so a run's deadline holds whatever the server does.
      const res = await request(req.url, {
        method: req.method,
        headers: req.headers,
        body: req.body ?? undefined,
        dispatcher: agent,
        headersTimeout: req.timeoutMs,
        bodyTimeout: req.timeoutMs,
        signal: AbortSignal.timeout(req.timeoutMs),
      });
      const body = await res.body.text();
      const headers: Record<string, string> = {};
      for (const [key, value] of Object.entries(res.headers)) {
        if (value !== undefined) headers[key] = Array.isArray(value) ? value.join(', ') : value;
      }
      return { kind: 'response', status: res.statusCode, headers, body };
    } catch (error) {
      return classify(error);
    }
  };
  return { transport, close: () => agent.close() };
}

function classify(error: unknown): TransportResult {
  const code = typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : '';
  const message = error instanceof Error ? error.message : String(error);
  const name = error instanceof Error ? error.name : '';
  if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT' || code === 'UND_ERR_CONNECT_TIMEOUT' || name === 'TimeoutError' || code === 'UND_ERR_ABORTED') {
    return { kind: 'error', code: 'timeout', message: TRANSPORT_MESSAGES.timeout };
  }
  if (code === 'UND_ERR_SOCKET' || code === 'ECONNRESET' || code === 'EPIPE' || code === 'UND_ERR_CLOSED') {
    return { kind: 'error', code: 'reset', message: TRANSPORT_MESSAGES.reset };
  }
  return { kind: 'error', code: 'network', message: code ? `${code}: ${message}` : message };
}
