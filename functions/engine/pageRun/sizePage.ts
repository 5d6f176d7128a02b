import type { StreamSpec } from '../../falcon/streams.ts';
import { chainFilter } from '../buildRequest.ts';
import type { Chain } from '../Checkpoint.ts';
import type { RunningState } from '../EngineState.ts';
import { rangesWithSpans } from '../VouchedSpan.ts';
import { depthCapOf } from './depthCapOf.ts';

/** The next page request, sized; or why there is none this run. */
export type PageSize =
  | { kind: 'request'; chain: Chain; limit: number; offset: number; overlapId: string | null }
  | { kind: 'stop-byte-budget'; detail: string }
  /** A scroll opened with pages larger than a fresh run's byte budget: open it again, smaller. */
  | { kind: 'reopen-scroll'; detail: string };

/** Sizes the next page: the caps, the overlap record, the ids a new chain re-reads, entities batches and the byte budget. */
export function sizePage(s: RunningState, spec: StreamSpec): PageSize {
  const base = Math.min(s.input.pageLimit, s.cp.learnedPageLimit ?? Infinity);
  const chain: Chain = s.cp.chain ?? {
    cursor: null,
    pages: 0,
    received: 0,
    firstTotal: null,
    lastTotal: null,
    totalMoved: false,
    barrenPages: 0,
    limit: base,
    filter: chainFilter(spec, s.input.filter, rangesWithSpans(s.cp.ranges, s.cp.rechecks)),
    lastId: null,
    lastKey: null,
    tail: null,
  };
  const offset = chain.cursor?.kind === 'offset' ? chain.cursor.offset : 0;
  // Offsets shift when records before them are deleted (or inserted) between pages, even when `total`
  // stays the same; asking for the previous page's last record again proves the new page adjacent.
  const overlapId = spec.style === 'offset' && offset > 0 ? chain.lastId : null;
  // A new chain (an offset window, or any cursor chain before its first page) starts at its watermark
  // inclusively, so it first re-reads the ids already exported there; the engine drops them, unsent.
  const newChain = spec.style === 'offset' ? offset === 0 : chain.cursor === null;
  const known = newChain ? (s.cp.ranges[0]?.from?.ids.length ?? 0) + s.cp.rechecks.reduce((n, span) => n + span.ids.length, 0) : 0;
  let limit = capped(s, spec, base, offset, Boolean(overlapId));
  if (newChain) {
    // A page that can hold no more than those ids cannot progress, whatever a 500, a small cap or a
    // byte budget taught: ask for at least one record more.
    limit = Math.min(spec.maxLimit, Math.max(limit, known + 1));
    if (s.input.maxResponseBytes === null) limit = alignedToBatches(spec, limit, known);
  }
  if (s.input.maxResponseBytes === null) return { kind: 'request', chain, limit, offset, overlapId };
  return withinByteBudget(s, spec, chain, s.input.maxResponseBytes, { limit, known, offset, overlapId });
}

/** The depth cap bounds offset + limit; an overlap record takes one place of the largest page. */
function capped(s: RunningState, spec: StreamSpec, limit: number, offset: number, overlap: boolean): number {
  const cap = depthCapOf(s, spec);
  let out = limit;
  if (cap !== null) out = Math.max(1, Math.min(out, cap - offset));
  if (overlap) out = Math.max(1, Math.min(out, spec.maxLimit - 1));
  return out;
}

/** Sizing the page so that the new ids fill whole entities batches keeps a batch from being split across two pages. */
function alignedToBatches(spec: StreamSpec, limit: number, known: number): number {
  if (spec.style !== 'offset' || !spec.hydrate) return limit;
  const aligned = Math.floor((limit - known) / spec.hydrate.maxIds) * spec.hydrate.maxIds + known;
  return aligned - known >= spec.hydrate.maxIds ? aligned : limit;
}

function withinByteBudget(
  s: RunningState,
  spec: StreamSpec,
  chain: Chain,
  maxBytes: number,
  page: { limit: number; known: number; offset: number; overlapId: string | null },
): PageSize {
  const perItem = s.run.avgItemBytes ?? spec.typicalItemBytes;
  // A fresh run asks for at least one record even when the estimate says none fits: the record's real
  // size then decides (RECORD_TOO_LARGE names the fix), instead of stopping empty-handed in every run.
  const fit = s.run.bytes === 0 ? Math.max(1, Math.floor(maxBytes / perItem)) : Math.floor((maxBytes - s.run.bytes) / perItem);
  const fixedScroll = spec.style === 'scroll' && chain.cursor !== null;
  if (fixedScroll && chain.limit > fit && fit >= 1 && s.run.bytes === 0) {
    // A scroll keeps the page size it opened with, sized on an estimate of the record size. When even
    // a fresh run's budget cannot hold one of its pages, waiting for the next run would loop forever:
    // open a new scroll sized to the budget from the watermark.
    return { kind: 'reopen-scroll', detail: `a scroll page of ${chain.limit} records does not fit ${maxBytes} bytes; reopening it with ${fit}` };
  }
  if (fit < 1 || (fixedScroll && chain.limit > fit)) return { kind: 'stop-byte-budget', detail: `${s.run.bytes} bytes used` };
  // The re-read boundary ids cost no bytes: only the new records are emitted. A scroll keeps its first
  // page size for every page, though, and its later pages re-read nothing: size it for those.
  const limit = Math.min(page.limit, spec.style === 'scroll' ? Math.max(fit, page.known + 1) : page.known + fit);
  return { kind: 'request', chain, limit, offset: page.offset, overlapId: page.overlapId };
}
