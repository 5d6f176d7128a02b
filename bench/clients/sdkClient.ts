import { optimalCalls } from '../../functions/engine/step.ts';
import { STREAMS } from '../../functions/falcon/streams.ts';
import type { BenchRow } from '../BenchResults.ts';
import { measure } from '../measure.ts';
import { SandboxProcess } from '../SandboxProcess.ts';
import { perThousand, type ClientRunner } from './ClientRunner.ts';
import { sdkExport } from './sdkExport.ts';

/**
 * The falconjs loop over its own HTTP stack (global fetch) against a sandbox server in a child process
 * on the real clock, so the server's CPU is not the client's. Calls are the server's count (tokens
 * excluded); there is no virtual clock, so virtualMs is the export's wall time.
 */
export const sdkClient: ClientRunner = async (stream, profile, setup) => {
  const sandbox = await SandboxProcess.start({ seed: setup.seed, profile, truthOf: stream, ...(setup.sizes ? { sizes: setup.sizes } : {}) });
  // sdkExport catches every error itself, so the server is always stopped below.
  const measured = await measure(() => sdkExport(stream, { baseUrl: sandbox.ready.baseUrl, ...sandbox.credentials }));
  const finished = await sandbox.finish();
  const { ids, stoppedBy } = measured.value;
  const unique = new Set(ids);
  const end = new Set(finished.endIds);
  const expected = sandbox.ready.startIds.filter((id) => end.has(id));
  const row: BenchRow = {
    client: 'falconjs-sdk',
    stream,
    profile,
    missing: expected.filter((id) => !unique.has(id)).length,
    duplicates: ids.length - unique.size,
    calls: finished.calls,
    optimalCalls: optimalCalls(STREAMS[stream], sandbox.ready.startIds.length),
    virtualMs: Math.round(measured.wallMs),
    wallMs: Math.round(measured.wallMs),
    cpuMsPer1k: perThousand(measured.clientCpuMs, unique.size),
  };
  return { row, note: `stopped by ${stoppedBy}` };
};
