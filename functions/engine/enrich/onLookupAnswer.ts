import { IOC_DEVICE_COUNT_PATH, IOC_DEVICES_PATH, IOC_SCOPE } from '../../falcon/iocEndpoints.ts';
import { assertNever } from '../assertNever.ts';
import { classifyAnswer, failureOf, type Answer, type AnswerRules } from '../core/classifyAnswer.ts';
import { fits } from '../core/fits.ts';
import { freshTokenRefused, scopeMissing } from '../core/machineErrors.ts';
import { noteAnomaly } from '../core/noteAnomaly.ts';
import { observeAnswer } from '../core/observeAnswer.ts';
import { rateLimitWait } from '../core/rateLimitWait.ts';
import { reauthenticate } from '../core/reauthenticate.ts';
import { retry } from '../core/retry.ts';
import { retryReason } from '../core/retryReason.ts';
import { waitOut } from '../core/waitOut.ts';
import type { EngineEvent } from '../EngineEvent.ts';
import { engineError, type EngineError } from '../EngineError.ts';
import type { EnrichRunningState, PendingRequest } from './EnrichState.ts';
import { fail, indicatorOf, stop, type EnrichStepOutput } from './endLookup.ts';
import { countNotFound, onCount, onDevicePage, rejectIndicator, tokenLost } from './lookupIndicator.ts';
import { LOOKUP } from './lookupMachine.ts';

/** The device endpoints name no redirect and no long request line: those read as any other status. */
const LOOKUP_RULES: AnswerRules = { refuseRedirects: false, namesLongRequests: false, cursorGoneOn404: false };

export function onLookupAnswer(s: EnrichRunningState, sent: PendingRequest, event: Extract<EngineEvent, { kind: 'http-response' }>): EnrichStepOutput {
  const pending = observeAnswer(LOOKUP, s, sent, event.status, event.headers);
  const path = pending.purpose === 'device-count' ? IOC_DEVICE_COUNT_PATH : IOC_DEVICES_PATH;
  const answer = classifyAnswer(event.status, event.headers, event.body, {
    request: pending.purpose === 'device-count' ? 'count' : 'query',
    authRefreshed: pending.authRefreshed,
    cursor: pending.purpose === 'device-ids' && s.lookup !== null && s.lookup.token !== null,
    rules: LOOKUP_RULES,
    splittable: false,
    depthCap: null,
    indicator: s.lookup ? indicatorOf(s, s.lookup).value : null,
  });
  noteAnomaly(LOOKUP, s, answer.anomaly);
  if (refuses(answer)) return onRefusal(s, pending, answer, path);
  switch (answer.kind) {
    case 'rate-limited':
      return onRateLimited(s, event.headers);
    case 'reauth':
      return reauthenticate(LOOKUP, s, pending);
    case 'retryable':
      return retry(LOOKUP, s, retryReason(answer), lookupError(answer, path));
    case 'ok':
      s.pending = null;
      return pending.purpose === 'device-count' ? onCount(s, answer.envelope) : onDevicePage(s, answer.envelope);
    default:
      return assertNever(answer, 'answer');
  }
}

type Refusal = Exclude<Answer, { kind: 'rate-limited' | 'reauth' | 'retryable' | 'ok' }>;

/** An answer that refuses the request rather than asking for a wait, a token or a retry. */
function refuses(answer: Answer): answer is Refusal {
  return answer.kind !== 'rate-limited' && answer.kind !== 'reauth' && answer.kind !== 'retryable' && answer.kind !== 'ok';
}

/** An answer that refuses the request: the indicator's own answer (unseen, rejected, a token refused), or the lookup's failure. */
function onRefusal(s: EnrichRunningState, pending: PendingRequest, answer: Refusal, path: string): EnrichStepOutput {
  switch (answer.kind) {
    case 'not-found':
      return pending.purpose === 'device-count' ? countNotFound(s, answer.message) : tokenLost(s, 'token_missing_before_count', `404 ${answer.message}`);
    case 'cursor-refused':
      return tokenLost(s, 'token_refused', `400 ${answer.message || 'offset refused'}`);
    case 'rejected':
      return rejectIndicator(s, answer.message || 'HTTP 400 without a message');
    case 'scope':
    case 'redirect':
    case 'split':
    case 'depth-cap':
    case 'fatal':
      return fail(s, lookupError(answer, path));
    default:
      return assertNever(answer, 'answer');
  }
}

function onRateLimited(s: EnrichRunningState, headers: Record<string, string>): EnrichStepOutput {
  const wait = rateLimitWait(LOOKUP, s, headers);
  if ('out' in wait) return wait.out;
  if (!fits(LOOKUP, s, wait.ms + s.run.latencyEstimateMs)) return stop(s, 'stopped_rate_limit_wait', `the ${wait.ms} ms wait does not fit the deadline`);
  return waitOut(LOOKUP, s, wait.ms, 'rate-limit', 'pending');
}

/** The lookup's failures name the device endpoint they happened on. */
function lookupError(answer: Answer, path: string): EngineError {
  const { status, message } = answer;
  if (answer.kind === 'scope') return scopeMissing('GET', path, IOC_SCOPE, status);
  const { cause, detail, code } = failureOf(answer);
  switch (cause) {
    case 'token-refused':
      return freshTokenRefused(status);
    case 'non-json':
      return engineError('NON_JSON_BODY', `Falcon answered HTTP ${status} with a body that is not JSON (an HTML error page?).`, { status, path });
    case 'server-error':
      return engineError('RETRIES_EXHAUSTED', `Falcon kept answering HTTP ${status} on ${path}: ${message || 'no message'}.`, { status, path });
    case 'endpoint-not-found':
      return engineError('ENDPOINT_NOT_FOUND', `Falcon answered 404 for ${path}: ${message || 'not found'}.`, { status, path });
    case 'schema':
      return engineError('SCHEMA_MISMATCH', `Falcon's answer on ${path} does not match the envelope at ${detail}.`, { status, path });
    case 'errors-in-200':
      return engineError('ERRORS_IN_200', `Falcon answered HTTP ${status} on ${path} with errors: ${detail}.`, { status, code, path });
    // The device endpoints have no entities call and no redirect or long-filter rule: these read as any unexpected status.
    case 'entities-refused':
    case 'request-too-long':
    case 'unexpected-status':
      return engineError('UNEXPECTED_STATUS', `Falcon answered HTTP ${status} on ${path}: ${message || 'no message'}.`, { status, path });
    default:
      return assertNever(cause, 'failure cause');
  }
}
