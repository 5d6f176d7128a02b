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
export { enrichStep } from './enrich/enrichStep.ts';
export type { EnrichStepOutput } from './enrich/enrichStep.ts';
export type { EnrichCommand, EnrichEvent, EnrichReason, EnrichResult, IndicatorResult, IndicatorStatus } from './enrich/EnrichCommand.ts';
export type { EnrichState } from './enrich/EnrichState.ts';
export { enrichInputSchema, ENRICH_DEFAULTS } from './enrich/EnrichInput.ts';
export type { EnrichInput } from './enrich/EnrichInput.ts';
export { IOC_TYPES } from '../falcon/iocEndpoints.ts';
export type { IocType } from '../falcon/iocEndpoints.ts';
