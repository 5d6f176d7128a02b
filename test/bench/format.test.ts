import { describe, expect, it } from 'vitest';
import type { BenchResults, BenchRow, FoundryRow } from '../../bench/BenchResults.ts';
import { callRatio, markdownReport, targetLines, textReport } from '../../bench/format.ts';
import { README_END, README_START, withBenchSection } from '../../bench/readme.ts';

const row = (over: Partial<BenchRow>): BenchRow => ({
  client: 'pagination-guard',
  stream: 'alerts',
  profile: 'clean',
  missing: 0,
  duplicates: 0,
  calls: 25,
  optimalCalls: 25,
  virtualMs: 1540,
  wallMs: 300,
  cpuMsPer1k: 12.5,
  ...over,
});

const foundryRow = (over: Partial<FoundryRow>): FoundryRow => ({
  sink: 'logscale',
  profile: 'chaos',
  functionCalls: 2,
  apiCalls: 35,
  ingestCalls: 26,
  virtualMs: 120_000,
  expected: 25_000,
  missing: 0,
  duplicatesInRepo: 0,
  redeliveredEvents: 0,
  largestResponseBytes: 20_000,
  complete: true,
  ...over,
});

const results: BenchResults = {
  foundry: [
    foundryRow({}),
    foundryRow({ sink: 'response', functionCalls: 242, ingestCalls: 0 }),
    foundryRow({ profile: 'ttl-vs-backoff', functionCalls: 9 }),
  ],
  rows: [
    row({}),
    row({ client: 'naive-loop', missing: 500, cpuMsPer1k: null }),
    row({ profile: 'chaos', calls: 31 }),
  ],
  scale: {
    rss100k: 200 * 2 ** 20,
    rss1m: 210 * 2 ** 20,
    recordsPerSec: 68_000,
    rssRatio: 1.05,
    stream: 'vulnerabilities',
    records100k: 100_000,
    records1m: 1_000_000,
    missing: 0,
    duplicates: 0,
    wallMs1m: 14_600,
    calls1m: 201,
    sandboxMs1m: 2000,
    sandboxRecordsPerSec: 500_000,
  },
};

describe('bench report', () => {
  it('writes calls / optimal with two decimals', () => {
    expect(callRatio({ calls: 31, optimalCalls: 25 })).toBe('1.24');
    expect(callRatio({ calls: 3, optimalCalls: 0 })).toBe('-');
  });

  it('renders one Markdown table row per result row, with the ratio and "-" for no CPU figure', () => {
    const md = markdownReport(results);
    const tableRows = md.split('\n').filter((l) => l.startsWith('| pagination-guard') || l.startsWith('| naive-loop'));
    expect(tableRows).toEqual([
      '| pagination-guard | alerts | clean | 0 | 0 | 25 | 25 | 1.00 | 1.5 | 300 | 12.50 |',
      '| naive-loop | alerts | clean | 500 | 0 | 25 | 25 | 1.00 | 1.5 | 300 | - |',
      '| pagination-guard | alerts | chaos | 0 | 0 | 31 | 25 | 1.24 | 1.5 | 300 | 12.50 |',
    ]);
    expect(md).toContain('| ratio 1 M / 100 k | 1.05 |');
  });

  it("judges the issue's targets on Pagination Guard's rows only", () => {
    const lines = targetLines(results);
    expect(lines[0]).toBe('missing 0 everywhere: met (0)');
    expect(lines[2]).toMatch(/^calls\/optimal = 1\.00 under clean: met/);
    expect(lines[3]).toBe('calls/optimal <= 1.10 under every fault profile: MISSED (0 of 1 exports within): alerts/chaos 1.24');
    expect(lines[4]).toMatch(/met \(210\.0 MB \/ 200\.0 MB = 1\.05\)$/);
  });

  it("judges the Foundry sink's targets: 1/10 of the function calls under chaos, nothing lost, ttl-vs-backoff in one execution", () => {
    const lines = targetLines(results);
    expect(lines).toContain("LogScale sink, chaos: at most 1/10 of the response sink's function calls: met (2 / 242 = 0.008)");
    expect(lines).toContain('LogScale sink: 0 missing and 0 duplicates after deduplication under every profile: met (0)');
    const worse = targetLines({ ...results, foundry: [foundryRow({ functionCalls: 30 }), foundryRow({ sink: 'response', functionCalls: 242 }), foundryRow({ profile: 'ttl-vs-backoff', complete: false })] });
    expect(worse).toContain("LogScale sink, chaos: at most 1/10 of the response sink's function calls: MISSED (30 / 242 = 0.124)");
    expect(worse.at(-1)).toMatch(/ttl-vs-backoff: complete in one workflow execution: MISSED/);
    expect(markdownReport(results)).toContain('| logscale | chaos | 2 | 35 | 26 | 120.0 | 0 | 0 | 0 | 19.5 KB | yes |');
  });

  it('aligns the text table', () => {
    const [header, first] = textReport(results).split('\n');
    expect(header?.indexOf('missing')).toBeGreaterThan(0);
    expect(first?.length).toBe(header?.length);
  });

  it('replaces only the generated part of the README', () => {
    const readme = `# x\n\n## Benchmarks\n\n${README_START}\nold table\n${README_END}\n\n## Layout\n`;
    const updated = withBenchSection(readme, results);
    expect(updated).not.toContain('old table');
    expect(updated).toContain('| pagination-guard | alerts | chaos |');
    expect(updated.endsWith(`${README_END}\n\n## Layout\n`)).toBe(true);
    expect(() => withBenchSection('# no markers', results)).toThrow(/markers/);
  });
});
