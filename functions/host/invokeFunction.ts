import { randomBytes } from 'node:crypto';
import { startFunction } from '../handlers/functionMachine.ts';
import type { FunctionResponse } from '../handlers/FunctionResponse.ts';
import type { FalconAuth } from './FalconAuth.ts';
import { performIo, type IoHost } from './performIo.ts';

/** The part of the FDK request envelope the function machine reads (foundry-platform.md §1.2). */
export interface FunctionEnvelope {
  method: string;
  url: string;
  body: unknown;
  params?: { header?: Record<string, string[]>; query?: Record<string, string[]> };
}

export interface NodeFunctionHost extends IoHost {
  /** Sent as X-CS-APP-ID on custom storage calls (a local run's APP_ID). */
  appId: string;
  /** 256 random bits per invocation. @default crypto.randomBytes */
  entropy?: () => string;
}

/**
 * Runs one invocation of the function machine on Node, as the Python host runs it in QuickJS: the machine
 * decides, this loop performs its I/O against the host's API origin, and nothing else.
 */
export async function invokeFunction(envelope: FunctionEnvelope, host: NodeFunctionHost): Promise<FunctionResponse> {
  const entropy = host.entropy?.() ?? randomBytes(32).toString('hex');
  const machine = startFunction({ nowMs: host.clock.nowMs(), envelope, host: { apiBaseUrl: host.auth.baseUrl, appId: host.appId, entropy } });
  let next = machine.first;
  while (next.kind === 'io') next = machine.resume(await performIo(next.command, host));
  return next.response;
}

/** Foundry's per-invocation token: a 401 cannot be cured inside the function, so the engine stops with a checkpoint. */
export function foundryToken(token: string, baseUrl: string): Pick<FalconAuth, 'bearer' | 'refresh' | 'baseUrl'> {
  return {
    baseUrl,
    bearer: () => Promise.resolve(token),
    refresh: () => Promise.resolve({ ok: false, retryable: false, message: 'the access token of a Foundry function invocation cannot be refreshed' }),
  };
}
