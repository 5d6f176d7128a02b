import { encodeCheckpoint } from '../Checkpoint.ts';
import type { RunResult, StopReason } from '../EngineCommand.ts';
import { retryableFailure, type EngineError } from '../EngineError.ts';
import type { SinkReport } from '../EngineEvent.ts';
import type { EndedState, RunContext } from '../EngineState.ts';
import type { Verdict } from '../HealthRecord.ts';
import type { StepOutput } from '../StepOutput.ts';
import { note } from './note.ts';
import { count, uncountPage } from './runCounters.ts';

export type StopKind = 'stopped_deadline' | 'stopped_max_pages' | 'stopped_byte_budget' | 'stopped_rate_limit_wait';

const BUDGET_OF_STOP: Readonly<Record<StopKind, Extract<StopReason, { kind: 'budget' }>['budget']>> = {
  stopped_deadline: 'deadline',
  stopped_max_pages: 'max_pages',
  stopped_byte_budget: 'byte_budget',
  stopped_rate_limit_wait: 'rate_limit_wait',
};

export function stop(s: RunContext, kind: StopKind, detail: string): StepOutput {
  note(s, kind, detail);
  return finish(s, 'has_more', null, { kind: 'budget', budget: BUDGET_OF_STOP[kind] });
}

export function fail(s: RunContext, error: EngineError): StepOutput {
  note(s, 'failed', `${error.code}: ${error.message}`);
  return finish(s, `failed:${error.code}`, error, { kind: 'failed', code: error.code, retryable: retryableFailure(error.code) });
}

/** What a sink call took for one page, counted in the run's health. */
export function countSink(s: RunContext, sink: SinkReport): void {
  count(s, 'ingestCalls', sink.calls);
  count(s, 'ingestRetries', sink.retries);
  count(s, 'ingestedEvents', sink.events);
  count(s, 'ingestBytes', sink.bytes);
  for (const line of sink.notes) note(s, 'ingest_retry', line);
}

/**
 * The host could not store the page it was handed. Its checkpoint never becomes valid: the run ends at
 * the last one whose records were stored, and the page is not counted as exported.
 */
export function failUnstored(s: RunContext, error: EngineError): StepOutput {
  const page = s.emitting;
  s.emitting = null;
  // The state's own counters already hold the page; they are read for the health below and then dropped.
  if (page !== null) uncountPage(s, page);
  note(s, 'failed', `${error.code}: ${error.message}`);
  return finish(s, `failed:${error.code}`, error, { kind: 'failed', code: error.code, retryable: retryableFailure(error.code) }, s.ackedCheckpoint);
}

export function finish(
  s: RunContext,
  verdict: Verdict,
  error: EngineError | null = null,
  reason: StopReason = { kind: 'complete' },
  /** The checkpoint to resume from when it is not the current state's (a page the host did not store). */
  resumeFrom: string | null = null,
): StepOutput {
  if (s.run.absentFields.length > 0 && s.health.items > 0) {
    note(s, 'fields_absent', `${s.run.absentFields.join(', ')} appeared in none of the ${s.health.items} records; check the field names`);
  }
  if (s.hydration) {
    // A query page whose entities did not all arrive was consumed without being exported: its ids stay
    // in the ranges, and the cursor that moved past them is given up.
    s.hydration = null;
    s.cp.chain = null;
  }
  if (verdict === 'complete') note(s, 'complete', `${s.cp.counters.items} records in ${s.cp.counters.apiCalls} calls`);
  s.pending = null;
  s.health.endedAtMs = s.run.nowMs;
  s.health.verdict = verdict;
  s.health.exportItems = s.cp.counters.items;
  s.health.exportApiCalls = s.cp.counters.apiCalls;
  // Every page before this checkpoint was emitted and acknowledged and nothing after it was, so it is
  // where the next run starts, whatever stopped this one.
  const checkpoint = resumeFrom ?? checkpointString(s);
  const result: RunResult = {
    verdict,
    hasMore: verdict === 'has_more' ? 'true' : 'false',
    checkpoint,
    resume: { safe: true, checkpoint },
    stop: reason,
    health: s.health,
    error,
  };
  const state: EndedState = { ...s, phase: 'done', result };
  return { state, command: { kind: 'done', result } };
}

export function checkpointString(s: RunContext): string {
  s.cp.seq++;
  return encodeCheckpoint(s.cp, s.input.checkpointKeys);
}
