import type { StreamName } from '../../functions/falcon/streams.ts';
import type { DatasetName } from '../../sandbox/datasets/DatasetName.ts';
import type { ProfileName } from '../../sandbox/profiles.ts';
import type { BenchRow } from '../BenchResults.ts';

/** What every client's export starts from: the same seed and dataset sizes, so the same data and faults. */
export interface MatrixSetup {
  seed: number;
  /** Dataset sizes; the sandbox's defaults otherwise. */
  sizes?: Partial<Record<DatasetName, number>>;
}

/** A row plus one line on how the export ended (the verdict, or why a loop stopped), for the progress log. */
export interface ClientOutcome {
  row: BenchRow;
  note: string;
}

/** One client: exports a stream under a profile from a fresh sandbox and reports its row. */
export type ClientRunner = (stream: StreamName, profile: ProfileName, setup: MatrixSetup) => Promise<ClientOutcome>;

/** CPU milliseconds per 1 000 exported records, two decimals; null when nothing was exported. */
export function perThousand(cpuMs: number, records: number): number | null {
  return records > 0 ? Math.round((cpuMs / records) * 1000 * 100) / 100 : null;
}
