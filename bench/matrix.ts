import { STREAM_NAMES, type StreamName } from '../functions/falcon/streams.ts';
import type { ProfileName } from '../sandbox/profiles.ts';
import { BENCH_PROFILES, CLIENT_NAMES, type BenchRow, type ClientName } from './BenchResults.ts';
import type { ClientOutcome, ClientRunner, MatrixSetup } from './clients/ClientRunner.ts';
import { guardClient } from './clients/guardClient.ts';
import { naiveClient } from './clients/naiveClient.ts';
import { sdkClient } from './clients/sdkClient.ts';

const RUNNERS: Readonly<Record<ClientName, ClientRunner>> = {
  'pagination-guard': guardClient,
  'naive-loop': naiveClient,
  'falconjs-sdk': sdkClient,
};

export interface MatrixOptions extends MatrixSetup {
  clients?: readonly ClientName[];
  streams?: readonly StreamName[];
  profiles?: readonly ProfileName[];
  onOutcome?: (outcome: ClientOutcome) => void;
}

/** Every client × stream × profile, each from a fresh sandbox with the same seed; clients side by side per cell. */
export async function runMatrix(options: MatrixOptions): Promise<BenchRow[]> {
  const setup: MatrixSetup = { seed: options.seed, ...(options.sizes ? { sizes: options.sizes } : {}) };
  const rows: BenchRow[] = [];
  for (const stream of options.streams ?? STREAM_NAMES) {
    for (const profile of options.profiles ?? BENCH_PROFILES) {
      for (const client of options.clients ?? CLIENT_NAMES) {
        const outcome = await RUNNERS[client](stream, profile, setup);
        rows.push(outcome.row);
        options.onOutcome?.(outcome);
      }
    }
  }
  return rows;
}
