import type { RunResult } from './EngineCommand.ts';
import type { EngineEvent } from './EngineEvent.ts';
import type { EngineState } from './EngineState.ts';
import type { HealthRecord } from './HealthRecord.ts';
import { assertNever } from './assertNever.ts';
import { step } from './step.ts';
import { ioCommandOf, type IoCommand } from './Io.ts';

/** A page's records, and the checkpoint that becomes valid once the host has stored them. */
export interface EmitRequest {
  kind: 'emit';
  items: unknown[];
  checkpoint: string;
  bytes: number;
  health: HealthRecord;
}

export type PageRunYield = IoCommand | EmitRequest;

/**
 * One page run as a coroutine over `step`: it yields the engine's I/O commands and its emits, and returns
 * the run's result. Every host (the CLI, the function machine in Node and in the embedded engine) drives
 * the engine through this one loop. `observe` sees the health after every step (progress reporting).
 */
export function* pageRunSteps(input: unknown, nowMs: number, observe?: (health: HealthRecord) => void): Generator<PageRunYield, RunResult, EngineEvent> {
  let state: EngineState | null = null;
  let event: EngineEvent = { kind: 'start', nowMs, input };
  for (;;) {
    const out = step(state, event);
    state = out.state;
    if (observe && state.phase !== 'refused') observe(state.health);
    const command = out.command;
    switch (command.kind) {
      case 'done':
        return command.result;
      case 'http':
      case 'sleep':
      case 'authenticate':
        event = yield ioCommandOf(command);
        break;
      case 'emit':
        event = yield { kind: 'emit', items: command.items, checkpoint: command.checkpoint, bytes: command.bytes, health: state.health };
        break;
      default:
        return assertNever(command, 'engine command');
    }
  }
}
