import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareRecords, Dataset, storedRecord, type StoredRecord } from '../../sandbox/datasets/Dataset.ts';
import { parseFilter } from '../../sandbox/endpoints/listParams.ts';

// The bench's 1 000 000-record run relies on the sandbox answering sort-key range filters by binary search;
// the answer must be exactly the full scan's, for timestamp keys and for plain string keys (_marker).
const ISO_KEYS = ['2026-10-01T00:00:00.000Z', '2026-10-01T00:00:00.001Z', '2026-10-02T12:30:00.000Z', '2026-10-03T00:00:00.000Z', '2026-11-01T23:59:59.999Z'];
const ISO_LITERALS = [...ISO_KEYS, '2026-10-02', '2026-10-01T00:00:00Z', '2026-10-02T12:30:00+00:00', '1970-01-01T00:00:00.000Z', 'zzz', ''];
const PLAIN_KEYS = ['1000a', '1000b', '1001', '2000', 'abc'];
const PLAIN_LITERALS = [...PLAIN_KEYS, '1000', '2026-10-02', '', '9'];

function dataset(keys: string[], field: string): { data: Dataset; records: StoredRecord[] } {
  const records = keys
    .map((key, i) => storedRecord({ id: `id-${String(i).padStart(3, '0')}`, [field]: key, severity: i % 5 }, 'id', field))
    .sort((a, b) => compareRecords(a.key, a.id, b.key, b.id));
  return { data: new Dataset('id', field, [...records]), records };
}

function filterArb(field: string, literals: string[]): fc.Arbitrary<string> {
  const op = fc.constantFrom(':>', ':>=', ':<', ':<=', ':', ':!');
  const compare = fc.oneof(
    fc.tuple(op, fc.constantFrom(...literals)).map(([o, v]) => `${field}${o}'${v}'`),
    fc.integer({ min: 0, max: 4 }).map((n) => `severity:>=${n}`),
  );
  const group = fc.array(compare, { minLength: 1, maxLength: 3 }).map((parts) => parts.join('+'));
  return fc.array(group, { minLength: 1, maxLength: 4 }).map((groups) => groups.map((g) => `(${g})`).join(','));
}

describe('sandbox sort-key index', () => {
  for (const [name, keys, literals, field] of [
    ['timestamp keys', ISO_KEYS, ISO_LITERALS, 'created_timestamp'],
    ['plain string keys', PLAIN_KEYS, PLAIN_LITERALS, '_marker'],
  ] as const) {
    it(`matches exactly what a full scan matches (${name})`, () => {
      fc.assert(
        fc.property(fc.array(fc.constantFrom(...keys), { maxLength: 40 }), filterArb(field, [...literals]), (picked, text) => {
          const { data, records } = dataset(picked, field);
          const parsed = parseFilter(text);
          if (!parsed.ok || parsed.value.predicate === null) throw new Error(`unparsable filter ${text}`);
          const predicate = parsed.value.predicate;
          expect(data.matching(parsed.value).map((r) => r.id)).toEqual(records.filter((r) => predicate(r.body)).map((r) => r.id));
        }),
        { numRuns: 500 },
      );
    });
  }
});
