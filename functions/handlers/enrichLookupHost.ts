import type { EngineEvent } from '../engine/EngineEvent.ts';
import type { EnrichResult } from '../engine/enrich/EnrichCommand.ts';
import type { EnrichInput } from '../engine/enrich/EnrichInput.ts';
import type { EnrichState } from '../engine/enrich/EnrichState.ts';
import { enrichStep } from '../engine/enrich/enrichStep.ts';
import type { FunctionHost } from './FunctionHost.ts';

/**
 * The device lookup's host: performs each command of the engine's lookup machine (HTTP, sleep,
 * re-authentication) and nothing else; every decision is the engine's.
 */
export async function runEnrichLookup(input: EnrichInput, host: Pick<FunctionHost, 'transport' | 'clock' | 'sleep' | 'auth'>): Promise<EnrichResult> {
  let state: EnrichState | null = null;
  let event: EngineEvent = { kind: 'start', nowMs: host.clock.nowMs(), input };
  for (;;) {
    const out = enrichStep(state, event);
    state = out.state;
    const command = out.command;
    switch (command.kind) {
      case 'done':
        return command.result;
      case 'http': {
        let bearer: string;
        try {
          bearer = await host.auth.bearer();
        } catch (error) {
          // A renewal that fails is a failed request as far as the engine is concerned: it retries or stops.
          event = { kind: 'http-error', nowMs: host.clock.nowMs(), code: 'network', message: error instanceof Error ? error.message : String(error) };
          break;
        }
        const answer = await host.transport({
          method: command.request.method,
          url: host.auth.baseUrl + command.request.path,
          headers: { ...command.request.headers, Authorization: `Bearer ${bearer}` },
          body: command.request.body,
          timeoutMs: command.timeoutMs,
        });
        const nowMs = host.clock.nowMs();
        event =
          answer.kind === 'response'
            ? { kind: 'http-response', nowMs, status: answer.status, headers: answer.headers, body: answer.body }
            : { kind: 'http-error', nowMs, code: answer.code, message: answer.message };
        break;
      }
      case 'sleep':
        await host.sleep(command.ms);
        event = { kind: 'slept', nowMs: host.clock.nowMs() };
        break;
      case 'authenticate': {
        const refreshed = await host.auth.refresh();
        event = refreshed.ok
          ? { kind: 'authenticated', nowMs: host.clock.nowMs(), ok: true }
          : { kind: 'authenticated', nowMs: host.clock.nowMs(), ok: false, retryable: refreshed.retryable, message: refreshed.message };
        break;
      }
    }
  }
}
