import { fits } from '../core/fits.ts';
import { send } from '../core/send.ts';
import { slowDown } from '../core/slowDown.ts';
import { waitOut } from '../core/waitOut.ts';
import { deviceCountRequest, deviceIdsRequest } from './deviceRequests.ts';
import type { EnrichRunningState } from './EnrichState.ts';
import { finish, indicatorOf, stop, type EnrichStepOutput } from './endLookup.ts';
import { LOOKUP } from './lookupMachine.ts';

/** The next request: the count of the next indicator, or the next page of its devices. */
export function nextLookup(s: EnrichRunningState): EnrichStepOutput {
  if (!s.lookup) {
    if (s.results.length >= s.input.indicators.length) return finish(s, 'complete');
    s.lookup = { index: s.results.length, stage: 'count', deviceCount: null, limitExceeded: false, ids: [], bytes: 0, token: null, pages: 0, restarts: 0 };
  }
  if (s.input.maxCalls !== null && s.counters.apiCalls >= s.input.maxCalls) return stop(s, 'stopped_max_calls', `${s.counters.apiCalls} call(s) made`);
  const pace = slowDown(LOOKUP, s);
  if (pace.kind !== 'none') {
    s.slowDownMs = 0;
    return pace.kind === 'wait' ? waitOut(LOOKUP, s, pace.ms, 'slow-down', 'next') : stop(s, 'stopped_deadline', pace.detail);
  }
  if (!fits(LOOKUP, s, s.run.latencyEstimateMs)) return stop(s, 'stopped_deadline', 'the next call would not finish before the deadline');
  const lookup = s.lookup;
  const indicator = indicatorOf(s, lookup);
  const request =
    lookup.stage === 'count'
      ? { purpose: 'device-count' as const, request: deviceCountRequest(indicator.type, indicator.value) }
      : { purpose: 'device-ids' as const, request: deviceIdsRequest(indicator.type, indicator.value, s.input.pageLimit, lookup.token) };
  return { state: s, command: send(s, { ...request, attempt: 0, authRefreshed: false, sentAtMs: s.run.nowMs }) };
}
