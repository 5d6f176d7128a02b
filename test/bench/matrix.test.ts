import { describe, expect, it } from 'vitest';
import { CLIENT_NAMES, type BenchRow } from '../../bench/BenchResults.ts';
import { runMatrix } from '../../bench/matrix.ts';

const ROW_KEYS = ['client', 'stream', 'profile', 'missing', 'duplicates', 'calls', 'optimalCalls', 'virtualMs', 'wallMs', 'cpuMsPer1k'];

describe('the bench matrix (a tiny run)', () => {
  it('gives every client a row of exactly the issue shape, on the same data', async () => {
    const rows = await runMatrix({ seed: 7, streams: ['iocs'], profiles: ['clean', 'sparse-final-page'], sizes: { iocs: 3000 } });
    expect(rows.map((r) => `${r.client}/${r.profile}`)).toEqual(
      ['clean', 'sparse-final-page'].flatMap((profile) => CLIENT_NAMES.map((client) => `${client}/${profile}`)),
    );
    for (const r of rows) {
      expect(Object.keys(r)).toEqual(ROW_KEYS);
      for (const key of ['missing', 'duplicates', 'calls', 'optimalCalls', 'virtualMs', 'wallMs'] as const) expect(Number.isInteger(r[key])).toBe(true);
    }
    const at = (client: BenchRow['client'], profile: string): BenchRow => rows.find((r) => r.client === client && r.profile === profile) as BenchRow;
    // 3 000 IOCs in pages of 2 000: two pages, and for Pagination Guard the query from the watermark that
    // proves the end; the loops trust the cursor's end and stop after two.
    for (const client of CLIENT_NAMES) expect(at(client, 'clean')).toMatchObject({ missing: 0, duplicates: 0, optimalCalls: 3 });
    expect(at('pagination-guard', 'clean').calls).toBe(3);
    for (const client of CLIENT_NAMES.filter((c) => c !== 'pagination-guard')) expect(at(client, 'clean').calls).toBe(2);
    // The sparse page without a cursor costs the loops records and Pagination Guard one more query.
    expect(at('pagination-guard', 'sparse-final-page')).toMatchObject({ missing: 0, duplicates: 0 });
    expect(at('naive-loop', 'sparse-final-page').missing).toBeGreaterThan(0);
    expect(at('falconjs-sdk', 'sparse-final-page').missing).toBe(at('naive-loop', 'sparse-final-page').missing);
  });
});
