import { describe, expect, it } from 'vitest';
import { idHash } from '../../functions/engine/idHash.ts';
import type { KeyRange } from '../../functions/engine/KeyRange.ts';
import { boundSpans, rangesWithSpans, settleSpans, spanCovers, vouchedSpanOf, withSpan, type VouchedSpan } from '../../functions/engine/VouchedSpan.ts';

const EVERYTHING: KeyRange[] = [{ from: null, to: null }];
const keys = (...pairs: Array<[number, string]>): Array<{ value: number; id: string }> => pairs.map(([value, id]) => ({ value, id }));
const span = (from: number, to: number, ids: string[], fromInclusive = true): VouchedSpan => ({ from, fromInclusive, to, ids: ids.map(idHash) });

describe('vouchedSpanOf', () => {
  it('vouches for the first value only on a chain first page or when the record before the tail differs', () => {
    const page = keys([1, 'a'], [2, 'b'], [3, 'c']);
    expect(vouchedSpanOf(page, EVERYTHING, true, [])).toEqual(span(1, 3, ['a', 'b', 'c']));
    // A continuation page may start on a value the previous page ended with.
    expect(vouchedSpanOf(page, EVERYTHING, false, [])?.fromInclusive).toBe(false);
  });

  it('keeps the last 256 records and takes in those tied on the first value', () => {
    const page = Array.from({ length: 400 }, (_, i) => ({ value: i < 140 ? i : 140, id: `r${i}` }));
    // Records 140..399 share value 140; the tail of 256 starts inside that tie, so the tie is taken whole.
    const result = vouchedSpanOf(page, EVERYTHING, false, []);
    expect(result?.from).toBe(140);
    expect(result?.ids).toHaveLength(260);
    expect(result?.fromInclusive).toBe(true);
    const distinct = Array.from({ length: 400 }, (_, i) => ({ value: i, id: `r${i}` }));
    const tail = vouchedSpanOf(distinct, EVERYTHING, false, []);
    expect(tail).toMatchObject({ from: 144, to: 399, fromInclusive: true });
    expect(tail?.ids).toHaveLength(256);
  });

  it('stays inside the query range of the last record, and reaches its end when the page went past it', () => {
    const ranges: KeyRange[] = [
      { from: { value: 1, ids: [] }, to: { value: 2, ids: [] } },
      { from: { value: 5, ids: ['e'] }, to: { value: 8, ids: [] } },
    ];
    const page = keys([1, 'a'], [2, 'b'], [5, 'e'], [6, 'f'], [9, 'x']);
    // 9 lies past every range (beyond the export's bound): the span ends at the range's end, 8.
    expect(vouchedSpanOf(page, ranges, false, [])).toMatchObject({ from: 5, to: 8 });
  });

  it('adds ids exported before the page that lie on it, so a held-back repeat is known', () => {
    const exported = [span(2, 2, ['b0'])];
    const result = vouchedSpanOf(keys([1, 'a'], [2, 'b'], [3, 'c']), EVERYTHING, true, exported);
    expect(result?.ids).toContain(idHash('b0'));
  });
});

describe('spans read again', () => {
  it('covers its values, the first only when inclusive', () => {
    expect(spanCovers(span(2, 4, []), 2)).toBe(true);
    expect(spanCovers(span(2, 4, [], false), 2)).toBe(false);
    expect(spanCovers(span(2, 4, []), 4)).toBe(true);
    expect(spanCovers(span(2, 4, []), 5)).toBe(false);
  });

  it('merges overlapping spans and keeps apart ones apart', () => {
    expect(withSpan([span(1, 3, ['a'])], span(3, 5, ['c']))).toEqual([{ from: 1, fromInclusive: true, to: 5, ids: [idHash('a'), idHash('c')] }]);
    expect(withSpan([span(1, 2, ['a'])], span(4, 5, ['d']))?.map((s) => s.from)).toEqual([1, 4]);
  });

  it('refuses more spans or ids than a checkpoint holds', () => {
    const many = Array.from({ length: 8 }, (_, i) => span(i * 10, i * 10 + 1, [`x${i}`]));
    expect(withSpan(many, span(100, 101, ['y']))).toBeNull();
    const big = (from: number) => span(from, from + 1, Array.from({ length: 512 }, (_, i) => `${from}-${i}`));
    expect(withSpan([big(0), big(10)], big(20))).toBeNull();
  });

  it('is done once a page read through it; until then it learns the records exported in it', () => {
    const open = [span(2, 6, ['b'])];
    expect(settleSpans(open, keys([3, 'c']), 6)).toEqual([]);
    expect(settleSpans(open, keys([3, 'c']), 'end')).toEqual([]);
    expect(settleSpans(open, keys([3, 'c'], [9, 'z']), 4)).toEqual([span(2, 6, ['b', 'c'])]);
    // A page cut by the byte budget (readTo null) reads through nothing.
    expect(settleSpans(open, [], null)).toEqual(open);
  });

  it('asks for the remaining ranges and the spans, merged where they touch', () => {
    const ranges: KeyRange[] = [{ from: { value: 5, ids: ['e'] }, to: null }];
    expect(rangesWithSpans(ranges, [span(2, 5, [])])).toEqual([{ from: { value: 2, ids: [] }, to: null }]);
    expect(rangesWithSpans(ranges, [span(1, 3, [])])).toEqual([{ from: { value: 1, ids: [] }, to: { value: 3, ids: [] } }, ranges[0]]);
    expect(rangesWithSpans(ranges, [])).toBe(ranges);
  });

  it('turns the ids at range bounds into one-value spans', () => {
    expect(boundSpans([{ from: { value: 5, ids: ['e'] }, to: { value: 9, ids: [] } }])).toEqual([span(5, 5, ['e'])]);
  });
});
