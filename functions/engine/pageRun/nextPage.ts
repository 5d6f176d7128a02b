import { STREAMS } from '../../falcon/streams.ts';
import { pageRequest } from '../buildRequest.ts';
import { fits } from '../core/fits.ts';
import { send } from '../core/send.ts';
import { sleep } from '../core/sleep.ts';
import { waitOut } from '../core/waitOut.ts';
import { assertNever } from '../assertNever.ts';
import type { Pending, RunningState } from '../EngineState.ts';
import type { StepOutput } from '../StepOutput.ts';
import { restart } from './chainMoves.ts';
import { fail, finish, stop } from './endRun.ts';
import { note } from './note.ts';
import { PAGE_RUN } from './pageRunMachine.ts';
import { PAGE_POLICIES, type PagePlan } from './planPage.ts';
import { count } from './runCounters.ts';
import { sizePage } from './sizePage.ts';

/** Decides the run's next command: the policies first, then the next page request. */
export function nextPage(s: RunningState): StepOutput {
  for (const policy of PAGE_POLICIES) {
    const plan = policy(s);
    if (plan === null) continue;
    const out = follow(s, plan);
    if (out !== null) return out;
  }
  return requestPage(s);
}

/** Carries out a plan; null when the policies after it decide on the changed state. */
function follow(s: RunningState, plan: PagePlan): StepOutput | null {
  switch (plan.kind) {
    case 'complete':
      s.cp.complete = true;
      s.cp.chain = null;
      return finish(s, 'complete');
    case 'fail':
      return fail(s, plan.error);
    case 'stop':
      return stop(s, plan.stop, plan.detail);
    case 'not-before-passed':
      s.cp.notBeforeServerMs = null;
      return null;
    case 'not-before-wait':
      if (plan.whole) s.cp.notBeforeServerMs = null;
      count(s, 'rateLimitWaitMs', plan.ms);
      return { state: s, command: sleep(s, plan.ms, 'not-before', 'next') };
    case 'slow-down':
      s.slowDownMs = 0;
      return plan.pace.kind === 'wait' ? waitOut(PAGE_RUN, s, plan.pace.ms, 'slow-down', 'next') : stop(s, 'stopped_deadline', plan.pace.detail);
    case 'expire-cursor':
      count(s, 'tokenExpiries');
      note(s, 'token_expired', plan.detail);
      restart(s);
      return null;
    default:
      return assertNever(plan, 'page plan');
  }
}

function requestPage(s: RunningState): StepOutput {
  const spec = STREAMS[s.input.stream];
  const size = sizePage(s, spec);
  switch (size.kind) {
    case 'reopen-scroll':
      note(s, 'page_truncated_to_budget', size.detail);
      restart(s);
      return nextPage(s);
    case 'stop-byte-budget':
      return stop(s, 'stopped_byte_budget', size.detail);
    case 'request':
      break;
    default:
      return assertNever(size, 'page size');
  }
  const { chain, limit, offset, overlapId } = size;
  if (spec.style === 'scroll' && chain.cursor === null) chain.limit = limit;
  const calls = 1 + (spec.hydrate ? Math.ceil(limit / spec.hydrate.maxIds) : 0);
  if (!fits(PAGE_RUN, s, s.run.latencyEstimateMs * calls)) return stop(s, 'stopped_deadline', 'the next page would not finish before the deadline');
  s.cp.chain = chain;
  const requestOffset = overlapId ? offset - 1 : offset;
  const requestLimit = overlapId ? limit + 1 : limit;
  const pending: Pending = {
    purpose: 'page',
    request: pageRequest(spec, chain, requestLimit, requestOffset),
    attempt: 0,
    authRefreshed: false,
    sentAtMs: s.run.nowMs,
    offset: requestOffset,
    limit: requestLimit,
    withCursor: chain.cursor !== null && chain.cursor.kind !== 'offset',
    overlapId,
  };
  return { state: s, command: send(s, pending) };
}
