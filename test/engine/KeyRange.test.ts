import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  EVERYTHING,
  compareValues,
  inRanges,
  largestBound,
  raiseHigh,
  subtractCoverage,
  type Bound,
  type Coverage,
  type KeyRange,
} from '../../functions/engine/KeyRange.ts';

const b = (value: string | number, ...ids: string[]): Bound => ({ value, ids });

describe('compareValues', () => {
  it('compares numbers numerically and strings lexically', () => {
    expect(compareValues(9, 10)).toBeLessThan(0);
    expect(compareValues('9', '10')).toBeGreaterThan(0);
    expect(compareValues('2025-01-01T00:00:00Z', '2025-01-01T00:00:01Z')).toBeLessThan(0);
    expect(compareValues('a', 'a')).toBe(0);
  });
});

describe('inRanges', () => {
  it('accepts everything in the unbounded range', () => {
    expect(inRanges(EVERYTHING, 'anything', 'id')).toBe(true);
    expect(inRanges(EVERYTHING, -1, 'id')).toBe(true);
  });

  it('is inclusive of a lower bound value except for the ids already exported there', () => {
    const ranges: KeyRange[] = [{ from: b(10, 'x', 'y'), to: null }];
    expect(inRanges(ranges, 9, 'z')).toBe(false);
    expect(inRanges(ranges, 10, 'x')).toBe(false);
    expect(inRanges(ranges, 10, 'y')).toBe(false);
    expect(inRanges(ranges, 10, 'z')).toBe(true);
    expect(inRanges(ranges, 11, 'x')).toBe(true);
  });

  it('is inclusive of an upper bound value except for its ids', () => {
    const ranges: KeyRange[] = [{ from: null, to: b(20, 'x') }];
    expect(inRanges(ranges, 20, 'x')).toBe(false);
    expect(inRanges(ranges, 20, 'w')).toBe(true);
    expect(inRanges(ranges, 21, 'w')).toBe(false);
    expect(inRanges(ranges, -100, 'x')).toBe(true);
  });

  it('accepts a record in any one of several ranges', () => {
    const ranges: KeyRange[] = [
      { from: b(1), to: b(3) },
      { from: b(7), to: null },
    ];
    expect(inRanges(ranges, 2, 'a')).toBe(true);
    expect(inRanges(ranges, 5, 'a')).toBe(false);
    expect(inRanges(ranges, 8, 'a')).toBe(true);
  });

  it('accepts nothing from an empty list', () => {
    expect(inRanges([], 1, 'a')).toBe(false);
  });
});

describe('subtractCoverage', () => {
  it('with first = null removes everything up to the last value, keeping unseen ids at that value', () => {
    const out = subtractCoverage(EVERYTHING, { first: null, last: b(5, 'p', 'q') });
    expect(out).toEqual([{ from: b(5, 'p', 'q'), to: null }]);
    expect(inRanges(out, 4, 'zz')).toBe(false);
    expect(inRanges(out, 5, 'p')).toBe(false);
    expect(inRanges(out, 5, 'r')).toBe(true);
  });

  it('leaves the micro-gap between two pages pending, bounded by the ids each page returned', () => {
    const afterFirst = subtractCoverage(EVERYTHING, { first: null, last: b(5, 'a') });
    const afterSecond = subtractCoverage(afterFirst, { first: b(8, 'c'), last: b(9, 'd') });
    expect(afterSecond).toEqual([
      { from: b(5, 'a'), to: b(8, 'c') },
      { from: b(9, 'd'), to: null },
    ]);
    // A record skipped between the pages, and ids at either boundary value that no page returned.
    expect(inRanges(afterSecond, 6, 'gap')).toBe(true);
    expect(inRanges(afterSecond, 5, 'other-at-5')).toBe(true);
    expect(inRanges(afterSecond, 8, 'other-at-8')).toBe(true);
    expect(inRanges(afterSecond, 8, 'c')).toBe(false);
    expect(inRanges(afterSecond, 8.5, 'inside-page')).toBe(false);
  });

  it('unions the bound ids when a page ends on the value of the existing bound', () => {
    const out = subtractCoverage([{ from: b(5, 'a'), to: null }], { first: null, last: b(5, 'b', 'c') });
    expect(out).toHaveLength(1);
    expect(out[0]?.from?.value).toBe(5);
    expect(out[0]?.from?.ids.slice().sort()).toEqual(['a', 'b', 'c']);
  });

  it('unions upper bound ids when a page starts on the value of the existing upper bound', () => {
    const out = subtractCoverage([{ from: b(1), to: b(5, 'x') }], { first: b(5, 'y'), last: b(6, 'z') });
    expect(out).toEqual([{ from: b(1), to: b(5, 'x', 'y') }]);
  });

  it('drops a range that the page fully covers (from above to)', () => {
    expect(subtractCoverage([{ from: b(2), to: b(4) }], { first: null, last: b(6, 'k') })).toEqual([]);
  });

  it('keeps a range with from = to (records at one value not yet seen)', () => {
    const out = subtractCoverage([{ from: b(5, 'a'), to: null }], { first: b(5, 'b'), last: b(7, 'c') });
    expect(out).toHaveLength(2);
    expect(inRanges(out, 5, 'unseen')).toBe(true);
    expect(inRanges(out, 5, 'a')).toBe(false);
    expect(inRanges(out, 5, 'b')).toBe(false);
    expect(inRanges(out, 7, 'c')).toBe(false);
    expect(inRanges(out, 7, 'later')).toBe(true);
  });

  it('does not modify its input ranges', () => {
    const ranges: KeyRange[] = [{ from: b(1, 'a'), to: b(9, 'z') }];
    const copy = structuredClone(ranges);
    subtractCoverage(ranges, { first: b(1, 'q'), last: b(9, 'r') });
    expect(ranges).toEqual(copy);
  });
});

describe('raiseHigh', () => {
  it('starts at the first record', () => {
    expect(raiseHigh(null, 3, 'a')).toEqual(b(3, 'a'));
  });

  it('moves up and forgets the ids of the lower value', () => {
    expect(raiseHigh(b(3, 'a'), 4, 'b')).toEqual(b(4, 'b'));
  });

  it('adds ids at the same value once', () => {
    const high = raiseHigh(raiseHigh(b(3, 'a'), 3, 'b'), 3, 'b');
    expect(high).toEqual(b(3, 'a', 'b'));
  });

  it('ignores lower values', () => {
    const high = b(3, 'a');
    expect(raiseHigh(high, 2, 'z')).toBe(high);
  });
});

describe('largestBound', () => {
  it('counts the most ids carried by any bound', () => {
    expect(largestBound([{ from: b(1, 'a'), to: b(2, 'b', 'c', 'd') }, { from: b(3, 'e', 'f'), to: null }])).toBe(3);
    expect(largestBound(EVERYTHING)).toBe(0);
  });
});

// The core invariant: after any sequence of cursor chains, each returning pages that may skip records,
// the remaining ranges contain exactly the records that no page returned.
describe('subtractCoverage property', () => {
  interface Rec {
    value: number;
    id: string;
  }

  function coverageOf(page: readonly Rec[], firstOfChain: boolean): Coverage {
    const first = page[0] as Rec;
    const last = page[page.length - 1] as Rec;
    const idsAt = (value: number): string[] => page.filter((r) => r.value === value).map((r) => r.id);
    return { first: firstOfChain ? null : { value: first.value, ids: idsAt(first.value) }, last: { value: last.value, ids: idsAt(last.value) } };
  }

  // A chain is a list of [skip, size] steps: skip records (a lost page), then return `size` records.
  // The first page of a chain never skips: it starts at the beginning of the query's result.
  const chainArb = fc.array(fc.tuple(fc.nat(4), fc.integer({ min: 1, max: 5 })), { minLength: 1, maxLength: 6 });

  it('leaves exactly the records that no page returned', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 6 }), { maxLength: 30 }), fc.array(chainArb, { maxLength: 5 }), (values, chains) => {
        const records: Rec[] = values
          .map((value, i) => ({ value, id: `r${String(i).padStart(2, '0')}` }))
          .sort((x, y) => x.value - y.value || (x.id < y.id ? -1 : 1));
        let ranges: KeyRange[] = EVERYTHING;
        const returned = new Set<string>();
        for (const chain of chains) {
          // What the query over the remaining ranges answers, in sort order.
          const result = records.filter((r) => inRanges(ranges, r.value, r.id));
          let position = 0;
          chain.forEach(([skip, size], index) => {
            const start = index === 0 ? 0 : position + skip;
            const page = result.slice(start, start + size);
            if (page.length === 0) return;
            ranges = subtractCoverage(ranges, coverageOf(page, index === 0));
            for (const r of page) returned.add(r.id);
            position = start + page.length;
          });
          for (const r of records) {
            expect(inRanges(ranges, r.value, r.id), `${r.id}@${r.value}`).toBe(!returned.has(r.id));
          }
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('with string values and one-record pages that skip every other record', () => {
    const records = ['a', 'a', 'b', 'b', 'b', 'c'].map((value, i) => ({ value, id: `s${i}` }));
    let ranges: KeyRange[] = EVERYTHING;
    const returned: string[] = [];
    records.forEach((r, i) => {
      if (i % 2 === 1) return;
      ranges = subtractCoverage(ranges, { first: i === 0 ? null : b(r.value, r.id), last: b(r.value, r.id) });
      returned.push(r.id);
    });
    expect(records.filter((r) => inRanges(ranges, r.value, r.id)).map((r) => r.id)).toEqual(['s1', 's3', 's5']);
    expect(returned).toEqual(['s0', 's2', 's4']);
  });
});
