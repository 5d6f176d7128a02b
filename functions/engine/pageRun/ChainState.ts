import type { EngineState } from '../EngineState.ts';

/**
 * Where an export stands between two steps, named from its checkpoint and the page in hand (ranges ×
 * rechecks × hydration × cursor). The page planner ends the export only in `complete`; tests hold every
 * run of the scenario matrix to `CHAIN_STATE_TRANSITIONS`.
 */
export type ChainState =
  /** Every range is read and proven, and no span waits to be read again: nothing is left. */
  | 'complete'
  /** A query page's ids wait for their entities before the page counts. */
  | 'hydrating'
  /** A live cursor (token, offset window, link) continues the chain. */
  | 'following'
  /** The ranges are read; spans an abandoned cursor may have held records back from are read again. */
  | 'rechecking'
  /** Ranges are left and no cursor is live: the next page is a query from the watermark. */
  | 'open'
  /** The run ended (complete, stopped or failed) or never started: its result says why. */
  | 'ended';

/** The states each state can move to in one step (staying put included). */
export const CHAIN_STATE_TRANSITIONS: Readonly<Record<ChainState, readonly ChainState[]>> = {
  // A query from the watermark: its page may prove the end, open a cursor, need entities, or find nothing new.
  open: ['open', 'following', 'hydrating', 'rechecking', 'complete', 'ended'],
  // A cursor page: the chain goes on, needs entities, or is dropped (expired, refused, lost, re-windowed).
  following: ['following', 'hydrating', 'open', 'rechecking', 'complete', 'ended'],
  // Entities in: the page counts, and its chain goes on, ends, or is given up.
  hydrating: ['hydrating', 'following', 'open', 'rechecking', 'complete', 'ended'],
  // Reading a span again may find records behind the chain: they reopen ranges.
  rechecking: ['rechecking', 'following', 'hydrating', 'open', 'complete', 'ended'],
  // Nothing left to read: the next step ends the run (the last page is stored first, in await-emit).
  complete: ['ended'],
  ended: ['ended'],
};

export function chainStateOf(state: EngineState): ChainState {
  if (state.phase === 'done' || state.phase === 'refused') return 'ended';
  const { cp } = state;
  if (cp.ranges.length === 0 && cp.rechecks.length === 0) return 'complete';
  if (state.hydration !== null) return 'hydrating';
  if (cp.chain !== null && cp.chain.cursor !== null) return 'following';
  return cp.ranges.length === 0 ? 'rechecking' : 'open';
}
