import type { CorePending, CoreState } from './CoreState.ts';
import type { Machine } from './Machine.ts';

/** A 401 with a token not yet refreshed for this request: a new token, then the same request again. */
export function reauthenticate<S extends CoreState<P>, P extends CorePending, Out>(m: Machine<S, P, Out>, s: S, pending: P): Out {
  s.pending = { ...pending, authRefreshed: true };
  m.count(s, 'authRefreshes');
  m.note(s, 'auth_refresh', '401 access denied, invalid bearer token');
  s.phase = 'await-auth';
  s.resume = 'pending';
  return m.out(s, { kind: 'authenticate', reason: 'Falcon answered 401 (invalid bearer token)' });
}
