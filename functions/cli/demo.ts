import type { ProfileName } from '../../sandbox/profileNames.ts';
import type { SandboxExportReport } from '../../sandbox/runSandboxExport.ts';
import { STREAM_NAMES } from '../falcon/streams.ts';

export const DEMO_PROFILES: readonly ProfileName[] = ['ttl-vs-backoff', 'sparse-final-page', 'shared-token', 'clock-skew', 'chaos'];

/** One export of the demo: the figures of its sandbox report, without the runs and the sandbox itself. */
export type DemoRow = Pick<
  SandboxExportReport,
  'stream' | 'profile' | 'expected' | 'exported' | 'missing' | 'duplicates' | 'calls' | 'optimalCalls' | 'tokenMissingMidRun' | 'restarts' | 'virtualMs'
>;

export interface DemoReport {
  verdict: 'complete' | 'incomplete';
  rows: DemoRow[];
}

export function toRow(report: SandboxExportReport): DemoRow {
  return {
    stream: report.stream,
    profile: report.profile,
    expected: report.expected,
    exported: report.exported,
    missing: report.missing,
    duplicates: report.duplicates,
    calls: report.calls,
    optimalCalls: report.optimalCalls,
    tokenMissingMidRun: report.tokenMissingMidRun,
    restarts: report.restarts,
    virtualMs: report.virtualMs,
  };
}

/** Every stream, exported completely as a sequence of 25 s page runs under each field-report profile. */
export async function runDemo(onRow?: (row: DemoRow) => void): Promise<DemoReport> {
  // The sandbox loads only when the demo runs, not with the CLI.
  const { runSandboxExport } = await import('../../sandbox/runSandboxExport.ts');
  const rows: DemoRow[] = [];
  for (const stream of STREAM_NAMES) {
    for (const profile of DEMO_PROFILES) {
      const row = toRow(await runSandboxExport({ stream, profile, seed: 7, runDeadlineMs: 25_000 }));
      rows.push(row);
      onRow?.(row);
    }
  }
  const verdict = rows.every((r) => r.missing === 0 && r.duplicates === 0) ? 'complete' : 'incomplete';
  return { verdict, rows };
}

export function formatRow(row: DemoRow): string {
  const ratio = row.optimalCalls > 0 ? (row.calls / row.optimalCalls).toFixed(2) : '-';
  return [
    row.stream.padEnd(17),
    row.profile.padEnd(18),
    String(row.expected).padStart(7),
    String(row.exported).padStart(8),
    String(row.missing).padStart(7),
    String(row.duplicates).padStart(5),
    `${row.calls}/${row.optimalCalls}`.padStart(9),
    ratio.padStart(5),
    String(row.tokenMissingMidRun).padStart(7),
    String(row.restarts).padStart(8),
    `${(row.virtualMs / 1000).toFixed(1)}s`.padStart(9),
  ].join(' ');
}

export const DEMO_HEADER = [
  'stream'.padEnd(17),
  'profile'.padEnd(18),
  'expected'.padStart(7),
  'exported'.padStart(8),
  'missing'.padStart(7),
  'dups'.padStart(5),
  'calls/opt'.padStart(9),
  'ratio'.padStart(5),
  'tokMiss'.padStart(7),
  'restarts'.padStart(8),
  'virtual'.padStart(9),
].join(' ');
