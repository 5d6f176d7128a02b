import { describe, expect, it } from 'vitest';
import { runSandboxExport } from '../../sandbox/runSandboxExport.ts';
import { STREAM_NAMES } from '../../functions/falcon/streams.ts';

// A Foundry function answers at most 120 KB, so a workflow's page runs carry ~80 KB of items: pages are
// cut short by bytes, not by the API's limit. Offset windows once re-windowed after every short page and
// never got past their boundary ids (NO_PROGRESS), and a scroll opened with a page larger than a run's
// budget waited for the next run forever; only the workflow runner exposed them.
describe('exports under a Foundry-sized byte budget', () => {
  for (const profile of ['chaos', 'ttl-vs-backoff', 'shared-token'] as const) {
    for (const stream of STREAM_NAMES) {
      it(`${stream} completes under ${profile} with 80 KB runs`, async () => {
        const report = await runSandboxExport({
          stream,
          profile,
          filter: stream === 'vulnerabilities' ? "status:'open'" : '',
          sizes: { alerts: 2500, iocs: 1500, intel: 1500, hosts: 1500, vulnerabilities: 2000 },
          runDeadlineMs: 55_000,
          maxResponseBytes: 80_000,
        });
        expect(report.finalVerdict).toBe('complete');
        expect(report.missing).toBe(0);
        expect(report.duplicates).toBe(0);
        // Every run but the last filled most of its budget: short pages did not make runs stop early.
        expect(report.runs.length).toBeGreaterThan(1);
      });
    }
  }

  // Each 80 KB run cuts its first page short, gives up the cursor and reads that page's span again next
  // run. The span a run read through must be settled; carried on, they merged run after run until they
  // no longer fit a checkpoint, and 25 000 alerts ended ORDER_VIOLATED after 242 runs (seen through the
  // export workflow's response sink under chaos).
  it('alerts at 25 000 under chaos with 80 KB runs: spans read again are settled, not carried until the export is unprovable', async () => {
    const report = await runSandboxExport({ stream: 'alerts', profile: 'chaos', seed: 1, sizes: { alerts: 25_000 }, runDeadlineMs: 55_000, maxResponseBytes: 80_000, maxRuns: 800 });
    expect(report.runs.some((run) => run.health.timeline.some((e) => e.kind === 'out_of_order'))).toBe(false);
    expect(report.finalVerdict).toBe('complete');
    expect(report.missing).toBe(0);
    expect(report.duplicates).toBe(0);
  });
});
