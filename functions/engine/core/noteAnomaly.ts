import type { Anomaly } from './classifyAnswer.ts';
import type { CorePending, CoreState } from './CoreState.ts';
import type { Machine } from './Machine.ts';

/** An answer's anomaly goes into the timeline (and errors in a 200 into their counter) before anything is done about it. */
export function noteAnomaly<S extends CoreState<P>, P extends CorePending, Out>(m: Machine<S, P, Out>, s: S, anomaly: Anomaly | null): void {
  if (anomaly === null) return;
  if (anomaly.kind === 'errors_in_200') m.count(s, 'errorsIn200');
  m.note(s, anomaly.kind, anomaly.detail);
}
