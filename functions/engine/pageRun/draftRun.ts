import type { EndedState, RunningState } from '../EngineState.ts';

/** Shallow copies of every object a step may change, so the caller's state stays untouched. */
export function draftRun<S extends RunningState | EndedState>(state: S, nowMs: number): S {
  return {
    ...state,
    input: state.input,
    cp: {
      ...state.cp,
      counters: { ...state.cp.counters },
      chain: state.cp.chain ? { ...state.cp.chain } : null,
    },
    run: { ...state.run, nowMs: Math.max(nowMs, state.run.nowMs) },
    health: { ...state.health },
  };
}
