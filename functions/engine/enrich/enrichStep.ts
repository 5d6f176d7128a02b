import { answersLastCommand, handleEvent } from '../core/handleEvent.ts';
import { firstEventError, protocolMisuse } from '../core/machineErrors.ts';
import { engineError } from '../EngineError.ts';
import type { EngineEvent } from '../EngineEvent.ts';
import type { EnrichEndedState, EnrichRunningState, EnrichState } from './EnrichState.ts';
import { fail, type EnrichStepOutput } from './endLookup.ts';
import { LOOKUP } from './lookupMachine.ts';
import { refuseLookup } from './refuseLookup.ts';
import { startLookup } from './startLookup.ts';

export type { EnrichStepOutput } from './endLookup.ts';

/**
 * The device lookup of IOC enrichment: a pure state machine in the page-run engine's style. For each
 * indicator it asks device-count, then pages the devices query until the ids reach that count, which is
 * the only total this endpoint has: a short page or a missing token before it is a named anomaly, never
 * an end. The host performs the one command each step answers with; `state` is plain JSON, never mutated.
 */
export function enrichStep(state: EnrichState | null, event: EngineEvent): EnrichStepOutput {
  if (event.kind === 'start') {
    if (state !== null) return protocolError(state, 'start', 'a lookup that already started');
    return startLookup(event.input, event.nowMs);
  }
  if (state === null) return refuseLookup(firstEventError(event.kind));
  if (state.phase === 'refused') return refuseLookup(engineError('PROTOCOL', `Event "${event.kind}" came after the lookup ended.`));
  if (state.phase === 'done' || !answersLastCommand(state, event)) return protocolError(state, event.kind, state.phase);
  return handleEvent(LOOKUP, draft(state, event.nowMs), event);
}

/** Shallow copies of every object a step may change, so the caller's state stays untouched. */
function draft<S extends EnrichRunningState | EnrichEndedState>(state: S, nowMs: number): S {
  return {
    ...state,
    lookup: state.lookup ? { ...state.lookup } : null,
    run: { ...state.run, nowMs: Math.max(nowMs, state.run.nowMs) },
    counters: { ...state.counters },
  };
}

function protocolError(state: EnrichState, event: string, phase: string): EnrichStepOutput {
  const error = protocolMisuse(event, phase, 'lookup');
  if (state.phase === 'refused') return refuseLookup(error);
  return fail(draft(state, state.run.nowMs), error);
}
