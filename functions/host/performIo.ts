import type { EngineEvent } from '../engine/EngineEvent.ts';
import type { IoCommand } from '../engine/Io.ts';
import { originOf } from '../falcon/readResponse.ts';
import type { FalconAuth } from './FalconAuth.ts';
import type { Clock, Sleep, Transport } from './Transport.ts';
import { assertNever } from '../engine/assertNever.ts';

export interface IoHost {
  transport: Transport;
  clock: Clock;
  sleep: Sleep;
  auth: Pick<FalconAuth, 'bearer' | 'refresh' | 'baseUrl'>;
}

/** `base + path` when that stays on the base's origin (one leading slash, no authority tricks), else null. */
export function apiUrl(baseUrl: string, path: string): string | null {
  if (!path.startsWith('/') || path.startsWith('//') || path.includes('\\')) return null;
  const url = baseUrl.replace(/\/+$/, '') + path;
  return originOf(url) === originOf(baseUrl) ? url : null;
}

/** Performs one I/O command and returns the event that reports its outcome; no decision is made here. */
export async function performIo(command: IoCommand, host: IoHost): Promise<EngineEvent> {
  switch (command.kind) {
    case 'http': {
      const url = apiUrl(host.auth.baseUrl, command.request.path);
      if (url === null) {
        // Whatever the engine asks, the bearer token goes to the API origin only ('.evil.example/x', '@host/x').
        return { kind: 'http-error', nowMs: host.clock.nowMs(), code: 'network', message: 'refused: the request would leave the Falcon API origin' };
      }
      let bearer: string;
      try {
        bearer = await host.auth.bearer();
      } catch (error) {
        // A renewal that fails is a failed request as far as the engine is concerned: it retries or stops.
        return { kind: 'http-error', nowMs: host.clock.nowMs(), code: 'network', message: error instanceof Error ? error.message : String(error) };
      }
      const answer = await host.transport({
        method: command.request.method,
        url,
        headers: { ...command.request.headers, Authorization: `Bearer ${bearer}` },
        body: command.request.body,
        timeoutMs: command.timeoutMs,
      });
      const nowMs = host.clock.nowMs();
      return answer.kind === 'response'
        ? { kind: 'http-response', nowMs, status: answer.status, headers: answer.headers, body: answer.body }
        : { kind: 'http-error', nowMs, code: answer.code, message: answer.message };
    }
    case 'sleep':
      await host.sleep(command.ms);
      return { kind: 'slept', nowMs: host.clock.nowMs() };
    case 'authenticate': {
      const refreshed = await host.auth.refresh();
      return refreshed.ok
        ? { kind: 'authenticated', nowMs: host.clock.nowMs(), ok: true }
        : { kind: 'authenticated', nowMs: host.clock.nowMs(), ok: false, retryable: refreshed.retryable, message: refreshed.message };
    }
    default:
      return assertNever(command, 'I/O command');
  }
}
