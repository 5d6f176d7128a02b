import { appendTimeline } from '../core/appendTimeline.ts';
import type { EngineError } from '../EngineError.ts';
import type { EnrichCommand, EnrichEventKind, EnrichReason, EnrichResult, IndicatorResult, IndicatorStatus } from './EnrichCommand.ts';
import { ENRICH_DEFAULTS } from './EnrichInput.ts';
import type { EnrichContext, EnrichEndedState, EnrichState, Lookup, ResolvedEnrichInput } from './EnrichState.ts';

export interface EnrichStepOutput {
  state: EnrichState;
  command: EnrichCommand;
}

export type LookupStop = Extract<EnrichReason, `stopped_${string}`>;

export function stop(s: EnrichContext, reason: LookupStop, detail: string): EnrichStepOutput {
  note(s, 'stopped', `${reason}: ${detail}`);
  return finish(s, 'has_more', reason, detail);
}

export function fail(s: EnrichContext, error: EngineError): EnrichStepOutput {
  note(s, 'failed', `${error.code}: ${error.message}`);
  return finish(s, `failed:${error.code}`, 'run_failed', error.message, error);
}

export function finish(s: EnrichContext, verdict: EnrichResult['verdict'], pendingReason: EnrichReason = '', detail = '', error: EngineError | null = null): EnrichStepOutput {
  const indicators = [...s.results];
  if (s.lookup) indicators.push(resultOf(s, s.lookup, 'pending', pendingReason, detail));
  for (let i = indicators.length; i < s.input.indicators.length; i++) {
    const { type, value } = s.input.indicators[i] as ResolvedEnrichInput['indicators'][number];
    indicators.push({ type, value, status: 'pending', deviceCount: null, limitExceeded: false, deviceIds: [], reason: pendingReason, detail: 'not started' });
  }
  if (verdict === 'complete') note(s, 'complete', `${indicators.length} indicator(s) in ${s.counters.apiCalls} call(s)`);
  const result: EnrichResult = {
    verdict,
    hasMore: verdict === 'has_more' ? 'true' : 'false',
    indicators,
    ...s.counters,
    timeline: s.timeline,
    timelineDropped: s.timelineDropped,
    error,
  };
  const state: EnrichEndedState = { ...s, lookup: null, pending: null, phase: 'done', result };
  return { state, command: { kind: 'done', result } };
}

export function resultOf(s: EnrichContext, lookup: Lookup, status: IndicatorStatus, reason: EnrichReason, detail: string): IndicatorResult {
  const { type, value } = indicatorOf(s, lookup);
  return { type, value, status, deviceCount: lookup.deviceCount, limitExceeded: lookup.limitExceeded, deviceIds: lookup.ids, reason, detail };
}

export function indicatorOf(s: EnrichContext, lookup: Lookup): ResolvedEnrichInput['indicators'][number] {
  const indicator = s.input.indicators[lookup.index];
  if (!indicator) throw new RangeError(`Failed to find indicator ${lookup.index} of ${s.input.indicators.length}.`);
  return indicator;
}

export function anomaly(s: EnrichContext, kind: EnrichEventKind, detail: string): void {
  s.counters.anomalies++;
  note(s, kind, detail);
}

export function note(s: EnrichContext, kind: EnrichEventKind, detail: string): void {
  const trimmed = appendTimeline(s, { atMs: s.run.nowMs, kind, detail }, ENRICH_DEFAULTS.timelineLimit);
  s.timeline = trimmed.timeline;
  s.timelineDropped = trimmed.timelineDropped;
}
