import type { StreamSpec } from '../../falcon/streams.ts';
import type { Chain } from '../Checkpoint.ts';
import type { PageFacts, RunningState } from '../EngineState.ts';
import { rangesFilter } from '../fql.ts';
import { idHash } from '../idHash.ts';
import {
  MAX_BOUND_IDS,
  compareKeys,
  compareValues,
  largestBound,
  raiseHigh,
  subtractCoverage,
  type Bound,
  type Coverage,
  type KeyRange,
  type WatermarkValue,
} from '../KeyRange.ts';
import { ENGINE_DEFAULTS } from '../RunInput.ts';
import { settleSpans, spanCovers, vouchedSpanOf, type VouchedSpan } from '../VouchedSpan.ts';
import { applyChainMove, type ChainMove } from './ChainMove.ts';
import { dropChain } from './chainMoves.ts';
import { depthCapOf } from './depthCapOf.ts';
import { note } from './note.ts';
import { count } from './runCounters.ts';

export type Key = { value: WatermarkValue; id: string };

/** One page as the chain accounts for it: what it returned (sorted by key), what it exported, and what came before it. */
export interface PageAccount {
  facts: PageFacts;
  keyed: readonly Key[];
  accepted: Key[];
  dropped: number;
  /** The byte budget cut the page after its accepted records. */
  truncated: boolean;
  bytes: number;
  sizes: readonly number[];
  /** The ranges (and spans read again) the page's query asked for. */
  queried: readonly KeyRange[];
  firstOfChain: boolean;
  exportedBefore: readonly VouchedSpan[];
}

/**
 * Judges a record that is not in the remaining ranges. A record in the span a restart reads again (the
 * last page of an abandoned `after` chain) is new unless that page returned it. In a chain's continuation
 * page, a record that sorts behind the previous page's last key came out of order: it is new when the
 * previous page vouches for its watermark and did not return it; a duplicate when that page did, or when
 * it is a range bound's known id. Anything else behind the chain cannot be told apart and marks the
 * export as unprovable, instead of being dropped as "already exported" while the export ends complete.
 */
export function orderCheck(s: RunningState): { judge(k: Key): 'new' | 'duplicate'; violated: boolean } {
  const chain = s.cp.chain;
  const rechecks = s.cp.rechecks;
  const boundIds = new Set(s.cp.ranges.flatMap((r) => [...(r.from?.ids ?? []), ...(r.to?.ids ?? [])]));
  const check = {
    violated: false,
    judge(k: Key): 'new' | 'duplicate' {
      if (boundIds.has(k.id)) return 'duplicate';
      const recheck = rechecks.find((span) => spanCovers(span, k.value));
      if (recheck) return recheck.ids.includes(idHash(k.id)) ? 'duplicate' : 'new';
      if (!chain || chain.pages === 0 || chain.lastKey === null) return 'duplicate';
      if (compareKeys(k, chain.lastKey) >= 0) return 'duplicate';
      if (chain.tail !== null && chain.tail.ids.includes(idHash(k.id))) return 'duplicate';
      if (chain.tail !== null && spanCovers(chain.tail, k.value)) return 'new';
      check.violated = true;
      return 'duplicate';
    },
  };
  return check;
}

/**
 * Accounts for an exported page: the ranges it covered, the spans it settled, the high-water mark, the
 * counters, and what its chain does next. Returns false when the watermark cannot move past its ties.
 */
export function accountPage(s: RunningState, spec: StreamSpec, page: PageAccount): boolean {
  const { facts, keyed, truncated, accepted } = page;
  const dropped = truncated ? 0 : page.dropped;
  const { last, narrowed } = narrowRanges(s, facts, coveredKeys(s, page));
  const pageLast = keyed[keyed.length - 1];
  // A short page is the end only where the cursor ended too: a page short of a held-back record is not.
  // A page cut to the byte budget read through what it kept: spans up to its last kept record are done
  // (records tied with it that were cut stay in the ranges), or every run of a small budget would
  // carry them on and merge them until they no longer fit a checkpoint.
  const readTo = truncated ? (accepted[accepted.length - 1]?.value ?? null) : pageLast === undefined ? null : facts.returned < facts.asked && facts.chainEnded ? 'end' : pageLast.value;
  settleRechecks(s, accepted, readTo);
  for (const k of accepted) s.cp.high = raiseHigh(s.cp.high, k.value, k.id);
  if (accepted.length > 0) s.run.barrenRestarts = 0;
  countPage(s, page, dropped);
  if (largestBound(s.cp.ranges) > MAX_BOUND_IDS) return false;
  if (truncated) {
    // The cursor moved past the records cut off; what the kept prefix vouches for is read again with them.
    const lastKept = accepted[accepted.length - 1];
    rememberPage(s, lastKept ? keyed.filter((k) => compareKeys(k, lastKept) <= 0) : [], page);
    dropChain(s);
  } else {
    rememberPage(s, keyed, page);
    advanceChain(s, spec, facts, { accepted: accepted.length, narrowed, lastValue: last?.value ?? null });
  }
  return true;
}

/** The keys the page covers: records a page returned count towards its coverage even when they were not hydrated again. */
function coveredKeys(s: RunningState, page: PageAccount): readonly Key[] {
  const { facts, keyed, accepted } = page;
  const covered: readonly Key[] = facts.knownKeys.length ? [...keyed, ...facts.knownKeys].sort(compareKeys) : keyed;
  if (!page.truncated) return covered;
  const lastKept = accepted[accepted.length - 1];
  note(s, 'page_truncated_to_budget', `${accepted.length} of ${keyed.length} records fit the response budget`);
  return lastKept ? covered.filter((k) => compareValues(k.value, lastKept.value) < 0 || accepted.some((c) => c.id === k.id)) : [];
}

function countPage(s: RunningState, page: PageAccount, dropped: number): void {
  count(s, 'items', page.accepted.length);
  count(s, 'pages');
  count(s, 'duplicatesDropped', dropped);
  note(s, 'page', `${page.accepted.length} new record(s)${dropped > 0 ? `, ${dropped} already exported` : ''}`);
  s.run.pages++;
  s.run.bytes += page.bytes;
  if (page.sizes.length > 0) {
    const avg = page.bytes / page.sizes.length;
    s.run.avgItemBytes = s.run.avgItemBytes === null ? avg : Math.round(0.5 * s.run.avgItemBytes + 0.5 * avg);
  }
}

/** Subtracts what the page covered from the remaining ranges; returns the last covered key and whether the ranges shrank. */
function narrowRanges(s: RunningState, facts: PageFacts, coveredKeys: readonly Key[]): { last: Key | undefined; narrowed: boolean } {
  const first = coveredKeys[0];
  const last = coveredKeys[coveredKeys.length - 1];
  if (!last || !first) return { last, narrowed: false };
  // Unless a page is known to follow the previous one, a page may have gone missing in between (a
  // scroll shared with another worker, an after context that skipped): such a page is subtracted on
  // its own, and the gap before it stays pending for the next restart.
  const coverage: Coverage = { first: facts.adjacent ? null : boundAt(coveredKeys, first.value), last: boundAt(coveredKeys, last.value) };
  const remaining = subtractCoverage(s.cp.ranges, coverage);
  // Progress is new records or a smaller remainder; restarts without either are what NO_PROGRESS counts.
  const narrowed = JSON.stringify(remaining) !== JSON.stringify(s.cp.ranges);
  if (narrowed) s.run.barrenRestarts = 0;
  s.cp.ranges = remaining;
  return { last, narrowed };
}

function boundAt(keys: readonly Key[], value: WatermarkValue): Bound {
  return { value, ids: keys.filter((k) => compareValues(k.value, value) === 0).map((k) => k.id) };
}

/** What the next page of the chain is judged against: this page's last key and the span it vouches for. */
function rememberPage(s: RunningState, keyed: readonly Key[], page: PageAccount): void {
  const chain = s.cp.chain;
  const last = keyed[keyed.length - 1];
  if (!chain || !last) return;
  chain.lastKey = chain.lastKey !== null && compareKeys(chain.lastKey, last) > 0 ? chain.lastKey : { value: last.value, id: last.id };
  chain.tail = vouchedSpanOf(keyed, page.queried, page.firstOfChain, page.exportedBefore);
}

/** Spans read again that this page read through are done; the others learn the records it exported. */
function settleRechecks(s: RunningState, exported: readonly Key[], readTo: WatermarkValue | 'end' | null): void {
  if (s.cp.rechecks.length === 0) return;
  const rechecks = settleSpans(s.cp.rechecks, exported, readTo);
  if (rechecks === null) {
    s.cp.orderViolated = true;
    note(s, 'out_of_order', 'the spans to read again do not fit one checkpoint; the export cannot be proven complete');
  }
  s.cp.rechecks = rechecks ?? [];
}

function advanceChain(s: RunningState, spec: StreamSpec, facts: PageFacts, page: Omit<PageOutcome, 'fresh'> & { narrowed: boolean }): void {
  const chain = s.cp.chain;
  if (!chain || facts.abandoned) {
    applyChainMove(s, { kind: 'abandon' });
    return;
  }
  const fresh = recordPage(s, spec, chain, facts, page.accepted > 0 || page.narrowed);
  applyChainMove(s, judgeChain(s, spec, chain, facts, { fresh, accepted: page.accepted, lastValue: page.lastValue }));
}

/** The chain's own tally of the page; returns whether it was the chain's first page. */
function recordPage(s: RunningState, spec: StreamSpec, chain: Chain, facts: PageFacts, progress: boolean): boolean {
  const fresh = chain.pages === 0;
  chain.pages++;
  chain.received += facts.returned;
  chain.barrenPages = progress ? 0 : chain.barrenPages + 1;
  if (chain.firstTotal === null) chain.firstTotal = facts.total;
  if (facts.total !== null && chain.lastTotal !== null && facts.total !== chain.lastTotal && !chain.totalMoved) {
    note(s, 'total_changed', `total went from ${chain.lastTotal} to ${facts.total} within one chain`);
    chain.totalMoved = true;
  }
  if (facts.total !== null) chain.lastTotal = facts.total;
  if (spec.style === 'offset') chain.lastId = facts.lastId ?? chain.lastId;
  return fresh;
}

interface PageOutcome {
  fresh: boolean;
  accepted: number;
  lastValue: WatermarkValue | null;
}

/**
 * The end-of-export proof. A cursor's end signal and `total` are evidence, not truth: an export ends only
 * when the data agrees. Either a fresh query over everything that remains answered fewer records than
 * asked, none of them new, and a total that does not say more (the proof every cursor style ends with),
 * or a short page of an offset window whose pages were proven adjacent by their overlap records, in a
 * window whose total never moved. Anything else restarts from the watermark, which is that query.
 */
export function judgeChain(s: RunningState, spec: StreamSpec, chain: Chain, facts: PageFacts, page: PageOutcome): ChainMove {
  const short = facts.returned < facts.asked;
  const totalSaysMore = facts.total !== null && facts.total > facts.returned;
  // An `after` page short of a record the server held back still carries its token: only a cursor's
  // end makes a short page the data's word.
  const cursorGoesOn = isAfter(spec) && !facts.chainEnded;
  if (page.fresh && short && page.accepted === 0 && !totalSaysMore && !cursorGoesOn) return { kind: 'end' };
  if (spec.style === 'offset') return judgeWindow(s, spec, chain, facts, short);
  if (!facts.chainEnded && !(spec.style === 'scroll' && short)) return judgeCursor(s, spec, chain, facts, page);
  return judgeCursorEnd(s, spec, chain, facts, short);
}

function judgeWindow(s: RunningState, spec: StreamSpec, chain: Chain, facts: PageFacts, short: boolean): ChainMove {
  const nextOffset = facts.requestOffset + facts.returned;
  if (short) {
    if (facts.total !== null && nextOffset < facts.total) {
      // Fewer records than asked while `total` says more remain: a sparse page, or a total that lies high.
      return { kind: 'token-missing', detail: `${facts.returned} of ${facts.asked} records at offset ${facts.requestOffset} of ${facts.total}` };
    }
    // `total` changed within the window, so it cannot back the short page: the data must.
    if (chain.totalMoved) return { kind: 'confirm', detail: endUnproven('total moved during the window') };
    // Every page of the window was proven adjacent to the one before, and this one came back short.
    return { kind: 'end' };
  }
  const cap = depthCapOf(s, spec);
  // Near the cap a new window from the watermark costs no more than a short tail page and reads more.
  // Farther away (pages cut short by a byte budget) the window goes on with a limit clamped to the cap:
  // re-windowing after every short page would re-read the boundary and never get past it.
  const fullPage = Math.min(s.input.pageLimit, s.cp.learnedPageLimit ?? Infinity);
  if (cap !== null && cap - nextOffset < Math.max(1, Math.floor(fullPage / 2))) {
    return { kind: 'rewindow', detail: `offset ${nextOffset} + limit would pass the ${cap} cap; new window from the watermark` };
  }
  return { kind: 'follow', cursor: { kind: 'offset', offset: nextOffset } };
}

function judgeCursor(s: RunningState, spec: StreamSpec, chain: Chain, facts: PageFacts, page: PageOutcome): ChainMove {
  if (isAfter(spec) && !page.fresh && facts.returned === 0) {
    return { kind: 'empty-page', detail: 'a page came back empty while its cursor goes on; asking from the watermark' };
  }
  if (facts.next?.kind === 'after' && chain.cursor?.kind === 'after' && facts.next.token === chain.cursor.token && page.accepted === 0) {
    // The same token again with nothing new: following it would ask for the same page forever.
    return { kind: 'stuck-cursor', detail: 'the cursor did not advance; asking from the watermark' };
  }
  if (chain.barrenPages >= ENGINE_DEFAULTS.maxBarrenChainPages) {
    // Each page must pay for its request with a new record or a smaller remainder; a cursor that keeps
    // advancing without either (empty pages, repeats) is not followed on: what remains is asked for anew.
    return { kind: 'barren-cursor', detail: `${chain.barrenPages} pages in a row brought nothing new; asking from the watermark` };
  }
  if (page.lastValue !== null && pastEveryRange(s.cp.ranges, page.lastValue)) {
    // The cursor walks on through records newer than the export's bound, while gaps it left behind are
    // still pending: a query over what remains (bounded) gets them, instead of following the tail forever.
    return { kind: 'past-ranges', detail: `the cursor passed every remaining range at ${String(page.lastValue)}` };
  }
  return rangeFilterTooLong(spec, s.cp.ranges) ? { kind: 'rechain' } : { kind: 'follow', cursor: facts.next };
}

function judgeCursorEnd(s: RunningState, spec: StreamSpec, chain: Chain, facts: PageFacts, short: boolean): ChainMove {
  if (isAfter(spec)) return judgeAfterEnd(chain, facts);
  if (spec.style === 'marker' && facts.markerWithoutLink && facts.returned > 0 && !short) {
    const first = s.health.timeline.every((e) => e.kind !== 'marker_fallback');
    return { kind: 'marker-fallback', detail: first ? 'no Next-Page header; continuing with the _marker filter' : null };
  }
  // What `total` counts differs by style: a scroll's snapshot, and for intel the filter of the one request.
  const expected = spec.style === 'scroll' ? chain.firstTotal : facts.total;
  const received = spec.style === 'scroll' ? chain.received : facts.returned;
  if (facts.chainEnded && expected !== null && received < expected) return { kind: 'token-missing', detail: `cursor ended after ${received} of ${expected} records` };
  return { kind: 'confirm', detail: endUnproven(spec.style === 'scroll' ? 'the scroll ended' : 'the Next-Page walk ended') };
}

/**
 * A short last page without a cursor and with an agreeing total can all be staged (a record held back
 * out of order, a cursor that vanishes, a total that agrees), so an `after` chain, too, ends only when
 * the fresh query from the watermark finds nothing left.
 */
function judgeAfterEnd(chain: Chain, facts: PageFacts): ChainMove {
  const expected = facts.total;
  if (expected !== null && chain.received < expected) return { kind: 'token-missing', detail: `cursor ended after ${chain.received} of ${expected} records` };
  return { kind: 'confirm', detail: endUnproven(chain.totalMoved ? 'total moved during the chain' : 'the cursor ended') };
}

function endUnproven(why: string): string {
  return `${why}; one query from the watermark confirms nothing is left`;
}

function isAfter(spec: StreamSpec): boolean {
  return spec.style === 'after-body' || spec.style === 'after-query';
}

/** Whether `value` lies above every remaining range (each bounded above): nothing left is at or after it. */
function pastEveryRange(ranges: readonly KeyRange[], value: WatermarkValue): boolean {
  return ranges.length > 0 && ranges.every((r) => r.to !== null && compareValues(value, r.to.value) > 0);
}

/** Gap ranges pile up while a chain runs; re-anchoring before they get long keeps the restart's URL short. */
function rangeFilterTooLong(spec: StreamSpec, ranges: readonly KeyRange[]): boolean {
  return ranges.length > 1 && rangesFilter(spec.watermarkField, spec.watermarkKind, ranges).length > ENGINE_DEFAULTS.maxRangeFilterChars;
}
