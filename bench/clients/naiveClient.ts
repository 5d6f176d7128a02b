import { optimalCalls } from '../../functions/engine/step.ts';
import { STREAMS } from '../../functions/falcon/streams.ts';
import type { BenchRow } from '../BenchResults.ts';
import { measure } from '../measure.ts';
import { perThousand, type ClientRunner } from './ClientRunner.ts';
import { naiveExport } from './naiveExport.ts';

/** The field report's loop, in-process against the sandbox on its virtual clock. */
export const naiveClient: ClientRunner = async (stream, profile, setup) => {
  const { value: report, wallMs, clientCpuMs } = await measure(() =>
    naiveExport(stream, profile, setup.seed, setup.sizes ? { sizes: setup.sizes } : {}),
  );
  const row: BenchRow = {
    client: 'naive-loop',
    stream,
    profile,
    missing: report.missing,
    duplicates: report.duplicates,
    calls: report.calls,
    optimalCalls: optimalCalls(STREAMS[stream], report.totalAtStart),
    virtualMs: report.virtualMs,
    wallMs: Math.round(wallMs),
    cpuMsPer1k: perThousand(clientCpuMs, report.exported),
  };
  return { row, note: `exported ${report.exported} of ${report.expected}` };
};
