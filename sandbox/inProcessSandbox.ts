import { FalconSandbox, type SandboxOptions } from './FalconSandbox.ts';
import { FalconAuth } from '../functions/host/FalconAuth.ts';
import { sandboxTransport } from '../functions/host/sandboxTransport.ts';
import type { Clock, Transport } from '../functions/host/Transport.ts';
import { VirtualClock, skewedClock } from '../functions/host/VirtualClock.ts';

/** Where virtual time starts for every in-process sandbox, so the same seed gives the same data. */
export const SANDBOX_EPOCH_MS = Date.UTC(2026, 10, 1, 12);

export interface InProcessSandbox {
  sandbox: FalconSandbox;
  /** The server's clock; sleeping on it advances virtual time. */
  clock: VirtualClock;
  /** The client's clock: the server's, offset by the profile's clock skew. */
  clientClock: Clock;
  transport: Transport;
  auth: FalconAuth;
}

/** The sandbox in this process on a virtual clock, with a client wired to it as the CLI would be. */
export function inProcessSandbox(options: Omit<SandboxOptions, 'clock'>): InProcessSandbox {
  const clock = new VirtualClock(SANDBOX_EPOCH_MS);
  const sandbox = new FalconSandbox({ ...options, clock });
  const clientClock = skewedClock(clock, sandbox.knobs.clientClockSkewMs);
  const transport = sandboxTransport(sandbox, clock);
  const auth = new FalconAuth({ transport, clock: clientClock, credentials: sandbox.credentials, baseUrl: 'http://sandbox.falcon.test', sleep: clock.sleep });
  return { sandbox, clock, clientClock, transport, auth };
}
