/**
 * What is left to export, as ranges of the watermark (the stream's immutable sort key).
 *
 * A bound is inclusive of its value except for `ids`, the records at exactly that value that were
 * already exported. A fresh export is one unbounded range; the common resumable state is one range
 * from the watermark upwards. When a cursor chain may have skipped pages (a stolen scroll page, a
 * token that vanished), the pages it did return are subtracted one by one, so the gaps between them
 * stay in the list and the next query asks for them again. Records are never assumed to be exported
 * unless a page returned them.
 */
export type WatermarkValue = string | number;

export interface Bound {
  value: WatermarkValue;
  ids: string[];
}

export interface KeyRange {
  from: Bound | null;
  to: Bound | null;
}

/** One page's coverage: the first and last watermark it returned and the ids at those two values. */
export interface Coverage {
  /** null: the page was the first of its query, so it covers everything below `last` as well. */
  first: Bound | null;
  last: Bound;
}

export function compareValues(a: WatermarkValue, b: WatermarkValue): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const sa = String(a);
  const sb = String(b);
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}

/** The order every list endpoint returns: watermark ascending, then id. */
export function compareKeys(a: { value: WatermarkValue; id: string }, b: { value: WatermarkValue; id: string }): number {
  return compareValues(a.value, b.value) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

export const EVERYTHING: KeyRange[] = [{ from: null, to: null }];

export function inRanges(ranges: readonly KeyRange[], value: WatermarkValue, id: string): boolean {
  return ranges.some((range) => inRange(range, value, id));
}

function inRange(range: KeyRange, value: WatermarkValue, id: string): boolean {
  if (range.from) {
    const c = compareValues(value, range.from.value);
    if (c < 0 || (c === 0 && range.from.ids.includes(id))) return false;
  }
  if (range.to) {
    const c = compareValues(value, range.to.value);
    if (c > 0 || (c === 0 && range.to.ids.includes(id))) return false;
  }
  return true;
}

function unionIds(a: readonly string[], b: readonly string[]): string[] {
  const out = [...a];
  for (const id of b) if (!out.includes(id)) out.push(id);
  return out;
}

/** The tighter of two upper bounds. */
function minUpper(a: Bound | null, b: Bound): Bound {
  if (!a) return b;
  const c = compareValues(a.value, b.value);
  if (c < 0) return a;
  if (c > 0) return b;
  return { value: a.value, ids: unionIds(a.ids, b.ids) };
}

/** The tighter of two lower bounds. */
function maxLower(a: Bound | null, b: Bound): Bound {
  if (!a) return b;
  const c = compareValues(a.value, b.value);
  if (c > 0) return a;
  if (c < 0) return b;
  return { value: a.value, ids: unionIds(a.ids, b.ids) };
}

function isEmpty(range: KeyRange): boolean {
  return range.from !== null && range.to !== null && compareValues(range.from.value, range.to.value) > 0;
}

/** The ranges cut at an inclusive upper bound: nothing above `bound` remains to export. */
export function capRanges(ranges: readonly KeyRange[], bound: Bound): KeyRange[] {
  const out: KeyRange[] = [];
  for (const range of ranges) {
    const capped: KeyRange = { from: range.from, to: minUpper(range.to, bound) };
    if (!isEmpty(capped)) out.push(capped);
  }
  return out;
}

/** Removes one page's coverage from the remaining ranges. */
export function subtractCoverage(ranges: readonly KeyRange[], coverage: Coverage): KeyRange[] {
  const out: KeyRange[] = [];
  for (const range of ranges) {
    if (coverage.first) {
      const below: KeyRange = { from: range.from, to: minUpper(range.to, coverage.first) };
      if (!isEmpty(below)) out.push(below);
    }
    const above: KeyRange = { from: maxLower(range.from, coverage.last), to: range.to };
    if (!isEmpty(above)) out.push(above);
  }
  return mergeSingleValues(out);
}

/**
 * A page whose records all share one value splits a range into two that both hold that value; over many
 * such pages (ties on a timestamp) the list would double each time. Ranges of one single value merge
 * exactly: their union pends every record at that value that not both of them exclude.
 */
function mergeSingleValues(ranges: KeyRange[]): KeyRange[] {
  const out: KeyRange[] = [];
  for (const range of ranges) {
    if (!isSingleValue(range)) {
      out.push(range);
      continue;
    }
    const twin = out.findIndex((r) => isSingleValue(r) && compareValues(r.from.value, range.from.value) === 0);
    if (twin < 0) {
      out.push({ from: { value: range.from.value, ids: unionIds(range.from.ids, range.to.ids) }, to: { value: range.to.value, ids: [] } });
      continue;
    }
    const other = out[twin] as SingleValueRange;
    const excludedByRange = unionIds(range.from.ids, range.to.ids);
    const excludedByOther = unionIds(other.from.ids, other.to.ids);
    // A record pends if either range pends it, so only records both exclude stay excluded.
    const both = excludedByOther.filter((id) => excludedByRange.includes(id));
    out[twin] = { from: { value: other.from.value, ids: both }, to: { value: other.to.value, ids: [] } };
  }
  return out;
}

type SingleValueRange = { from: Bound; to: Bound };

function isSingleValue(range: KeyRange): range is SingleValueRange {
  return range.from !== null && range.to !== null && compareValues(range.from.value, range.to.value) === 0;
}

/** Records the ids seen at the highest watermark so far (the incremental high-water mark). */
export function raiseHigh(high: Bound | null, value: WatermarkValue, id: string): Bound {
  if (!high) return { value, ids: [id] };
  const c = compareValues(value, high.value);
  if (c < 0) return high;
  if (c > 0) return { value, ids: [id] };
  return high.ids.includes(id) ? high : { value, ids: [...high.ids, id] };
}

/** Largest number of ids one bound may carry before the checkpoint would grow without limit. */
export const MAX_BOUND_IDS = 2000;

export function largestBound(ranges: readonly KeyRange[]): number {
  let max = 0;
  for (const r of ranges) max = Math.max(max, r.from?.ids.length ?? 0, r.to?.ids.length ?? 0);
  return max;
}
