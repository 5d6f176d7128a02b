import { describe, expect, it } from 'vitest';
import { runSandboxExport } from '../../functions/cli/runSandboxExport.ts';

// A server that holds a record back from the middle of a page and serves it first on the next page of the
// same cursor, behind records it sorts after: the engine used to drop it as "already exported" and still
// report the export complete.
describe('records out of the requested sort order', () => {
  for (const stream of ['alerts', 'iocs', 'vulnerabilities'] as const) {
    it(`${stream}: a record served behind its order is kept, exactly once`, async () => {
      const report = await runSandboxExport({ stream, profile: 'clean', seed: 5, pageLimit: 50, knobs: { outOfOrderRate: 0.5 }, sizes: { alerts: 1500, iocs: 1500, vulnerabilities: 1500 } });
      expect(report.logs.filter((l) => l.startsWith('out_of_order')).length).toBeGreaterThan(3);
      expect(report.finalVerdict).toBe('complete');
      expect(report.missingIds).toEqual([]);
      expect(report.duplicates).toBe(0);
    });
  }
});
