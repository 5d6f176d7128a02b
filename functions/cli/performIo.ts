import type { EngineEvent } from '../engine/EngineEvent.ts';
import type { IoCommand } from '../engine/Io.ts';
import type { FalconAuth } from './FalconAuth.ts';
import type { Clock, Sleep, Transport } from './Transport.ts';

export interface IoHost {
  transport: Transport;
  clock: Clock;
  sleep: Sleep;
  auth: Pick<FalconAuth, 'bearer' | 'refresh' | 'baseUrl'>;
}

/** Performs one I/O command and returns the event that reports its outcome; no decision is made here. */
export async function performIo(command: IoCommand, host: IoHost): Promise<EngineEvent> {
  switch (command.kind) {
    case 'http': {
      let bearer: string;
      try {
        bearer = await host.auth.bearer();
      } catch (error) {
        // A renewal that fails is a failed request as far as the engine is concerned: it retries or stops.
        return { kind: 'http-error', nowMs: host.clock.nowMs(), code: 'network', message: error instanceof Error ? error.message : String(error) };
      }
      const answer = await host.transport({
        method: command.request.method,
        url: host.auth.baseUrl + command.request.path,
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
  }
}
