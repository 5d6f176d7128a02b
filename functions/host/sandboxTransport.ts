import type { FalconSandbox } from '../../sandbox/FalconSandbox.ts';
import { TRANSPORT_MESSAGES, type Transport } from './Transport.ts';
import type { VirtualClock } from './VirtualClock.ts';
import { assertNever } from '../engine/assertNever.ts';

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
    switch (answer.kind) {
      case 'network-error':
        // The sandbox's `timeout` was processed with no answer back: what a client sees as its own timeout.
        return { kind: 'error', code: answer.code, message: TRANSPORT_MESSAGES[answer.code] };
      case 'http':
        return { kind: 'response', status: answer.status, headers: answer.headers, body: answer.body };
      default:
        return assertNever(answer, 'sandbox answer');
    }
  };
}
