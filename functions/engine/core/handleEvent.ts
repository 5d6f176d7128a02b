import { assertNever } from '../assertNever.ts';
import { engineError } from '../EngineError.ts';
import type { EngineEvent } from '../EngineEvent.ts';
import type { CorePending, CoreState } from './CoreState.ts';
import type { Machine } from './Machine.ts';
import { connectionFailed, protocolMisuse } from './machineErrors.ts';
import { retry } from './retry.ts';
import { send } from './send.ts';

export type RunEvent = Exclude<EngineEvent, { kind: 'start' }>;

/** The phase each event answers: any other event is the host not answering the machine's last command. */
const PHASE_OF_EVENT: Readonly<Record<RunEvent['kind'], string>> = {
  'http-response': 'await-http',
  'http-error': 'await-http',
  slept: 'await-sleep',
  authenticated: 'await-auth',
  emitted: 'await-emit',
  'emit-failed': 'await-emit',
};

/** Whether the event answers the command the state is waiting on (an HTTP answer needs the request it answers). */
export function answersLastCommand(state: { phase: string; pending: unknown }, event: RunEvent): boolean {
  const phase = PHASE_OF_EVENT[event.kind];
  return state.phase === phase && (phase !== 'await-http' || !!state.pending);
}

/** One event for a running machine, already checked with `answersLastCommand`, on a draft of its state. */
export function handleEvent<S extends CoreState<P>, P extends CorePending, Out>(m: Machine<S, P, Out>, s: S, event: RunEvent): Out {
  const c: CoreState<P> = s;
  switch (event.kind) {
    case 'http-response':
      return c.pending ? m.onAnswer(s, c.pending, event) : m.fail(s, protocolMisuse(event.kind, s.phase, 'engine'));
    case 'http-error':
      return onLost(m, s, event);
    case 'slept':
      return s.resume === 'pending' && c.pending ? m.out(s, send(c, c.pending)) : m.next(s);
    case 'authenticated':
      return onAuthenticated(m, s, event);
    case 'emitted':
      return m.onEmitted ? m.onEmitted(s, event) : m.fail(s, protocolMisuse(event.kind, s.phase, 'engine'));
    case 'emit-failed':
      return m.onEmitFailed ? m.onEmitFailed(s, event) : m.fail(s, protocolMisuse(event.kind, s.phase, 'engine'));
    default:
      return assertNever(event, 'engine event');
  }
}

function onLost<S extends CoreState<P>, P extends CorePending, Out>(m: Machine<S, P, Out>, s: S, event: Extract<EngineEvent, { kind: 'http-error' }>): Out {
  const c: CoreState<P> = s;
  m.count(s, 'apiCalls');
  // A request that never got an answer did not test the refreshed token; after the backoff it may have
  // expired (short-lived tokens), and a 401 then deserves a refresh of its own. Retries bound the loop.
  const pending = c.pending;
  if (!pending) return m.fail(s, protocolMisuse(event.kind, s.phase, 'engine'));
  c.pending = { ...pending, authRefreshed: false };
  const handled = m.onLost?.(s, c.pending, event) ?? null;
  if (handled !== null) return handled;
  return retry(m, s, `${event.code}: ${event.message}`, connectionFailed(event));
}

function onAuthenticated<S extends CoreState<P>, P extends CorePending, Out>(m: Machine<S, P, Out>, s: S, event: Extract<EngineEvent, { kind: 'authenticated' }>): Out {
  const c: CoreState<P> = s;
  const why = event.message ?? 'no reason given';
  if (!event.ok && event.retryable && c.pending) {
    // The token endpoint itself failed (reset, 5xx): back off and try the request, and so the token, again.
    c.pending = { ...c.pending, authRefreshed: false };
    return retry(m, s, `re-authentication failed: ${why}`, engineError('AUTH_FAILED', `Re-authentication kept failing: ${why}.`));
  }
  if (!event.ok) return m.fail(s, engineError('AUTH_FAILED', `Re-authentication failed: ${why}. Check the API client id and secret.`));
  return c.pending ? m.out(s, send(c, c.pending)) : m.next(s);
}
