import type { StreamSpec } from '../../falcon/streams.ts';
import type { RunContext } from '../EngineState.ts';

/** The deepest offset an offset window may reach: the documented cap or a smaller one the API taught. */
export function depthCapOf(s: RunContext, spec: StreamSpec): number | null {
  if (spec.style !== 'offset') return null;
  const caps = [spec.depthCap, s.cp.learnedDepthCap].filter((c): c is number => c !== null);
  return caps.length ? Math.min(...caps) : null;
}
