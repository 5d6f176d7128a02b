import { runSandboxExport, type SandboxExportOptions } from '../../../functions/cli/runSandboxExport.ts';
import { toRunRecord, type RunRecord } from '../../../functions/storage/RunRecord.ts';

export interface ExecutionRuns {
  executionId: string;
  records: RunRecord[];
}

/**
 * Run records as the page-run function writes them, from real sandbox exports: one Fusion execution that
 * exported three streams (a multi-run alerts export under chaos, hosts with a cursor that vanished mid-run,
 * vulnerabilities without the API scope, which fails), and a second execution whose alerts export fought
 * 45 s rate-limit waits against a 30 s cursor TTL.
 */
export async function sandboxRunRecords(): Promise<{ mixed: ExecutionRuns; ttl: ExecutionRuns }> {
  const exportRecords = async (executionId: string, options: SandboxExportOptions): Promise<RunRecord[]> => {
    const report = await runSandboxExport(options);
    // Through JSON, as the collection stores them.
    return report.runs.map((result) => JSON.parse(JSON.stringify(toRunRecord(result, { executionId }))) as RunRecord);
  };
  const mixedId = 'wf-exec-7c1e2a';
  const ttlId = 'wf-exec-93b0f4';
  const mixed = [
    ...(await exportRecords(mixedId, { stream: 'alerts', profile: 'chaos', seed: 1, runDeadlineMs: 25_000 })),
    ...(await exportRecords(mixedId, { stream: 'hosts', profile: 'chaos', seed: 1 })),
    ...(await exportRecords(mixedId, { stream: 'vulnerabilities', profile: 'clean', seed: 1, knobs: { deniedStreams: ['vulnerabilities'] } })),
  ];
  const ttl = await exportRecords(ttlId, { stream: 'alerts', profile: 'ttl-vs-backoff', seed: 2, runDeadlineMs: 25_000 });
  return { mixed: { executionId: mixedId, records: mixed }, ttl: { executionId: ttlId, records: ttl } };
}
