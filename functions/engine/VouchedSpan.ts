import { idHash } from './idHash.ts';
import { compareValues, type Bound, type KeyRange } from './KeyRange.ts';

/**
 * Ids a span remembers, at most: the last 256 records of a page, extended back over records that share
 * the first one's watermark (and records known exported in it). The checkpoint travels in every Foundry
 * response and collection write, so it stays a few KB; a record held back further than this is not told
 * apart, and the export stops unprovable.
 */
export const MAX_REMEMBERED_IDS = 512;
/** Records of a page's end a span starts with. */
const TAIL_RECORDS = 256;

/**
 * What a page vouches for: every record it returned whose watermark lies in [from, to] (from itself only
 * when `fromInclusive`). A record in that span whose id is not in `ids` (idHash) was never exported.
 */
export interface VouchedSpan {
  from: string | number;
  fromInclusive: boolean;
  to: string | number;
  ids: string[];
}

/**
 * The span the tail of a page (sorted by key) vouches for, inside the one range of its query that its
 * last record lies in: records outside the query were never asked for, so the page says nothing about
 * them. `exported` are records exported before this page (bound ids, spans read again): one the server
 * held back from this page was exported all the same. The first watermark is vouched for only when no
 * record with it can sit before the tail: on a chain's first page (its query starts at or below it), or
 * when the record before the tail has another. null when the ids do not fit.
 */
export function vouchedSpanOf(
  page: ReadonlyArray<{ value: string | number; id: string }>,
  queryRanges: readonly KeyRange[],
  firstOfChain: boolean,
  exported: readonly VouchedSpan[],
): VouchedSpan | null {
  const rangeOf = (value: string | number): KeyRange | undefined =>
    queryRanges.find((r) => (r.from === null || compareValues(r.from.value, value) <= 0) && (r.to === null || compareValues(value, r.to.value) <= 0));
  let lastIndex = page.length - 1;
  while (lastIndex >= 0 && rangeOf((page[lastIndex] as { value: string | number }).value) === undefined) lastIndex--;
  const last = page[lastIndex];
  const range = last && rangeOf(last.value);
  if (!last || !range) return null;
  return spanInRange(page, lastIndex, last, range, firstOfChain, exported);
}

function spanInRange(
  page: ReadonlyArray<{ value: string | number; id: string }>,
  lastIndex: number,
  last: { value: string | number; id: string },
  range: KeyRange,
  firstOfChain: boolean,
  exported: readonly VouchedSpan[],
): VouchedSpan | null {
  // A page that went on past its range's end (records beyond the export's bound) vouches up to that end.
  const to = lastIndex < page.length - 1 && range.to !== null ? range.to.value : last.value;
  const bound = range.from;
  const inRange = page.slice(0, lastIndex + 1).filter((k) => bound === null || compareValues(k.value, bound.value) >= 0);
  let start = Math.max(0, inRange.length - TAIL_RECORDS);
  // Records tied on the first watermark may sit before the tail: take them in while the ids fit.
  while (start > 0 && inRange.length - start < MAX_REMEMBERED_IDS && inRange[start - 1]?.value === inRange[start]?.value) start--;
  const tail = inRange.slice(start);
  const from = (tail[0] as { value: string | number }).value;
  const fromInclusive = start === 0 ? firstOfChain : inRange[start - 1]?.value !== from;
  const own = { from, fromInclusive, to, ids: tail.map((k) => idHash(k.id)) };
  const ids = new Set([...own.ids, ...exported.filter((span) => overlap(span, own)).flatMap((span) => span.ids)]);
  if (ids.size > MAX_REMEMBERED_IDS) return null;
  // Ids exported elsewhere on the page's stretch (bounds of other ranges it read through) vouch for
  // nothing new, but a record held back from there is still known as a repeat: keep those that fit.
  const first = page[0] as { value: string | number };
  const stretch = { from: first.value, fromInclusive: true, to, ids: [] };
  for (const id of exported.filter((span) => overlap(span, stretch)).flatMap((span) => span.ids)) {
    if (ids.size >= MAX_REMEMBERED_IDS) break;
    ids.add(id);
  }
  return { ...own, ids: [...ids] };
}

/** The ids exported at the bounds of ranges, as spans of one value each. */
export function boundSpans(ranges: readonly KeyRange[]): VouchedSpan[] {
  return ranges
    .flatMap((r) => [r.from, r.to])
    .filter((b): b is Bound => b !== null && b.ids.length > 0)
    .map((b) => ({ from: b.value, fromInclusive: true, to: b.value, ids: b.ids.map(idHash) }));
}

/** Whether a span vouches for records with this watermark. */
export function spanCovers(span: VouchedSpan, value: string | number): boolean {
  const above = compareValues(value, span.from);
  return (above > 0 || (above === 0 && span.fromInclusive)) && compareValues(value, span.to) <= 0;
}

/** Spans waiting to be read again, at most, and the ids they hold together. */
const MAX_SPANS = 8;
export const MAX_RECHECK_IDS = 2 * MAX_REMEMBERED_IDS;

/** `span` joined to the spans to read again, merged with those it overlaps; null when they no longer fit a checkpoint. */
export function withSpan(spans: readonly VouchedSpan[], span: VouchedSpan): VouchedSpan[] | null {
  let joined = span;
  const apart: VouchedSpan[] = [];
  for (const other of spans) {
    if (!overlap(other, joined)) {
      apart.push(other);
      continue;
    }
    const merged = mergeSpans(other, joined);
    if (merged === null) return null;
    joined = merged;
  }
  const all = [...apart, joined].sort((a, b) => compareValues(a.from, b.from));
  return all.length <= MAX_SPANS && idCount(all) <= MAX_RECHECK_IDS ? all : null;
}

/**
 * After a page of a chain, which reads its query from the start: a span the chain read through (the page
 * ends at or past it, or is short: `readTo` 'end') is done. Records the page exported inside the others
 * join their ids, so reading them once more keeps nothing twice. null when the ids no longer fit.
 */
export function settleSpans(
  spans: readonly VouchedSpan[],
  exported: ReadonlyArray<{ value: string | number; id: string }>,
  readTo: string | number | 'end' | null,
): VouchedSpan[] | null {
  const open = spans.filter((span) => readTo === null || (readTo !== 'end' && compareValues(readTo, span.to) < 0));
  const settled = open.map((span) => {
    const ids = new Set(span.ids);
    for (const k of exported) if (spanCovers(span, k.value)) ids.add(idHash(k.id));
    return { ...span, ids: [...ids] };
  });
  return settled.every((span) => span.ids.length <= MAX_REMEMBERED_IDS) && idCount(settled) <= MAX_RECHECK_IDS ? settled : null;
}

/** The ranges a new chain asks for: the remaining ranges and the spans read again, merged where they touch (only the filter is built from these). */
export function rangesWithSpans(ranges: readonly KeyRange[], spans: readonly VouchedSpan[]): readonly KeyRange[] {
  if (spans.length === 0) return ranges;
  const asRanges = spans.map((span): KeyRange => ({ from: { value: span.from, ids: [] }, to: { value: span.to, ids: [] } }));
  const sorted = [...ranges, ...asRanges].sort((a, b) => (a.from === null ? -1 : b.from === null ? 1 : compareValues(a.from.value, b.from.value)));
  const merged: KeyRange[] = [];
  for (const range of sorted) {
    const prev = merged[merged.length - 1];
    if (prev === undefined || (prev.to !== null && range.from !== null && compareValues(range.from.value, prev.to.value) > 0)) {
      merged.push(range);
      continue;
    }
    if (prev.to !== null && (range.to === null || compareValues(range.to.value, prev.to.value) > 0)) merged[merged.length - 1] = { from: prev.from, to: range.to };
  }
  return merged;
}

function overlap(a: VouchedSpan, b: VouchedSpan): boolean {
  return compareValues(b.from, a.to) <= 0 && compareValues(a.from, b.to) <= 0;
}

function idCount(spans: readonly VouchedSpan[]): number {
  return spans.reduce((n, span) => n + span.ids.length, 0);
}

/** Two overlapping spans as one; null when they do not overlap (the records between them were not read) or their ids do not fit one span. */
function mergeSpans(a: VouchedSpan, b: VouchedSpan): VouchedSpan | null {
  if (!overlap(a, b)) return null;
  const ids = [...new Set([...a.ids, ...b.ids])];
  if (ids.length > MAX_REMEMBERED_IDS) return null;
  const fromOrder = compareValues(a.from, b.from);
  const from = fromOrder <= 0 ? a : b;
  return {
    from: from.from,
    fromInclusive: fromOrder === 0 ? a.fromInclusive || b.fromInclusive : from.fromInclusive,
    to: compareValues(a.to, b.to) >= 0 ? a.to : b.to,
    ids,
  };
}
