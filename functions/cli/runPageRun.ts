import type { RunResult } from '../engine/EngineCommand.ts';
import type { EngineEvent } from '../engine/EngineEvent.ts';
import type { EngineState } from '../engine/EngineState.ts';
import type { HealthEvent, HealthRecord } from '../engine/HealthRecord.ts';
import type { RunInput } from '../engine/RunInput.ts';
import { step } from '../engine/step.ts';
import { performIo } from './performIo.ts';
import type { FalconAuth } from './FalconAuth.ts';
import type { Clock, Sleep, Transport } from './Transport.ts';

export interface PageRunHost {
  transport: Transport;
  clock: Clock;
  sleep: Sleep;
  auth: Pick<FalconAuth, 'bearer' | 'refresh' | 'baseUrl'>;
  /** Receives each page's records, the checkpoint that is valid once they are stored, and the run's health so far. */
  sink(items: unknown[], checkpoint: string, health: HealthRecord): Promise<void>;
  onEvent?(event: HealthEvent, health: HealthRecord): void;
}

/**
 * The Node host: performs the engine's commands and nothing else. Every decision (what to request,
 * when to wait, when to stop) is the engine's.
 */
export async function runPageRun(input: RunInput, host: PageRunHost): Promise<RunResult> {
  let state: EngineState | null = null;
  let event: EngineEvent = { kind: 'start', nowMs: host.clock.nowMs(), input };
  let reported = 0;
  for (;;) {
    const out = step(state, event);
    state = out.state;
    if (host.onEvent && state.health) {
      const timeline = state.health.timeline;
      // The timeline keeps its head and tail when it overflows; report what is new since the last step.
      const start = Math.min(reported, timeline.length);
      for (const e of timeline.slice(start)) host.onEvent(e, state.health);
      reported = timeline.length;
    }
    const command = out.command;
    switch (command.kind) {
      case 'done':
        return command.result;
      case 'http':
      case 'sleep':
      case 'authenticate':
        event = await performIo(command, host);
        break;
      case 'emit':
        await host.sink(command.items, command.checkpoint, state.health);
        event = { kind: 'emitted', nowMs: host.clock.nowMs() };
        break;
    }
  }
}
