import type { FalconSandbox } from '../../sandbox/FalconSandbox.ts';
import { TRANSPORT_MESSAGES, type Transport } from './Transport.ts';
import type { VirtualClock } from './VirtualClock.ts';

/** The sandbox in-process: no sockets, and every answer takes its simulated latency on the virtual clock. */
export function sandboxTransport(sandbox: FalconSandbox, clock: VirtualClock, clientKey = 'default'): Transport {
  return async (req) => {
    const answer = sandbox.handle({
      method: req.method,
      url: req.url,
      headers: req.headers,
      ...(req.body !== null ? { body: req.body } : {}),
      clientKey,
    });
    clock.advance(answer.latencyMs);
    if (answer.kind === 'network-error') return { kind: 'error', code: 'reset', message: TRANSPORT_MESSAGES.reset };
    return { kind: 'response', status: answer.status, headers: answer.headers, body: answer.body };
  };
}
