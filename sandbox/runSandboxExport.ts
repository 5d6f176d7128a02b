import type { FalconSandbox } from './FalconSandbox.ts';
import type { DatasetName } from './datasets/DatasetName.ts';
import type { FaultKnobs, ProfileName } from './profiles.ts';
import { randomBytes } from 'node:crypto';
import type { CheckpointKeys } from '../functions/engine/Checkpoint.ts';
import type { RunResult } from '../functions/engine/EngineCommand.ts';
import { optimalCalls } from '../functions/engine/step.ts';
import { STREAMS, type StreamName } from '../functions/falcon/streams.ts';
import { runPageRun } from '../functions/host/runPageRun.ts';
import { inProcessSandbox } from './inProcessSandbox.ts';

export interface SandboxExportOptions {
  stream: StreamName;
  profile: ProfileName;
  seed?: number;
  filter?: string;
  /** Deadline of each bounded page run, in virtual ms (the Foundry function's budget). */
  runDeadlineMs?: number;
  maxRuns?: number;
  maxResponseBytes?: number;
  pageLimit?: number;
  /** Smaller datasets and extra knobs, for property tests. */
  sizes?: Partial<Record<DatasetName, number>>;
  knobs?: Partial<FaultKnobs>;
  /** Options passed to every page run (retry bounds, cursor lifetime assumption). */
  maxRetries?: number;
  /** @default a key drawn for this process: the harness's checkpoints never leave it */
  checkpointKeys?: CheckpointKeys;
  /**
   * Kills the run after every Nth page is written but before its checkpoint is saved, as a crash would;
   * the next run starts from the last saved checkpoint, with the output cut back to what that covers
   * (the CLI's rule for its output file).
   */
  killEvery?: number;
}

class Killed extends Error {}

const HARNESS_KEYS: CheckpointKeys = { current: randomBytes(32).toString('hex') };

export interface SandboxExportReport {
  stream: StreamName;
  profile: ProfileName;
  expected: number;
  exported: number;
  missing: number;
  duplicates: number;
  calls: number;
  optimalCalls: number;
  tokenMissingMidRun: number;
  restarts: number;
  virtualMs: number;
  runs: RunResult[];
  checkpoints: string[];
  missingIds: string[];
  finalVerdict: string;
  /** Runs killed between writing a page and saving its checkpoint (killEvery). */
  kills: number;
  /** Every named event the runs reported, as the CLI would log them. */
  logs: string[];
  sandbox: FalconSandbox;
}

/**
 * One complete export as the workflow does it: bounded page runs, the checkpoint carried from each
 * run to the next, on the sandbox's virtual clock. Ground truth comes from the sandbox itself: the
 * records that matched the filter both when the export started and when it ended.
 */
export async function runSandboxExport(options: SandboxExportOptions): Promise<SandboxExportReport> {
  const spec = STREAMS[options.stream];
  const seed = options.seed ?? 1;
  const { sandbox, clock, clientClock, transport, auth } = inProcessSandbox({
    seed,
    profile: options.profile,
    ...(options.sizes ? { sizes: options.sizes } : {}),
    ...(options.knobs ? { knobs: options.knobs } : {}),
  });
  const filter = options.filter ?? '';
  const startIds = sandbox.matchingIds(options.stream, filter);
  const startedAt = clock.nowMs();
  const exported: string[] = [];
  const runs: RunResult[] = [];
  const checkpoints: string[] = [];
  const logs: string[] = [];
  let checkpoint: string | undefined;
  const maxRuns = options.maxRuns ?? 400;
  let finalVerdict = 'incomplete';
  let pagesWritten = 0;
  let kills = 0;
  for (let run = 1; run <= maxRuns; run++) {
    let saved = { checkpoint, exported: exported.length };
    const attempt = runPageRun(
      {
        stream: options.stream,
        filter,
        runId: `run-${run}`,
        sessionId: `session-${seed}`,
        apiBaseUrl: auth.baseUrl,
        checkpointKeys: options.checkpointKeys ?? HARNESS_KEYS,
        ...(checkpoint ? { checkpoint } : {}),
        budget: {
          deadlineMs: options.runDeadlineMs ?? 25_000,
          ...(options.maxResponseBytes ? { maxResponseBytes: options.maxResponseBytes } : {}),
        },
        options: {
          seed: seed * 7919 + run,
          ...(options.pageLimit ? { pageLimit: options.pageLimit } : {}),
          ...(options.maxRetries !== undefined ? { maxRetries: options.maxRetries } : {}),
        },
      },
      {
        transport,
        clock: clientClock,
        sleep: clock.sleep,
        auth,
        sink: async (items, next) => {
          for (const item of items) exported.push(String((item as Record<string, unknown>)[spec.idField]));
          if (options.killEvery !== undefined && ++pagesWritten % options.killEvery === 0) throw new Killed();
          checkpoints.push(next);
          saved = { checkpoint: next, exported: exported.length };
        },
        onEvent: (event) => logs.push(`${event.kind}: ${event.detail}`),
      },
    );
    let result: RunResult;
    try {
      result = await attempt;
    } catch (error) {
      if (!(error instanceof Killed)) throw error;
      kills++;
      logs.push(`killed: after a page was written, before its checkpoint was saved`);
      checkpoint = saved.checkpoint;
      exported.length = saved.exported;
      continue;
    }
    runs.push(result);
    if (result.checkpoint) {
      checkpoints.push(result.checkpoint);
      checkpoint = result.checkpoint;
    }
    finalVerdict = result.verdict;
    if (result.hasMore !== 'true') break;
  }
  const endIds = sandbox.matchingIds(options.stream, filter);
  const expected = [...startIds].filter((id) => endIds.has(id));
  const unique = new Set(exported);
  const missingIds = expected.filter((id) => !unique.has(id));
  const last = runs[runs.length - 1];
  return {
    stream: options.stream,
    profile: options.profile,
    expected: expected.length,
    exported: unique.size,
    missing: missingIds.length,
    duplicates: exported.length - unique.size,
    calls: runs.reduce((sum, r) => sum + r.health.apiCalls, 0),
    optimalCalls: optimalCalls(spec, last?.health.totalAtStart ?? startIds.size),
    tokenMissingMidRun: runs.reduce((sum, r) => sum + r.health.tokenMissingMidRun, 0),
    restarts: runs.reduce((sum, r) => sum + r.health.watermarkRestarts, 0),
    virtualMs: clock.nowMs() - startedAt,
    runs,
    checkpoints,
    missingIds: missingIds.slice(0, 20),
    finalVerdict,
    kills,
    logs,
    sandbox,
  };
}
