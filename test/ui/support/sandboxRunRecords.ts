import { inProcessSandbox } from '../../../sandbox/inProcessSandbox.ts';
import { invokeFunction, type NodeFunctionHost } from '../../../functions/host/invokeFunction.ts';
import { runSandboxExport, type SandboxExportOptions } from '../../../sandbox/runSandboxExport.ts';
import { RUNS_COLLECTION, toRunRecord, type RunRecord } from '../../../functions/storage/RunRecord.ts';

export interface ExecutionRuns {
  executionId: string;
  records: RunRecord[];
}

/**
 * Run records as the page-run function writes them, from real sandbox exports: one Fusion execution that
 * exported four streams (a multi-run alerts export under chaos, hosts with a cursor that vanished mid-run,
 * vulnerabilities without the API scope, which fails, and IOCs stored in LogScale by the page-run function
 * through a flaky ingest endpoint), and a second execution whose alerts export fought 45 s rate-limit
 * waits against a 30 s cursor TTL.
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
    ...(await ingestedRecords(mixedId)),
    ...(await exportRecords(mixedId, { stream: 'alerts', profile: 'chaos', seed: 1, runDeadlineMs: 25_000 })),
    ...(await exportRecords(mixedId, { stream: 'hosts', profile: 'chaos', seed: 1 })),
    ...(await exportRecords(mixedId, { stream: 'vulnerabilities', profile: 'clean', seed: 1, knobs: { deniedStreams: ['vulnerabilities'] } })),
  ];
  const ttl = await exportRecords(ttlId, { stream: 'alerts', profile: 'ttl-vs-backoff', seed: 2, runDeadlineMs: 25_000 });
  return { mixed: { executionId: mixedId, records: mixed }, ttl: { executionId: ttlId, records: ttl } };
}

/** Page runs of the function with sink "logscale" under ingest-flaky, as it writes them to pagination_runs. */
async function ingestedRecords(executionId: string): Promise<RunRecord[]> {
  const box = inProcessSandbox({ seed: 1, profile: 'ingest-flaky', sizes: { iocs: 2500 } });
  const host: NodeFunctionHost = { transport: box.transport, clock: box.clientClock, sleep: box.clock.sleep, auth: box.auth, appId: 'pagination-guard-ui' };
  let checkpoint = '';
  for (let run = 0; run < 5; run++) {
    const body = { stream: 'iocs', sink: 'logscale', max_pages: 1, ...(checkpoint === '' ? {} : { checkpoint }) };
    const answer = await invokeFunction({ method: 'POST', url: '/page-run', body, params: { header: { 'X-Cs-Executionid': [executionId] } } }, host);
    checkpoint = String(answer.body['checkpoint'] ?? '');
    if (answer.body['has_more'] !== 'true') break;
  }
  const records = box.sandbox.storage.keys(RUNS_COLLECTION).map((key) => JSON.parse(JSON.stringify(box.sandbox.storage.object(RUNS_COLLECTION, key))) as RunRecord);
  // The fixture must show what the panel is tested on: events stored, and ingest calls that had to be repeated.
  if (!records.some((r) => r.health.ingestRetries > 0) || !records.some((r) => r.health.ingestedEvents > 0)) {
    throw new Error('the ingest-flaky fixture stored no events or retried no ingest call; pick another seed');
  }
  return records;
}
