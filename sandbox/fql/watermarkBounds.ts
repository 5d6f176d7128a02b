import type { FqlNode } from './FqlNode.ts';

/** An interval of sort-key values; a null end is open. */
export interface KeyInterval {
  from: string | null;
  fromInclusive: boolean;
  to: string | null;
  toInclusive: boolean;
}

/**
 * The intervals of one field's values that can satisfy a filter. `exact` when the filter says nothing
 * but those intervals (every comparison is a range or an equality on the field), otherwise they are a
 * superset and the filter's predicate must still be applied. null when the filter does not bound the
 * field at all. `bound` turns a literal into the form the field's values are ordered by (the canonical
 * ISO instant for timestamp keys, the literal itself otherwise).
 */
export function watermarkBounds(
  node: FqlNode,
  field: string,
  bound: (literal: string) => string,
): { intervals: KeyInterval[]; exact: boolean } | null {
  switch (node.kind) {
    case 'compare': {
      const literal = node.values[0];
      if (node.field !== field || node.values.length !== 1 || literal?.kind !== 'string') return null;
      const value = bound(literal.value);
      const open = { from: null, fromInclusive: false, to: null, toInclusive: false };
      switch (node.operator) {
        case 'gt':
        case 'gte':
          return { intervals: [{ ...open, from: value, fromInclusive: node.operator === 'gte' }], exact: true };
        case 'lt':
        case 'lte':
          return { intervals: [{ ...open, to: value, toInclusive: node.operator === 'lte' }], exact: true };
        case 'eq':
          if (literal.value.includes('*')) return null;
          return { intervals: [{ from: value, fromInclusive: true, to: value, toInclusive: true }], exact: true };
        case 'ne':
          return null;
      }
      return null;
    }
    case 'and': {
      let result: { intervals: KeyInterval[]; exact: boolean } | null = null;
      let exact = true;
      for (const child of node.children) {
        const bounds = watermarkBounds(child, field, bound);
        if (bounds === null) {
          exact = false;
          continue;
        }
        exact &&= bounds.exact;
        result = result === null ? bounds : { intervals: intersect(result.intervals, bounds.intervals), exact: true };
      }
      return result === null ? null : { intervals: result.intervals, exact };
    }
    case 'or': {
      const intervals: KeyInterval[] = [];
      let exact = true;
      for (const child of node.children) {
        const bounds = watermarkBounds(child, field, bound);
        if (bounds === null) return null;
        intervals.push(...bounds.intervals);
        exact &&= bounds.exact;
      }
      return { intervals, exact };
    }
  }
}

/** Sorted by start, overlapping or touching intervals joined: their records come out in order and once. */
export function mergeIntervals(intervals: readonly KeyInterval[]): KeyInterval[] {
  const sorted = [...intervals].sort((a, b) => compareStarts(a, b));
  const merged: KeyInterval[] = [];
  for (const next of sorted) {
    const last = merged[merged.length - 1];
    if (last !== undefined && reaches(last, next)) {
      if (compareEnds(next, last) > 0) {
        last.to = next.to;
        last.toInclusive = next.toInclusive;
      }
    } else {
      merged.push({ ...next });
    }
  }
  return merged;
}

function intersect(a: readonly KeyInterval[], b: readonly KeyInterval[]): KeyInterval[] {
  const out: KeyInterval[] = [];
  for (const x of a) {
    for (const y of b) {
      const start = compareStarts(x, y) >= 0 ? x : y;
      const end = compareEnds(x, y) <= 0 ? x : y;
      const interval = { from: start.from, fromInclusive: start.fromInclusive, to: end.to, toInclusive: end.toInclusive };
      if (!isEmpty(interval)) out.push(interval);
    }
  }
  return out;
}

function isEmpty(i: KeyInterval): boolean {
  if (i.from === null || i.to === null) return false;
  return i.from > i.to || (i.from === i.to && !(i.fromInclusive && i.toInclusive));
}

/** Order of lower ends: open first, then by value, inclusive before exclusive. */
function compareStarts(a: KeyInterval, b: KeyInterval): number {
  if (a.from === null || b.from === null) return a.from === b.from ? 0 : a.from === null ? -1 : 1;
  if (a.from !== b.from) return a.from < b.from ? -1 : 1;
  return a.fromInclusive === b.fromInclusive ? 0 : a.fromInclusive ? -1 : 1;
}

/** Order of upper ends: by value, exclusive before inclusive, open last. */
function compareEnds(a: KeyInterval, b: KeyInterval): number {
  if (a.to === null || b.to === null) return a.to === b.to ? 0 : a.to === null ? 1 : -1;
  if (a.to !== b.to) return a.to < b.to ? -1 : 1;
  return a.toInclusive === b.toInclusive ? 0 : a.toInclusive ? 1 : -1;
}

/** Whether `next` (which starts no earlier than `last`) overlaps or touches `last`. */
function reaches(last: KeyInterval, next: KeyInterval): boolean {
  if (last.to === null || next.from === null) return true;
  if (next.from !== last.to) return next.from < last.to;
  return last.toInclusive || next.fromInclusive;
}
