import { spawn } from 'node:child_process';
import { createReadStream, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { StreamName } from '../functions/falcon/streams.ts';
import { DATASET_OF_STREAM } from '../sandbox/datasets/DatasetName.ts';
import { buildCli } from '../scripts/cliBundle.ts';
import type { ScaleFigures } from './BenchResults.ts';
import { SandboxProcess } from './SandboxProcess.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const WRAPPER = join(ROOT, 'bench', 'cliPeakRss.mjs');

/** One CLI export of `size` records from a sandbox server in another process. */
export interface ScaleRun {
  size: number;
  exitCode: number | null;
  /** Peak RSS of the CLI process in bytes. */
  maxRssBytes: number;
  wallMs: number;
  /** Lines in the NDJSON file, distinct ids among them, and matching records the file lacks. */
  records: number;
  unique: number;
  missing: number;
  /** Calls the server saw (tokens excluded) and its time inside `FalconSandbox.handle`. */
  calls: number;
  sandboxMs: number;
}

/**
 * The Node flags in the bin's shebang (`#!/usr/bin/env -S node <flags>`): the wrapper that measures the CLI
 * runs with them, as the bin does when it runs as a program.
 */
export function binNodeFlags(): string[] {
  const first = readFileSync(join(ROOT, 'bin', 'pagination-guard.mjs'), 'utf8').split('\n', 1)[0] ?? '';
  const match = /^#!\/usr\/bin\/env -S node((?: --[\w-]+=\w+)*)$/.exec(first);
  if (!match) throw new Error(`bin/pagination-guard.mjs starts with "${first}", not "#!/usr/bin/env -S node [--flag=value ...]"`);
  return (match[1] ?? '').split(' ').filter(Boolean);
}

/** How the CLI process runs: the built JavaScript through bin/pagination-guard.mjs, or the sources through tsx (as before #15). */
export type CliLauncher = 'built' | 'tsx';

/**
 * Runs the real CLI (`bin/pagination-guard.mjs export <stream> --base-url ... --out <tmp>.ndjson`,
 * through a wrapper that reports `process.resourceUsage().maxRSS`) against a clean sandbox whose
 * dataset has exactly `size` records, generated before the CLI starts. The bin runs dist/cli.mjs:
 * build it first (`runScale` does).
 */
export async function runScaleExport(stream: StreamName, size: number, seed: number, launcher: CliLauncher = 'built'): Promise<ScaleRun> {
  const sandbox = await SandboxProcess.start({ seed, profile: 'clean', sizes: { [DATASET_OF_STREAM[stream]]: size }, truthOf: stream, sendIds: false });
  const dir = mkdtempSync(join(tmpdir(), 'pg-bench-'));
  const out = join(dir, `${stream}-${size}.ndjson`);
  try {
    const started = performance.now();
    const flags = launcher === 'built' ? binNodeFlags() : [];
    const child = spawn(process.execPath, [...flags, WRAPPER, 'export', stream, '--base-url', sandbox.ready.baseUrl, '--out', out], {
      cwd: ROOT,
      env: { ...process.env, FALCON_CLIENT_ID: sandbox.ready.clientId, FALCON_CLIENT_SECRET: sandbox.ready.clientSecret, PG_BENCH_LAUNCHER: launcher },
      stdio: ['ignore', 'ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    let usage = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-4000);
    });
    child.stdio[3]?.on('data', (chunk: Buffer) => {
      usage += chunk.toString();
    });
    const exitCode = await new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
    const wallMs = performance.now() - started;
    const finished = await sandbox.finish();
    if (exitCode !== 0 || usage === '') throw new Error(`The CLI export of ${size} ${stream} failed (exit ${exitCode}): ${stderr.trim()}`);
    const { maxRssBytes } = JSON.parse(usage) as { maxRssBytes: number };
    const { records, unique } = await countIds(out);
    return {
      size,
      exitCode,
      maxRssBytes,
      wallMs,
      records,
      unique,
      missing: Math.max(0, sandbox.ready.startCount - unique),
      calls: finished.calls,
      sandboxMs: finished.handleMs,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Lines and distinct ids of an NDJSON export whose records start with their `"id"` (Spotlight, IOCs, intel). */
async function countIds(path: string): Promise<{ records: number; unique: number }> {
  const ids = new Set<string>();
  let records = 0;
  const prefix = '{"id":"';
  for await (const line of createInterface({ input: createReadStream(path), crlfDelay: Infinity })) {
    if (line === '') continue;
    records++;
    const id = line.startsWith(prefix) ? line.slice(prefix.length, line.indexOf('"', prefix.length)) : String((JSON.parse(line) as { id?: unknown }).id);
    ids.add(id);
  }
  return { records, unique: ids.size };
}

/** The 100 000 and 1 000 000 record exports, and what they say about memory and throughput. */
export async function runScale(options: { stream: StreamName; seed: number; small?: number; large?: number; onRun?: (run: ScaleRun) => void }): Promise<ScaleFigures> {
  await buildCli();
  const small = await runScaleExport(options.stream, options.small ?? 100_000, options.seed);
  options.onRun?.(small);
  const large = await runScaleExport(options.stream, options.large ?? 1_000_000, options.seed);
  options.onRun?.(large);
  return {
    rss100k: small.maxRssBytes,
    rss1m: large.maxRssBytes,
    recordsPerSec: Math.round(large.unique / (large.wallMs / 1000)),
    rssRatio: Math.round((large.maxRssBytes / small.maxRssBytes) * 100) / 100,
    stream: options.stream,
    records100k: small.unique,
    records1m: large.unique,
    missing: small.missing + large.missing,
    duplicates: small.records - small.unique + (large.records - large.unique),
    wallMs1m: Math.round(large.wallMs),
    calls1m: large.calls,
    sandboxMs1m: Math.round(large.sandboxMs),
    sandboxRecordsPerSec: Math.round(large.unique / (large.sandboxMs / 1000)),
  };
}
