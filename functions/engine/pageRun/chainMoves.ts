import { STREAMS } from '../../falcon/streams.ts';
import type { RunContext } from '../EngineState.ts';
import type { Bound } from '../KeyRange.ts';
import type { Chain } from '../Checkpoint.ts';
import { withSpan, type VouchedSpan } from '../VouchedSpan.ts';
import { note } from './note.ts';
import { count } from './runCounters.ts';

/**
 * Gives up the chain. An `after` cursor may have held back a record of its last page to serve on the next
 * one, out of order: whatever ends the chain, the next query reads that page's span again (a span lies
 * within the ranges its page asked for, so within the export's bound) and keeps what the page did not return;
 * so it does for the pages the chain held (see holdPreviousSpan).
 */
export function dropChain(s: RunContext): void {
  const chain = s.cp.chain;
  s.cp.chain = null;
  if (chain === null || !heldBackPossible(s)) return;
  let rechecks: VouchedSpan[] | null = s.cp.rechecks;
  for (const span of [...chain.heldSpans, ...(chain.tail ? [chain.tail] : [])]) rechecks = rechecks && withSpan(rechecks, span);
  if (rechecks === null) spansOverflow(s);
  s.cp.rechecks = rechecks ?? [];
}

/**
 * A continuation page came back short while its cursor goes on: it may lack the records the previous page
 * held back for it, and they would come on no later page. That page's span is kept with the chain and read
 * again when the chain ends (not before: the chain's own pages do not query it).
 */
export function holdPreviousSpan(s: RunContext, chain: Chain): void {
  if (chain.tail === null || !heldBackPossible(s)) return;
  const held = withSpan(chain.heldSpans, chain.tail);
  if (held === null) spansOverflow(s);
  chain.heldSpans = held ?? [];
}

/** Only `after` cursors are known to serve a record held back from one page on the next. */
function heldBackPossible(s: RunContext): boolean {
  const style = STREAMS[s.input.stream].style;
  return style === 'after-body' || style === 'after-query';
}

function spansOverflow(s: RunContext): void {
  // Not expected from any real answer: spans that cannot be remembered cannot vouch for anything.
  s.cp.orderViolated = true;
  note(s, 'out_of_order', 'the spans to read again behind abandoned cursors do not fit one checkpoint; the export cannot be proven complete');
}

/** Drops the live cursor; the next page query starts a new chain over the remaining ranges. */
export function restart(s: RunContext): void {
  dropChain(s);
  count(s, 'watermarkRestarts');
  s.run.barrenRestarts++;
  note(s, 'watermark_restart', `${s.cp.ranges.length} range(s) from ${describeBound(s.cp.ranges[0]?.from ?? null)}`);
}

/** The data proved nothing is left: no range, no chain, no span to read again. */
export function endExport(s: RunContext): void {
  s.cp.ranges = [];
  s.cp.chain = null;
  s.cp.rechecks = [];
}

function describeBound(bound: Bound | null): string {
  return bound ? `${String(bound.value)} (${bound.ids.length} id(s) already exported)` : 'the beginning';
}
