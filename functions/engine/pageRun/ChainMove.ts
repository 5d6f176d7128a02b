import { assertNever } from '../assertNever.ts';
import type { Cursor } from '../Checkpoint.ts';
import type { RunningState } from '../EngineState.ts';
import type { HealthEventKind } from '../HealthRecord.ts';
import { dropChain, endExport, restart } from './chainMoves.ts';
import { note } from './note.ts';
import { count, type RunCounter } from './runCounters.ts';

/** What a page does to its chain, as the end-of-export proof (`judgeChain`) decides it. */
export type ChainMove =
  /** The chain goes on with this cursor (the next offset of a window, the API's next token or link). */
  | { kind: 'follow'; cursor: Cursor | null }
  /** The data proved the export complete: nothing is left. */
  | { kind: 'end' }
  /**
   * The end signal needs the data's word: the next request is a fresh query from the watermark (not
   * counted as a restart: it is how an export ends).
   */
  | { kind: 'confirm'; detail: string }
  /** The cursor ended short of what `total` promised, or a page was sparse: a counted restart. */
  | { kind: 'token-missing'; detail: string }
  /** The same `after` token came back with nothing new: following it would loop. */
  | { kind: 'stuck-cursor'; detail: string }
  /** The cursor advances, but its pages keep bringing nothing new (empty pages, repeats): a counted restart. */
  | { kind: 'barren-cursor'; detail: string }
  /**
   * An `after` page came back empty while its cursor goes on: what it should have held, and a record the
   * previous page held back for it, would come on no later page (the next page's first records could even
   * pass for its span). A counted restart that reads the previous page's span again.
   */
  | { kind: 'empty-page'; detail: string }
  /** The cursor walked past every remaining range: the gaps behind it are read by a bounded query. */
  | { kind: 'past-ranges'; detail: string }
  /** The gap ranges' filter grew too long for a restart's URL: re-anchor now. */
  | { kind: 'rechain' }
  /** An offset window near the depth cap: a new window from the watermark. */
  | { kind: 'rewindow'; detail: string }
  /** An intel page without Next-Page: the next query continues with the `_marker` filter (noted once: detail null). */
  | { kind: 'marker-fallback'; detail: string | null }
  /** The cursor was given up (a wait outlived it) while the page's entities were arriving. */
  | { kind: 'abandon' };

/** What happens to the chain itself: kept with a new cursor, the export ended, dropped (its span read again), forgotten, or a watermark restart. */
type ChainEffect = 'follow' | 'end' | 'drop' | 'forget' | 'restart';

interface Transition {
  chain: ChainEffect;
  counter: RunCounter | null;
  /** The timeline event, written before or after the chain's effect. */
  event: HealthEventKind | null;
  noteFirst: boolean;
  /** The move reads again without exporting anything new (what NO_PROGRESS counts). */
  barren: boolean;
}

/** Every move a page can make on its chain, and what each does: the table the engine applies. */
export const CHAIN_TRANSITIONS: Readonly<Record<ChainMove['kind'], Transition>> = {
  follow: { chain: 'follow', counter: null, event: null, noteFirst: false, barren: false },
  end: { chain: 'end', counter: null, event: null, noteFirst: false, barren: false },
  // Proof queries that keep finding nothing new yet never end count as no progress (NO_PROGRESS), not a loop.
  confirm: { chain: 'drop', counter: null, event: 'end_unproven', noteFirst: false, barren: true },
  'token-missing': { chain: 'restart', counter: 'tokenMissingMidRun', event: 'token_missing_mid_run', noteFirst: true, barren: false },
  'stuck-cursor': { chain: 'restart', counter: null, event: 'cursor_refused', noteFirst: true, barren: false },
  // restart() itself counts towards NO_PROGRESS: a cursor that keeps doing this ends the run, resumable.
  'barren-cursor': { chain: 'restart', counter: null, event: 'cursor_barren', noteFirst: true, barren: false },
  'empty-page': { chain: 'restart', counter: null, event: 'empty_page_mid_chain', noteFirst: true, barren: false },
  'past-ranges': { chain: 'drop', counter: null, event: 'watermark_restart', noteFirst: false, barren: false },
  rechain: { chain: 'drop', counter: null, event: null, noteFirst: false, barren: false },
  // A window that only re-reads exported boundary ids (more ties than the cap holds) makes no progress.
  rewindow: { chain: 'forget', counter: 'depthCapRewindows', event: 'depth_cap_rewindow', noteFirst: true, barren: true },
  'marker-fallback': { chain: 'forget', counter: null, event: 'marker_fallback', noteFirst: true, barren: false },
  abandon: { chain: 'drop', counter: null, event: null, noteFirst: false, barren: false },
};

export function applyChainMove(s: RunningState, move: ChainMove): void {
  const t = CHAIN_TRANSITIONS[move.kind];
  const detail = 'detail' in move ? move.detail : null;
  if (t.counter !== null) count(s, t.counter);
  if (t.event !== null && t.noteFirst && detail !== null) note(s, t.event, detail);
  applyEffect(s, t.chain, move);
  if (t.barren) s.run.barrenRestarts++;
  if (t.event !== null && !t.noteFirst && detail !== null) note(s, t.event, detail);
}

function applyEffect(s: RunningState, effect: ChainEffect, move: ChainMove): void {
  switch (effect) {
    case 'follow':
      if (s.cp.chain && move.kind === 'follow') s.cp.chain.cursor = move.cursor;
      return;
    case 'end':
      endExport(s);
      return;
    case 'drop':
      dropChain(s);
      return;
    case 'forget':
      s.cp.chain = null;
      return;
    case 'restart':
      restart(s);
      return;
    default:
      assertNever(effect, 'chain effect');
  }
}
