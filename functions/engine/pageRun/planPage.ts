import { fits } from '../core/fits.ts';
import { serverNow } from '../core/serverNow.ts';
import { slowDown, type SlowDown } from '../core/slowDown.ts';
import { engineError, type EngineError } from '../EngineError.ts';
import type { RunningState } from '../EngineState.ts';
import { ENGINE_DEFAULTS } from '../RunInput.ts';
import { chainStateOf } from './ChainState.ts';
import { cursorExpired } from './cursorExpiry.ts';
import type { StopKind } from './endRun.ts';
import { PAGE_RUN } from './pageRunMachine.ts';

/**
 * What the run does before its next page, decided by the policies below in order. `null` from a policy
 * means it has nothing to say; the kinds ending in a state change (`not-before-passed`, `expire-cursor`)
 * let the following policies decide on the changed state.
 */
export type PagePlan =
  | { kind: 'complete' }
  | { kind: 'fail'; error: EngineError }
  | { kind: 'stop'; stop: StopKind; detail: string }
  /** The rate limit's not-before time has passed: forget it. */
  | { kind: 'not-before-passed' }
  /** Sleep towards the not-before time; `whole` when the whole wait fits this run. */
  | { kind: 'not-before-wait'; ms: number; whole: boolean }
  | { kind: 'slow-down'; pace: Exclude<SlowDown, { kind: 'none' }> }
  /** The live cursor would expire before the request: restart from the watermark first. */
  | { kind: 'expire-cursor'; detail: string };

export type PagePolicy = (s: RunningState) => PagePlan | null;

/** Spans read again are part of what is left: a record a cursor held back may be there alone. */
export function completion(s: RunningState): PagePlan | null {
  if (chainStateOf(s) !== 'complete') return null;
  if (!s.cp.orderViolated) return { kind: 'complete' };
  return {
    kind: 'fail',
    error: engineError(
      'ORDER_VIOLATED',
      'Falcon returned records out of its own sort order behind the pages already exported; whether each was exported cannot be proven, so the export is not reported complete. Start a new export (a new session) to read everything again.',
      {},
    ),
  };
}

export function pageBudget(s: RunningState): PagePlan | null {
  if (s.input.maxPages === null || s.run.pages < s.input.maxPages) return null;
  return { kind: 'stop', stop: 'stopped_max_pages', detail: `${s.run.pages} page(s)` };
}

export function noProgress(s: RunningState): PagePlan | null {
  if (s.run.barrenRestarts <= ENGINE_DEFAULTS.maxBarrenRestarts) return null;
  return {
    kind: 'fail',
    error: engineError('NO_PROGRESS', `${s.run.barrenRestarts} restarts in a row exported nothing new; the API keeps answering the same records.`, {
      ranges: s.cp.ranges.length,
    }),
  };
}

export function notBeforeWait(s: RunningState): PagePlan | null {
  if (s.cp.notBeforeServerMs === null) return null;
  const waitMs = s.cp.notBeforeServerMs - serverNow(PAGE_RUN, s);
  if (waitMs <= 0) return { kind: 'not-before-passed' };
  if (fits(PAGE_RUN, s, waitMs + s.run.latencyEstimateMs)) return { kind: 'not-before-wait', ms: waitMs, whole: true };
  // A wait longer than one run is spread over runs: sleep what fits, keep the rest in the checkpoint.
  const partialMs = (s.input.deadlineAtMs ?? 0) - s.run.nowMs - ENGINE_DEFAULTS.deadlineMarginMs;
  if (partialMs <= 0) return { kind: 'stop', stop: 'stopped_rate_limit_wait', detail: `${waitMs} ms of rate-limit wait left` };
  return { kind: 'not-before-wait', ms: partialMs, whole: false };
}

export function slowingDown(s: RunningState): PagePlan | null {
  const pace = slowDown(PAGE_RUN, s);
  return pace.kind === 'none' ? null : { kind: 'slow-down', pace };
}

export function cursorExpiry(s: RunningState): PagePlan | null {
  const cursor = s.cp.chain?.cursor;
  if (!cursor || !cursorExpired(s, cursor)) return null;
  return { kind: 'expire-cursor', detail: `${cursor.kind} cursor would expire before the next request; restarting from the watermark` };
}

/** The policies before every page, in the order they decide. */
export const PAGE_POLICIES: readonly PagePolicy[] = [completion, pageBudget, noProgress, notBeforeWait, slowingDown, cursorExpiry];
