import { describe, expect, it } from 'vitest';
import { runSandboxExport } from '../../sandbox/runSandboxExport.ts';

// A server that holds a record back from the middle of a page and serves it first on the next page of the
// same cursor, behind records it sorts after: the engine used to drop it as "already exported" and still
// report the export complete. When the cursor is then abandoned (it expires, a rate-limit wait outlives
// it), the held record comes on no page of that cursor: the next query reads that page's span again.
describe('records out of the requested sort order', () => {
  for (const stream of ['alerts', 'iocs', 'vulnerabilities'] as const) {
    it(`${stream}: a record served behind its order is kept, exactly once`, async () => {
      const report = await runSandboxExport({ stream, profile: 'clean', seed: 5, pageLimit: 50, knobs: { outOfOrderRate: 0.5 }, sizes: { alerts: 1500, iocs: 1500, vulnerabilities: 1500 } });
      expect(report.logs.filter((l) => l.startsWith('out_of_order')).length).toBeGreaterThan(3);
      expect(report.finalVerdict).toBe('complete');
      expect(report.missingIds).toEqual([]);
      expect(report.duplicates).toBe(0);
    });

    it(`${stream}: a record held back on a cursor that expires, is given up or outlives a kill is read again`, async () => {
      const report = await runSandboxExport({
        stream,
        profile: 'clean',
        seed: 11,
        pageLimit: 40,
        killEvery: 4,
        knobs: { outOfOrderRate: 0.5, expireCursorEvery: 3, injected429Every: 5, injected429RetryAfterMs: 45_000 },
        sizes: { alerts: 800, iocs: 800, vulnerabilities: 800 },
      });
      expect(report.logs.some((l) => l.startsWith('watermark_restart'))).toBe(true);
      expect(report.logs.some((l) => l.startsWith('killed'))).toBe(true);
      expect(report.finalVerdict).toBe('complete');
      expect(report.missingIds).toEqual([]);
      expect(report.duplicates).toBe(0);
    });
  }
});
