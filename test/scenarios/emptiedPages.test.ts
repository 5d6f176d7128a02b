import { describe, expect, it } from 'vitest';
import { runSandboxExport } from '../../sandbox/runSandboxExport.ts';

// A server that answers cursor pages with no records while its cursor goes on past them: the records of
// those pages are skipped by the cursor, and a run of such pages is a cursor that advances without
// bringing anything. The skipped records must be read again from the watermark, and the export still end
// complete, once each. An empty `after` page whose cursor goes on restarts the chain (empty_page_mid_chain);
// intel and scroll pages that come back empty while their total says more restart too (token_missing_mid_run).
describe('cursor pages emptied while the cursor goes on', () => {
  const restartedBy = { alerts: 'empty_page_mid_chain', hosts: 'empty_page_mid_chain', vulnerabilities: 'empty_page_mid_chain', 'intel-indicators': 'token_missing_mid_run', 'hosts-scroll': 'token_missing_mid_run' } as const;
  for (const [stream, event] of Object.entries(restartedBy) as Array<[keyof typeof restartedBy, string]>) {
    it(`${stream}: skipped records are read again from the watermark, exactly once`, async () => {
      const report = await runSandboxExport({
        stream,
        profile: 'clean',
        seed: 3,
        pageLimit: 40,
        knobs: { emptiedPageRate: 0.4 },
        sizes: { alerts: 1200, intel: 1200, hosts: 1200, vulnerabilities: 1200 },
      });
      expect(report.logs.some((l) => l.startsWith(event))).toBe(true);
      expect(report.finalVerdict).toBe('complete');
      expect(report.missingIds).toEqual([]);
      expect(report.duplicates).toBe(0);
    });
  }
});
