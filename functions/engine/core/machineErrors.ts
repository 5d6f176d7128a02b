import { engineError, type EngineError } from '../EngineError.ts';
import type { EngineEvent } from '../EngineEvent.ts';

/** The failures both machines name the same way. */

export function firstEventError(kind: string): EngineError {
  return engineError('PROTOCOL', `The first event must be "start", got "${kind}".`);
}

export function protocolMisuse(event: string, phase: string, whose: 'engine' | 'lookup'): EngineError {
  return engineError('PROTOCOL', `Event "${event}" is not valid in phase "${phase}"; the host must answer the ${whose}'s last command.`, { event, phase });
}

/** Invalid input, named by the path of zod's first issue. */
export function inputInvalid(issues: ReadonlyArray<{ path: ReadonlyArray<string | number>; message: string }>, what: 'run' | 'lookup'): EngineError {
  const issue = issues[0];
  const field = issue ? issue.path.join('.') || '(input)' : '(input)';
  return engineError('INPUT_INVALID', `Invalid ${what} input at "${field}": ${issue?.message ?? 'unknown problem'}.`, { field });
}

export function connectionFailed(event: Extract<EngineEvent, { kind: 'http-error' }>): EngineError {
  return engineError('RETRIES_EXHAUSTED', `The connection failed (${event.code}).`, {}, { code: event.code, message: event.message });
}

export function freshTokenRefused(status: number): EngineError {
  return engineError('AUTH_FAILED', 'Falcon refused a freshly issued token (401). Check the API client, its cloud and its CID.', { status });
}

export function rateLimitExhausted(consecutive: number): EngineError {
  return engineError('RATE_LIMIT_EXHAUSTED', `Falcon answered 429 ${consecutive} times in a row; the CID's 6,000/min pool is exhausted by other clients.`);
}

export function scopeMissing(method: string, path: string, scope: string, status: number): EngineError {
  return engineError(
    'SCOPE_MISSING',
    `Falcon refused ${method} ${path} with 403 (access denied, authorization failed). Grant the API client the scope "${scope}" (or check its IP allowlist) and run again.`,
    { status, scope, path },
  );
}
