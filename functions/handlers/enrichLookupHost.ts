import type { EngineEvent } from '../engine/EngineEvent.ts';
import type { EnrichResult } from '../engine/enrich/EnrichCommand.ts';
import type { EnrichInput } from '../engine/enrich/EnrichInput.ts';
import type { EnrichState } from '../engine/enrich/EnrichState.ts';
import { enrichStep } from '../engine/enrich/enrichStep.ts';
import { performIo } from '../cli/performIo.ts';
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
      case 'http':
      case 'sleep':
      case 'authenticate':
        event = await performIo(command, host);
        break;
    }
  }
}
