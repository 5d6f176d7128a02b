import { runSandboxExport } from '../../sandbox/runSandboxExport.ts';
import type { BenchRow } from '../BenchResults.ts';
import { measure } from '../measure.ts';
import { perThousand, type ClientRunner } from './ClientRunner.ts';

/**
 * Pagination Guard's Node host as the workflow drives it: bounded 25 s page runs with the checkpoint
 * carried between them, in-process against the sandbox on its virtual clock.
 */
export const guardClient: ClientRunner = async (stream, profile, setup) => {
  const { value: report, wallMs, clientCpuMs } = await measure(() =>
    runSandboxExport({ stream, profile, seed: setup.seed, ...(setup.sizes ? { sizes: setup.sizes } : {}) }),
  );
  const row: BenchRow = {
    client: 'pagination-guard',
    stream,
    profile,
    missing: report.missing,
    duplicates: report.duplicates,
    calls: report.calls,
    optimalCalls: report.optimalCalls,
    virtualMs: report.virtualMs,
    wallMs: Math.round(wallMs),
    cpuMsPer1k: perThousand(clientCpuMs, report.exported),
  };
  return { row, note: `${report.finalVerdict} after ${report.runs.length} page run(s), ${report.restarts} restart(s)` };
};
