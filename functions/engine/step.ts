import { answersLastCommand, handleEvent } from './core/handleEvent.ts';
import { firstEventError, protocolMisuse } from './core/machineErrors.ts';
import type { EngineEvent } from './EngineEvent.ts';
import type { EngineState } from './EngineState.ts';
import { draftRun } from './pageRun/draftRun.ts';
import { fail } from './pageRun/endRun.ts';
import { PAGE_RUN } from './pageRun/pageRunMachine.ts';
import { refuseRun } from './pageRun/refuseRun.ts';
import { startRun } from './pageRun/startRun.ts';
import type { StepOutput } from './StepOutput.ts';

export type { StepOutput } from './StepOutput.ts';
export { optimalCalls } from './optimalCalls.ts';

/**
 * The pagination engine: a pure state machine. The host feeds it events and performs the one command
 * it answers with. `state` is plain JSON owned by the caller and is never mutated here.
 */
export function step(state: EngineState | null, event: EngineEvent): StepOutput {
  if (event.kind === 'start') {
    if (state !== null) return protocolError(state, 'start', 'a run that already started');
    return startRun(event.input, event.nowMs);
  }
  if (state === null) return refuseRun(null, firstEventError(event.kind));
  if (state.phase === 'refused' || state.phase === 'done' || !answersLastCommand(state, event)) return protocolError(state, event.kind, state.phase);
  return handleEvent(PAGE_RUN, draftRun(state, event.nowMs), event);
}

function protocolError(state: EngineState, event: string, phase: string): StepOutput {
  const error = protocolMisuse(event, phase, 'engine');
  if (state.phase === 'refused') return refuseRun(null, error);
  return fail(draftRun(state, state.run.nowMs), error);
}
