import { originOf } from '../../falcon/readResponse.ts';
import { STREAMS } from '../../falcon/streams.ts';
import { assertNever } from '../assertNever.ts';
import { classifyAnswer, failureOf, type Answer, type AnswerContext, type AnswerRules } from '../core/classifyAnswer.ts';
import { fits } from '../core/fits.ts';
import { freshTokenRefused, scopeMissing } from '../core/machineErrors.ts';
import { noteAnomaly } from '../core/noteAnomaly.ts';
import { observeAnswer } from '../core/observeAnswer.ts';
import { rateLimitWait } from '../core/rateLimitWait.ts';
import { reauthenticate } from '../core/reauthenticate.ts';
import { retry } from '../core/retry.ts';
import { retryReason } from '../core/retryReason.ts';
import { serverNow } from '../core/serverNow.ts';
import { waitOut } from '../core/waitOut.ts';
import type { EngineEvent } from '../EngineEvent.ts';
import { engineError, type EngineError } from '../EngineError.ts';
import type { Pending, RunningState } from '../EngineState.ts';
import { isExpiredContextMessage } from '../../falcon/readResponse.ts';
import { ENGINE_DEFAULTS } from '../RunInput.ts';
import type { StepOutput } from '../StepOutput.ts';
import { restart } from './chainMoves.ts';
import { cursorExpiresAt } from './cursorExpiry.ts';
import { fail, stop } from './endRun.ts';
import { onHydrated, splitHydrate } from './hydration.ts';
import { nextPage } from './nextPage.ts';
import { note } from './note.ts';
import { PAGE_RUN } from './pageRunMachine.ts';
import { readPage } from './readPage.ts';
import { count } from './runCounters.ts';

/** Stream queries refuse redirects to another cloud, name a filter too long for the gateway, and take a 404 to a cursor as the cursor refused. */
const PAGE_RUN_RULES: AnswerRules = { refuseRedirects: true, namesLongRequests: true, cursorGoneOn404: true };

export function onPageAnswer(s: RunningState, sent: Pending, event: Extract<EngineEvent, { kind: 'http-response' }>): StepOutput {
  const pending = observeAnswer(PAGE_RUN, s, sent, event.status, event.headers);
  const answer = classifyAnswer(event.status, event.headers, event.body, contextOf(s, pending));
  noteAnomaly(PAGE_RUN, s, answer.anomaly);
  switch (answer.kind) {
    case 'rate-limited':
      return onRateLimited(s, event.headers);
    case 'reauth':
      return reauthenticate(PAGE_RUN, s, pending);
    case 'retryable':
      return retry(PAGE_RUN, s, retryReason(answer), pageRunError(s, pending, answer));
    case 'scope':
    case 'redirect':
    case 'rejected':
    case 'not-found':
    case 'fatal':
      return fail(s, pageRunError(s, pending, answer));
    case 'split':
      return splitHydrate(s);
    case 'depth-cap':
      return depthCapHit(s, answer);
    case 'cursor-refused':
      return cursorRefused(s, answer.status, answer.message);
    case 'ok':
      s.pending = null;
      return pending.purpose === 'page' ? readPage(s, pending, answer.envelope, event.headers) : onHydrated(s, answer.envelope);
    default:
      return assertNever(answer, 'answer');
  }
}

function contextOf(s: RunningState, pending: Pending): AnswerContext {
  const spec = STREAMS[s.input.stream];
  const offsetPage = spec.style === 'offset' && pending.purpose === 'page';
  return {
    request: pending.purpose === 'page' ? 'query' : 'entities',
    authRefreshed: pending.authRefreshed,
    cursor: pending.purpose === 'page' && pending.withCursor,
    rules: PAGE_RUN_RULES,
    splittable: s.hydration !== null && s.hydration.batch.length > 1,
    depthCap: {
      learned: s.cp.learnedDepthCap,
      probe: offsetPage && spec.style === 'offset'
        ? { status: spec.depthCapStatus, offset: pending.offset, attempt: pending.attempt, limit: pending.limit, overlap: Boolean(pending.overlapId) }
        : null,
    },
    indicator: null,
  };
}

function onRateLimited(s: RunningState, headers: Record<string, string>): StepOutput {
  const wait = rateLimitWait(PAGE_RUN, s, headers);
  if ('out' in wait) return wait.out;
  const waitMs = wait.ms;
  let resume: 'pending' | 'next' = 'pending';
  const chain = s.cp.chain;
  const expiresAt = cursorExpiresAt(s, chain?.cursor ?? null);
  if (chain && expiresAt !== null && serverNow(PAGE_RUN, s) + waitMs + ENGINE_DEFAULTS.cursorExpiryMarginMs + s.run.latencyEstimateMs > expiresAt) {
    // Sleeping with the cursor would only buy a failed call: drop it now and restart from the watermark.
    note(s, 'cursor_abandoned_for_wait', `the ${waitMs} ms wait outlives the cursor`);
    count(s, 'tokenExpiries');
    if (s.hydration) {
      // The query page is consumed but its entities are still pending: keep hydrating, end the chain there.
      chain.cursor = null;
      s.hydration = { ...s.hydration, page: { ...s.hydration.page, next: null, chainEnded: true, abandoned: true } };
    } else {
      restart(s);
      resume = 'next';
    }
  }
  if (!fits(PAGE_RUN, s, waitMs + s.run.latencyEstimateMs)) {
    s.cp.notBeforeServerMs = serverNow(PAGE_RUN, s) + waitMs;
    return stop(s, 'stopped_rate_limit_wait', `the ${waitMs} ms wait does not fit the deadline`);
  }
  return waitOut(PAGE_RUN, s, waitMs, 'rate-limit', resume);
}

/** The offset window reached the API's depth cap: learn it, and start a new window from the watermark. */
function depthCapHit(s: RunningState, answer: Extract<Answer, { kind: 'depth-cap' }>): StepOutput {
  if (answer.pageLimit !== null) {
    s.cp.learnedPageLimit = answer.pageLimit;
    s.cp.learnedDepthCap = Math.min(s.cp.learnedPageLimit, s.cp.learnedDepthCap ?? Infinity);
  }
  if (answer.cap !== null) s.cp.learnedDepthCap = Math.min(answer.cap, s.cp.learnedDepthCap ?? Infinity);
  count(s, 'depthCapRewindows');
  s.run.barrenRestarts++;
  note(s, 'depth_cap_hit', answer.detail);
  s.cp.chain = null;
  s.pending = null;
  return nextPage(s);
}

function cursorRefused(s: RunningState, status: number, message: string): StepOutput {
  count(s, 'tokenExpiries');
  note(s, isExpiredContextMessage(message) ? 'token_expired' : 'cursor_refused', `${status} ${message || 'cursor refused'}`);
  s.pending = null;
  restart(s);
  return nextPage(s);
}

function pathOnly(path: string): string {
  return path.split('?')[0] ?? path;
}

/** The page run's failures name the request, the filter and the fix. */
function pageRunError(s: RunningState, pending: Pending, answer: Answer): EngineError {
  const { status, message } = answer;
  const path = pathOnly(pending.request.path);
  if (!namesTheRequest(answer)) return failureError(pending, answer);
  switch (answer.kind) {
    case 'scope':
      return scopeMissing(pending.request.method, path, STREAMS[s.input.stream].scope, status);
    case 'redirect': {
      const location = answer.location;
      return engineError(
        'API_REDIRECTED',
        `Falcon redirected ${pending.request.method} ${path} (HTTP ${status}${location ? ` to ${originOf(location) ?? 'a relative location'}` : ''}); API calls are not followed: set the API client's cloud (FALCON_CLOUD, CS_CLOUD) to where it lives.`,
        { status, location: location ? (originOf(location) ?? null) : null },
      );
    }
    case 'rejected':
      return engineError('FILTER_REJECTED', `Falcon rejected the query (400: ${message || 'no message'}). Check the FQL filter.`, { status, filter: s.input.filter });
    default:
      return assertNever(answer, 'answer');
  }
}

/** The answers whose failure names the page run's own request (its scope, its cloud, its filter). */
function namesTheRequest(answer: Answer): answer is Extract<Answer, { kind: 'scope' | 'redirect' | 'rejected' }> {
  return answer.kind === 'scope' || answer.kind === 'redirect' || answer.kind === 'rejected';
}

function failureError(pending: Pending, answer: Answer): EngineError {
  const { status, message } = answer;
  const { cause, detail, code } = failureOf(answer.kind === 'not-found' ? { ...answer, kind: 'fatal', cause: 'endpoint-not-found', detail: '', code: null } : answer);
  switch (cause) {
    case 'token-refused':
      return freshTokenRefused(status);
    case 'entities-refused':
      return engineError('UNEXPECTED_STATUS', `Falcon kept refusing ${pathOnly(pending.request.path)} with 403 although the list call of the same scope worked; check the API client's IP allowlist and CID.`, { status });
    case 'request-too-long':
      return engineError('FILTER_REJECTED', `The gateway refused a ${pending.request.path.length}-character request line (414); shorten the FQL filter.`, { status, length: pending.request.path.length });
    case 'non-json':
      return engineError('NON_JSON_BODY', `Falcon answered HTTP ${status} with a body that is not JSON (an HTML error page?).`, { status });
    case 'server-error':
      return engineError('RETRIES_EXHAUSTED', `Falcon kept answering HTTP ${status}: ${message || 'no message'}.`, { status });
    case 'endpoint-not-found':
      return engineError('ENDPOINT_NOT_FOUND', `Falcon answered 404 for ${pathOnly(pending.request.path)}: ${message || 'not found'}.`, { status });
    case 'unexpected-status':
      return engineError('UNEXPECTED_STATUS', `Falcon answered HTTP ${status}: ${message || 'no message'}.`, { status });
    case 'schema':
      return engineError('SCHEMA_MISMATCH', `Falcon's answer does not match the expected envelope at ${detail}.`, { status });
    case 'errors-in-200':
      return engineError('ERRORS_IN_200', `Falcon answered HTTP ${status} with errors: ${detail}.`, { status, code });
    default:
      return assertNever(cause, 'failure cause');
  }
}
