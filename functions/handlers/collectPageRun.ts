import type { RunResult } from '../engine/EngineCommand.ts';
import type { EngineError } from '../engine/EngineError.ts';
import type { SinkReport } from '../engine/EngineEvent.ts';
import type { Io } from '../engine/Io.ts';
import { pageRunSteps, type EmitRequest } from '../engine/pageRunSteps.ts';
import type { RunInput } from '../engine/RunInput.ts';
import type { FunctionContext } from './FunctionContext.ts';

/** Whether a page's records were stored, and what storing them took when a sink call did it. */
export type Delivery = { ok: true; sink?: SinkReport } | { ok: false; error: EngineError; sink?: SinkReport };

/**
 * A page run inside a handler: the engine's I/O goes out to the host, and each emitted page goes to
 * `deliver` (kept in memory for the response, or ingested into LogScale with I/O of its own). The engine
 * hears whether it was stored: only then does the page's checkpoint become the run's.
 */
export function* collectPageRun(input: RunInput, context: FunctionContext, deliver: (page: EmitRequest) => Io<Delivery>): Io<RunResult> {
  const run = pageRunSteps(input, context.nowMs());
  let next = run.next();
  while (!next.done) {
    const command = next.value;
    if (command.kind === 'emit') {
      const delivery = yield* deliver(command);
      const sink = delivery.sink === undefined ? {} : { sink: delivery.sink };
      next = run.next(delivery.ok ? { kind: 'emitted', nowMs: context.nowMs(), ...sink } : { kind: 'emit-failed', nowMs: context.nowMs(), error: delivery.error, ...sink });
    } else {
      next = run.next(yield command);
    }
  }
  return next.value;
}
