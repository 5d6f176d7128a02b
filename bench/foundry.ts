import { join } from 'node:path';
import { repositoryRoot } from '../functions/host/repositoryRoot.ts';
import { runWorkflow } from '../fusion/runWorkflow.ts';
import type { ProfileName } from '../sandbox/profiles.ts';
import type { FoundryRow } from './BenchResults.ts';

export const FOUNDRY_PROFILES: readonly ProfileName[] = ['clean', 'ttl-vs-backoff', 'chaos'];
export const FOUNDRY_SINKS = ['logscale', 'response'] as const;
export const FOUNDRY_ALERTS = 25_000;

/**
 * The on-demand export workflow through the local Fusion runner and the Python function, for 25 000
 * alerts under each profile with both sinks, side by side on the same seed: what the LogScale sink
 * saves in function calls, and that the repository, read as the saved search reads it, is complete.
 */
export async function runFoundry(options: { seed: number; onRow?: (row: FoundryRow) => void }): Promise<FoundryRow[]> {
  const root = repositoryRoot();
  const rows: FoundryRow[] = [];
  for (const profile of FOUNDRY_PROFILES) {
    for (const sink of FOUNDRY_SINKS) {
      const report = await runWorkflow({
        root,
        workflowPath: join(root, 'workflows/export-stream.yml'),
        inputs: { stream: 'alerts', sink },
        profile,
        seed: options.seed,
        sizes: { alerts: FOUNDRY_ALERTS },
      });
      const row: FoundryRow = {
        sink,
        profile,
        functionCalls: report.functionCalls,
        apiCalls: report.health.reduce((sum, h) => sum + h.apiCalls, 0),
        ingestCalls: report.health.reduce((sum, h) => sum + h.ingestCalls, 0),
        virtualMs: report.virtualMs,
        expected: report.expected,
        missing: report.missing,
        duplicatesInRepo: report.duplicates,
        redeliveredEvents: report.logscale.redelivered,
        largestResponseBytes: report.largestPageRunResponseBytes,
        complete: report.verdict === 'complete',
      };
      rows.push(row);
      options.onRow?.(row);
    }
  }
  return rows;
}
