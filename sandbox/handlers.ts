import { http, HttpResponse, type HttpHandler } from 'msw';
import type { FalconSandbox } from './FalconSandbox.ts';

/** Set by the loopback server from the socket's address; identifies the client for the per-IP buckets. */
const CLIENT_ADDRESS_HEADER = 'x-forwarded-for';

/**
 * msw handlers that answer every request from the sandbox, in-process (`setupServer`) or behind the
 * loopback server. A sandbox `network-error` becomes `HttpResponse.error()`, which the client sees as a
 * failed fetch and the loopback server turns into a reset connection.
 */
export function sandboxHandlers(sandbox: FalconSandbox): HttpHandler[] {
  return [
    http.all('*', async ({ request }) => {
      const method = request.method.toUpperCase();
      const body = method === 'GET' || method === 'HEAD' ? undefined : await request.text();
      const headers: Record<string, string> = {};
      request.headers.forEach((value, name) => {
        headers[name] = value;
      });
      const forwarded = request.headers.get(CLIENT_ADDRESS_HEADER)?.split(',')[0]?.trim();
      const response = sandbox.handle({
        method,
        url: request.url,
        headers,
        ...(body === undefined ? {} : { body }),
        ...(forwarded === undefined || forwarded === '' ? {} : { clientKey: forwarded }),
      });
      switch (response.kind) {
        case 'network-error':
          return HttpResponse.error();
        case 'http':
          return new HttpResponse(response.body === '' ? null : response.body, { status: response.status, headers: response.headers });
      }
    }),
  ];
}
