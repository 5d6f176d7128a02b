import type { CorePending, CoreState } from './CoreState.ts';
import type { Machine } from './Machine.ts';

/** Now on the server's clock: cursors and Retryafter live on it, never on the local one. */
export function serverNow<S extends CoreState<P>, P extends CorePending, Out>(m: Machine<S, P, Out>, s: S): number {
  return s.run.nowMs + (m.skewMs(s) ?? 0);
}
