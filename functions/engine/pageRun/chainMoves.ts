import { STREAMS } from '../../falcon/streams.ts';
import type { RunContext } from '../EngineState.ts';
import type { Bound } from '../KeyRange.ts';
import { withSpan } from '../VouchedSpan.ts';
import { note } from './note.ts';
import { count } from './runCounters.ts';

/**
 * Gives up the chain. An `after` cursor may have held back a record of its last page to serve on the next
 * one, out of order: whatever ends the chain, the next query reads that page's span again (a span lies
 * within the ranges its page asked for, so within the export's bound) and keeps what the page did not return.
 */
export function dropChain(s: RunContext): void {
  const spec = STREAMS[s.input.stream];
  const tail = s.cp.chain?.tail ?? null;
  s.cp.chain = null;
  if (tail === null || (spec.style !== 'after-body' && spec.style !== 'after-query')) return;
  const rechecks = withSpan(s.cp.rechecks, tail);
  if (rechecks === null) {
    // Not expected from any real answer: spans that cannot be remembered cannot vouch for anything.
    s.cp.orderViolated = true;
    note(s, 'out_of_order', 'the spans to read again behind abandoned cursors do not fit one checkpoint; the export cannot be proven complete');
  }
  s.cp.rechecks = rechecks ?? [];
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
