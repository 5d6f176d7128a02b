// The engine's public surface. Hosts need `step` and the protocol types; the rest stays internal.
export { step, optimalCalls } from './step.ts';
export type { StepOutput } from './step.ts';
export type { EngineEvent } from './EngineEvent.ts';
export type { EngineCommand, HttpRequestSpec, RunResult } from './EngineCommand.ts';
export type { EngineState } from './EngineState.ts';
export type { EngineError, EngineErrorCode } from './EngineError.ts';
export type { HealthRecord, HealthEvent, HealthEventKind, Verdict } from './HealthRecord.ts';
export { runInputSchema, ENGINE_DEFAULTS } from './RunInput.ts';
export type { RunInput } from './RunInput.ts';
export { decodeCheckpoint } from './Checkpoint.ts';
