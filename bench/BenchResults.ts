import type { StreamName } from '../functions/falcon/streams.ts';
import type { ProfileName } from '../sandbox/profiles.ts';

/** The clients compared side by side, in table order. */
export const CLIENT_NAMES = ['pagination-guard', 'naive-loop', 'falconjs-sdk'] as const;

export type ClientName = (typeof CLIENT_NAMES)[number];

/** The profiles of issue #6: no faults, then each field-report fault, then all of them at once. */
export const BENCH_PROFILES: readonly ProfileName[] = ['clean', 'sparse-final-page', 'ttl-vs-backoff', 'depth-cap', 'chaos'];

/** One client exporting one stream under one profile, from a fresh sandbox with the shared seed. */
export interface BenchRow {
  client: ClientName;
  stream: StreamName;
  profile: ProfileName;
  /** Records that matched when the export started and still existed at its end, but were never exported. */
  missing: number;
  /** Records exported more than once. */
  duplicates: number;
  /** API calls (token requests excluded). */
  calls: number;
  /** `optimalCalls(spec, total at start)` of the engine, the same yardstick for every client. */
  optimalCalls: number;
  /** Completion time on the sandbox's virtual clock (in-process clients); wall time over loopback for the SDK. */
  virtualMs: number;
  /** Wall time of the export, the sandbox's ground-truth bookkeeping excluded. */
  wallMs: number;
  /** The client's own CPU time (the sandbox's excluded) per 1 000 exported records; null when none was exported. */
  cpuMsPer1k: number | null;
}

/** The CLI exporting 100 000 and 1 000 000 records to NDJSON from a sandbox server in another process. */
export interface ScaleFigures {
  /** Peak RSS of the CLI process (bytes, `process.resourceUsage().maxRSS`) exporting 100 000 records. */
  rss100k: number;
  /** The same at 1 000 000 records. */
  rss1m: number;
  /** CLI records per wall second at 1 000 000 records. */
  recordsPerSec: number;
  /** rss1m / rss100k (target: at most 1.2). */
  rssRatio: number;
  stream: StreamName;
  records100k: number;
  records1m: number;
  /** Over both exports: matching records absent from the NDJSON, and lines whose id came before. */
  missing: number;
  duplicates: number;
  wallMs1m: number;
  calls1m: number;
  /** Time the sandbox spent inside `FalconSandbox.handle` serving those same pages (its own cost). */
  sandboxMs1m: number;
  /** records1m / sandboxMs1m: how fast the sandbox alone produces the pages. */
  sandboxRecordsPerSec: number;
}

/** One export of 25 000 alerts through workflows/export-stream.yml, the Fusion runner and the Python function. */
export interface FoundryRow {
  sink: 'logscale' | 'response';
  profile: ProfileName;
  /** Function invocations of the workflow execution (page runs). */
  functionCalls: number;
  /** Falcon API calls of all page runs (token requests excluded). */
  apiCalls: number;
  /** LogScale ingest calls of all page runs, retries included (0 with the response sink). */
  ingestCalls: number;
  /** The execution's time on the sandbox's virtual clock. */
  virtualMs: number;
  expected: number;
  /** Records that matched at the start and still existed at the end but are in neither the log repo nor the saved search's result. */
  missing: number;
  /** Records present twice after the saved search's deduplication (or written twice by the workflow). */
  duplicatesInRepo: number;
  /** Event copies a retried ingest left in the repository, which the deduplication removes. */
  redeliveredEvents: number;
  /** The largest page-run response body, bytes (Foundry drops one over 120 KB). */
  largestResponseBytes: number;
  /** The workflow ended with has_more "false" and verdict complete, nothing missing or twice. */
  complete: boolean;
}

export interface BenchResults {
  rows: BenchRow[];
  scale: ScaleFigures;
  foundry: FoundryRow[];
}
