import { assertNever } from '../assertNever.ts';
import type { EngineEvent } from '../EngineEvent.ts';
import { ioCommandOf, type Io } from '../Io.ts';
import type { EnrichResult } from './EnrichCommand.ts';
import type { EnrichState } from './EnrichState.ts';
import { enrichStep } from './enrichStep.ts';

/** The device lookup as a coroutine over `enrichStep`: it yields the machine's I/O and returns its result. */
export function* enrichSteps(input: unknown, nowMs: number): Io<EnrichResult> {
  let state: EnrichState | null = null;
  let event: EngineEvent = { kind: 'start', nowMs, input };
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
        event = yield ioCommandOf(command);
        break;
      default:
        return assertNever(command, 'lookup command');
    }
  }
}
