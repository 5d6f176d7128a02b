import type { RunResult } from '../engine/EngineCommand.ts';
import type { Io } from '../engine/Io.ts';
import { pageRunSteps } from '../engine/pageRunSteps.ts';
import type { RunInput } from '../engine/RunInput.ts';
import type { FunctionContext } from './FunctionContext.ts';

/**
 * A page run inside a handler: the engine's I/O goes out to the host, its emits stay here and reach
 * `onItems` (the handler keeps the records in memory for its response, so storing them takes no time).
 */
export function* collectPageRun(input: RunInput, context: FunctionContext, onItems: (items: unknown[], checkpoint: string) => void): Io<RunResult> {
  const run = pageRunSteps(input, context.nowMs());
  let next = run.next();
  while (!next.done) {
    const command = next.value;
    if (command.kind === 'emit') {
      onItems(command.items, command.checkpoint);
      next = run.next({ kind: 'emitted', nowMs: context.nowMs() });
    } else {
      next = run.next(yield command);
    }
  }
  return next.value;
}
