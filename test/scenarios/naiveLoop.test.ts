import { describe, expect, it } from 'vitest';
import { runSandboxExport } from '../../sandbox/runSandboxExport.ts';
import type { StreamName } from '../../functions/falcon/streams.ts';
import { naiveExport } from '../../bench/clients/naiveExport.ts';

// The sandbox must reproduce the field report: the naive loop loses records where Pagination Guard does not.
describe('the naive loop of the field report', () => {
  const streams: StreamName[] = ['alerts', 'iocs', 'vulnerabilities', 'intel-indicators', 'hosts'];

  it('exports everything when nothing goes wrong', async () => {
    const report = await naiveExport('alerts', 'clean');
    expect(report.missing).toBe(0);
    expect(report.exported).toBe(report.expected);
  });

  for (const profile of ['sparse-final-page', 'ttl-vs-backoff'] as const) {
    it(`loses records under ${profile}, and Pagination Guard does not on the same data`, async () => {
      let naiveMissing = 0;
      for (const stream of streams) {
        const naive = await naiveExport(stream, profile);
        const guard = await runSandboxExport({ stream, profile, seed: 7 });
        expect(guard.missing).toBe(0);
        expect(guard.duplicates).toBe(0);
        naiveMissing += naive.missing;
      }
      expect(naiveMissing).toBeGreaterThan(1000);
    });
  }

  it('stops on the short page that sparse-final-page sends for an after cursor', async () => {
    const naive = await naiveExport('vulnerabilities', 'sparse-final-page');
    expect(naive.missing).toBeGreaterThan(0);
  });

  it('sends a dead after token once the 45 s wait has outlived the 30 s TTL', async () => {
    const naive = await naiveExport('alerts', 'ttl-vs-backoff');
    expect(naive.missing).toBeGreaterThan(naive.expected / 2);
  });
});
