import { STREAMS, type StreamSpec } from '../../falcon/streams.ts';
import { engineError } from '../EngineError.ts';
import type { PageFacts, RunningState } from '../EngineState.ts';
import { MAX_BOUND_IDS, compareKeys, inRanges } from '../KeyRange.ts';
import type { StepOutput } from '../StepOutput.ts';
import { boundSpans, rangesWithSpans } from '../VouchedSpan.ts';
import { accountPage, orderCheck, type Key } from './chainAccounting.ts';
import { dropChain } from './chainMoves.ts';
import { checkpointString, fail, stop } from './endRun.ts';
import { note } from './note.ts';
import { hasPath, project } from './project.ts';

type Item = Record<string, unknown>;
type Keyed = Key & { item: Item };

/** A page's records, hydrated where the stream lists ids: the new ones are emitted, the chain accounts for the page. */
export function acceptPage(s: RunningState, rawItems: Item[], facts: PageFacts): StepOutput {
  const spec = STREAMS[s.input.stream];
  const keyed = keysOf(spec, rawItems);
  if (keyed === null) {
    return fail(s, engineError('SCHEMA_MISMATCH', `A ${spec.name} record lacks "${spec.idField}" or "${spec.watermarkField}"; the watermark cannot be kept.`, {}));
  }
  const before = s.cp.ranges;
  const queried = rangesWithSpans(before, s.cp.rechecks);
  const firstOfChain = (s.cp.chain?.pages ?? 0) === 0;
  const exportedBefore = [...s.cp.rechecks, ...boundSpans(before)];
  const accepted = newRecords(s, keyed);
  const dropped = keyed.length - accepted.length;
  if (s.run.absentFields.length > 0) {
    // A projected field no record has is most likely a typo: say so once the run ends.
    s.run = { ...s.run, absentFields: s.run.absentFields.filter((path) => !accepted.some((k) => hasPath(k.item, path))) };
  }
  const out = withinBudget(s, spec, accepted);
  if (out.overflowSize !== null && out.emitted.length === 0) return tooLarge(s, spec, out.overflowSize);
  const truncated = out.overflowSize !== null;
  const page = {
    facts,
    keyed,
    accepted: truncated ? accepted.slice(0, out.emitted.length) : accepted,
    dropped,
    truncated,
    bytes: out.bytes,
    sizes: out.sizes,
    queried,
    firstOfChain,
    exportedBefore,
  };
  if (!accountPage(s, spec, page)) {
    return fail(s, engineError('NO_PROGRESS', `More than ${MAX_BOUND_IDS} records share one ${spec.watermarkField} value; the watermark cannot move past them.`, {}));
  }
  const checkpoint = checkpointString(s);
  s.phase = 'await-emit';
  s.emitting = { checkpoint, items: page.accepted.length, dropped: truncated ? 0 : dropped };
  s.health.exportItems = s.cp.counters.items;
  s.health.exportApiCalls = s.cp.counters.apiCalls;
  return { state: s, command: { kind: 'emit', items: out.emitted, checkpoint, bytes: out.bytes } };
}

/** The records keyed by watermark and id, sorted; null when one lacks either. */
function keysOf(spec: StreamSpec, rawItems: Item[]): Keyed[] | null {
  const keyed: Keyed[] = [];
  for (const item of rawItems) {
    const value = item[spec.watermarkField];
    const id = item[spec.idField];
    if (typeof id !== 'string' || (typeof value !== 'string' && typeof value !== 'number')) return null;
    keyed.push({ item, value, id });
  }
  return keyed.sort(compareKeys);
}

/** The records not exported before: in the remaining ranges, or kept out of order where a span vouches for them. */
function newRecords(s: RunningState, keyed: readonly Keyed[]): Keyed[] {
  const before = s.cp.ranges;
  const seen = new Set<string>();
  const order = orderCheck(s);
  const accepted = keyed.filter((k) => {
    if (seen.has(k.id)) return false;
    if (!inRanges(before, k.value, k.id)) {
      const verdict = order.judge(k);
      if (verdict !== 'new') return false;
      note(s, 'out_of_order', `${k.id} came after records it sorts behind; it was never exported, so it is kept`);
    }
    seen.add(k.id);
    return true;
  });
  if (order.violated) {
    s.cp.orderViolated = true;
    note(s, 'out_of_order', 'a record came back behind the chain with no way to tell whether it was exported; the export cannot be proven complete');
  }
  return accepted;
}

/** Byte budget: keep the prefix that fits; the rest stays in the ranges and the cursor is given up. */
function withinBudget(s: RunningState, spec: StreamSpec, accepted: readonly Keyed[]): { emitted: unknown[]; bytes: number; sizes: number[]; overflowSize: number | null } {
  const emitted: unknown[] = [];
  const sizes: number[] = [];
  let bytes = 0;
  for (const k of accepted) {
    const projected = project(s.input.fields, spec, k.item);
    const size = JSON.stringify(projected).length + 1;
    /** Size of the first record that did not fit. */
    if (s.input.maxResponseBytes !== null && s.run.bytes + bytes + size > s.input.maxResponseBytes) return { emitted, bytes, sizes, overflowSize: size };
    emitted.push(projected);
    sizes.push(size);
    bytes += size;
  }
  return { emitted, bytes, sizes, overflowSize: null };
}

/** Not even the page's first new record fits what is left of the byte budget. */
function tooLarge(s: RunningState, spec: StreamSpec, firstSize: number): StepOutput {
  // The estimate was too low: remember what a record really costs so the next page is sized by it.
  s.run.avgItemBytes = Math.max(s.run.avgItemBytes ?? 0, firstSize);
  // A record kept out of order lies outside the ranges: the span that vouched for it is read again.
  dropChain(s);
  if (s.run.bytes === 0) {
    return fail(
      s,
      engineError(
        'RECORD_TOO_LARGE',
        `One ${spec.name} record takes ${firstSize} bytes, more than the whole response budget of ${s.input.maxResponseBytes} (--max-bytes, max_response_bytes); project records with fields or raise the budget.`,
        { bytes: firstSize, budget: s.input.maxResponseBytes },
      ),
    );
  }
  return stop(s, 'stopped_byte_budget', `the next record (${firstSize} bytes) does not fit the ${(s.input.maxResponseBytes ?? 0) - s.run.bytes} bytes left`);
}
