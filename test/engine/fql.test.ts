import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { andFilters, checkUserFilter, fqlLiteral, fqlQuote, rangesFilter } from '../../functions/engine/fql.ts';
import type { Bound, KeyRange } from '../../functions/engine/KeyRange.ts';

const bound = (value: string | number, ids: string[] = []): Bound => ({ value, ids });

/** Reads back one quoted FQL literal: the inverse of fqlQuote, written independently of it. */
function unquote(literal: string): string {
  expect(literal.startsWith("'") && literal.endsWith("'")).toBe(true);
  let out = '';
  for (let i = 1; i < literal.length - 1; i++) {
    const ch = literal.charAt(i);
    if (ch === "'") throw new Error(`unescaped quote at ${i} in ${literal}`);
    if (ch === '\\') {
      i++;
      if (i >= literal.length - 1) throw new Error(`dangling backslash in ${literal}`);
    }
    out += literal.charAt(i);
  }
  return out;
}

describe('fqlQuote', () => {
  it('wraps a plain value in single quotes', () => {
    expect(fqlQuote('2025-01-01T00:00:00Z')).toBe("'2025-01-01T00:00:00Z'");
  });

  it("escapes a single quote as \\'", () => {
    expect(fqlQuote("it's")).toBe("'it\\'s'");
  });

  it('escapes a backslash as \\\\', () => {
    expect(fqlQuote('C:\\temp')).toBe("'C:\\\\temp'");
  });

  it('escapes a backslash before a quote without letting the quote escape the literal', () => {
    // Input \' must not become \\' (an escaped backslash followed by a closing quote).
    expect(fqlQuote("\\'")).toBe("'\\\\\\''");
    expect(unquote(fqlQuote("\\'"))).toBe("\\'");
  });

  it('round-trips any text and always yields a literal that checkUserFilter accepts', () => {
    const noControl = fc.string({ unit: fc.constantFrom('a', "'", '\\', '"', '(', ')', ' ', '+', ',', 'é', '😀'), maxLength: 40 });
    fc.assert(
      fc.property(noControl, (value) => {
        const literal = fqlQuote(value);
        expect(unquote(literal)).toBe(value);
        expect(checkUserFilter(`name:${literal}`)).toBeNull();
      }),
      { numRuns: 500 },
    );
  });
});

describe('fqlLiteral', () => {
  it('writes epoch numbers bare', () => {
    expect(fqlLiteral('epoch', 1735689600)).toBe('1735689600');
  });

  it('quotes ISO timestamps and strings', () => {
    expect(fqlLiteral('iso', '2025-01-01T00:00:00.000Z')).toBe("'2025-01-01T00:00:00.000Z'");
    expect(fqlLiteral('string', "1735689600_o'brien")).toBe("'1735689600_o\\'brien'");
  });

  it('quotes an epoch-kind value that arrived as a string, and a number for a string kind', () => {
    expect(fqlLiteral('epoch', '1735689600')).toBe("'1735689600'");
    expect(fqlLiteral('string', 42)).toBe("'42'");
  });
});

describe('rangesFilter', () => {
  const field = 'created_timestamp';

  it('is empty (no restriction) for the unbounded range', () => {
    expect(rangesFilter(field, 'iso', [{ from: null, to: null }])).toBe('');
  });

  it('writes a lower bound as an inclusive >= clause; the ids at the bound are not part of FQL', () => {
    expect(rangesFilter(field, 'iso', [{ from: bound('2025-01-01T00:00:00Z', ['a', 'b']), to: null }])).toBe(
      "created_timestamp:>='2025-01-01T00:00:00Z'",
    );
  });

  it('writes an upper bound as an inclusive <= clause', () => {
    expect(rangesFilter(field, 'iso', [{ from: null, to: bound('2025-01-02T00:00:00Z') }])).toBe("created_timestamp:<='2025-01-02T00:00:00Z'");
  });

  it('ANDs both bounds of one range with +, without parentheses', () => {
    expect(rangesFilter('published_date', 'epoch', [{ from: bound(100), to: bound(200) }])).toBe('published_date:>=100+published_date:<=200');
  });

  it('ORs several ranges, each in parentheses', () => {
    const ranges: KeyRange[] = [
      { from: bound('a'), to: bound('b') },
      { from: bound('c'), to: null },
    ];
    expect(rangesFilter('_marker', 'string', ranges)).toBe("(_marker:>='a'+_marker:<='b'),(_marker:>='c')");
  });

  it('is empty when any one of several ranges is unbounded (the union is everything)', () => {
    expect(rangesFilter(field, 'iso', [{ from: bound('a'), to: null }, { from: null, to: null }])).toBe('');
  });

  it('escapes quotes inside watermark values', () => {
    expect(rangesFilter('_marker', 'string', [{ from: bound("x'y"), to: null }])).toBe("_marker:>='x\\'y'");
  });
});

describe('andFilters', () => {
  it('returns the engine clause alone when the user gave no filter', () => {
    expect(andFilters('', "f:>='a'")).toBe("f:>='a'");
  });

  it('returns the user filter alone when the engine has no clause', () => {
    expect(andFilters("status:'new'", '')).toBe("status:'new'");
  });

  it('parenthesizes both sides so a user OR cannot swallow the range clause', () => {
    expect(andFilters("status:'new',status:'closed'", "(f:>='a'),(f:>='c')")).toBe("(status:'new',status:'closed')+((f:>='a'),(f:>='c'))");
  });

  it('is empty when both are empty', () => {
    expect(andFilters('', '')).toBe('');
  });
});

describe('checkUserFilter', () => {
  it.each(["status:'new'", 'status:"new"', "(a:1,b:2)+c:'x'", "name:'it\\'s'", "name:'(('", 'name:"a)"', ''])('accepts %j', (filter) => {
    expect(checkUserFilter(filter)).toBeNull();
  });

  it('reports an unclosed single quote at the position where it opens', () => {
    const filter = "status:'new";
    expect(checkUserFilter(filter)).toEqual({ position: filter.indexOf("'"), message: expect.stringContaining("' quote") });
  });

  it('reports an unclosed double quote at the position where it opens', () => {
    const filter = 'a:1+b:"x';
    expect(checkUserFilter(filter)?.position).toBe(filter.indexOf('"'));
  });

  it('treats an escaped quote as part of the literal, so the literal stays open', () => {
    const filter = "name:'it\\'";
    expect(checkUserFilter(filter)?.position).toBe(5);
  });

  it('reports a closing parenthesis that was never opened at its own position', () => {
    const filter = "a:'x')";
    expect(checkUserFilter(filter)).toEqual({ position: 5, message: expect.stringContaining('never opened') });
  });

  it('reports open parentheses at the end of the filter, with their count', () => {
    const filter = "((a:'x')";
    expect(checkUserFilter(filter)).toEqual({ position: filter.length, message: expect.stringContaining('1 parenthesis') });
  });

  it.each([
    ['newline', 'a:1\nb:2', 3],
    ['NUL', 'a:\u00001', 2],
    ['tab inside quotes', "a:'x\ty'", 4],
    ['unit separator', '\u001f', 0],
  ])('reports a control character (%s) at its position', (_name, filter, position) => {
    expect(checkUserFilter(filter)).toEqual({ position, message: 'contains a control character' });
  });

  // Regression: a control character right after a backslash inside quotes used to slip through.
  it('reports a control character that follows a backslash inside quotes', () => {
    expect(checkUserFilter("a:'\\\n'")).toEqual({ position: 4, message: 'contains a control character' });
  });

  it('accepts exactly 2048 characters and rejects 2049 at position 2048', () => {
    expect(checkUserFilter('a'.repeat(2048))).toBeNull();
    expect(checkUserFilter('a'.repeat(2049))).toEqual({ position: 2048, message: expect.stringContaining('2048') });
  });
});
