import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { buildCli } from '../scripts/cliBundle.ts';
import { binNodeFlags, runScaleExport, type CliLauncher } from './scale.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const WRAPPER = fileURLToPath(new URL('./cliPeakRss.mjs', import.meta.url));
const LAUNCHERS: readonly CliLauncher[] = ['built', 'tsx'];

interface Spread {
  median: number;
  min: number;
  max: number;
}

export interface StartupFigures {
  command: string;
  runs: number;
  /** Wall time of a whole `pagination-guard --version` process, in ms. */
  wallMs: Record<CliLauncher, Spread>;
  /** Its peak RSS, in MB. */
  rssMb: Record<CliLauncher, Spread>;
  /** built / tsx, of the medians. */
  wallRatio: number;
  rssRatio: number;
}

function spread(values: number[]): Spread {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
  const round = (n: number) => Math.round(n * 10) / 10;
  return { median: round(median), min: round(sorted[0] ?? 0), max: round(sorted[sorted.length - 1] ?? 0) };
}

/** One `pagination-guard <args>` process through the RSS wrapper (the built one with the bin's Node flags): its wall time and peak RSS. */
function runOnce(launcher: CliLauncher, args: string[]): { wallMs: number; rssMb: number } {
  const started = performance.now();
  const flags = launcher === 'built' ? binNodeFlags() : [];
  const ran = spawnSync(process.execPath, [...flags, WRAPPER, ...args], {
    cwd: ROOT,
    env: { ...process.env, PG_BENCH_LAUNCHER: launcher },
    stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
  });
  const wallMs = performance.now() - started;
  if (ran.status !== 0) throw new Error(`pagination-guard ${args.join(' ')} (${launcher}) exited ${ran.status}: ${String(ran.stderr)}`);
  const { maxRssBytes } = JSON.parse(String(ran.output[3])) as { maxRssBytes: number };
  return { wallMs, rssMb: maxRssBytes / 2 ** 20 };
}

/**
 * Start-up of the CLI as the bin runs it (built JavaScript) against the TypeScript sources through tsx
 * (how the bin ran before): `runs` processes each, interleaved so both see the same machine, after one
 * warm-up each (tsx's transform cache, the file cache).
 */
export function measureStartup(runs: number, args: string[] = ['--version']): StartupFigures {
  for (const launcher of LAUNCHERS) runOnce(launcher, args);
  const samples: Record<CliLauncher, Array<{ wallMs: number; rssMb: number }>> = { built: [], tsx: [] };
  for (let i = 0; i < runs; i++) for (const launcher of LAUNCHERS) samples[launcher].push(runOnce(launcher, args));
  const wallMs = { built: spread(samples.built.map((s) => s.wallMs)), tsx: spread(samples.tsx.map((s) => s.wallMs)) };
  const rssMb = { built: spread(samples.built.map((s) => s.rssMb)), tsx: spread(samples.tsx.map((s) => s.rssMb)) };
  return {
    command: `pagination-guard ${args.join(' ')}`,
    runs,
    wallMs,
    rssMb,
    wallRatio: Math.round((wallMs.built.median / wallMs.tsx.median) * 100) / 100,
    rssRatio: Math.round((rssMb.built.median / rssMb.tsx.median) * 100) / 100,
  };
}

/**
 * `npm run -s bench:startup [-- --runs 15] [--scale 1000000]`: the start-up figures as JSON on stdout; with
 * `--scale N`, also the peak RSS and wall time of one N-record `export vulnerabilities` (the bench's scale
 * run, sandbox server in another process) under each launcher.
 */
async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { runs: { type: 'string', default: '15' }, scale: { type: 'string' } } });
  const runs = Number(values.runs);
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs must be a positive integer, got "${values.runs}"`);
  await buildCli();
  const startup = measureStartup(runs);
  let scale: Record<string, unknown> | undefined;
  if (values.scale !== undefined) {
    const size = Number(values.scale);
    const figures: Record<string, { rssMb: number; wallMs: number; records: number; missing: number }> = {};
    for (const launcher of LAUNCHERS) {
      const run = await runScaleExport('vulnerabilities', size, 7, launcher);
      figures[launcher] = { rssMb: Math.round((run.maxRssBytes / 2 ** 20) * 10) / 10, wallMs: Math.round(run.wallMs), records: run.unique, missing: run.missing };
      process.stderr.write(`scale ${launcher}: ${JSON.stringify(figures[launcher])}\n`);
    }
    const ratio = (figures.built?.rssMb ?? 0) / (figures.tsx?.rssMb ?? 1);
    scale = { stream: 'vulnerabilities', records: size, ...figures, rssRatio: Math.round(ratio * 100) / 100 };
  }
  process.stdout.write(JSON.stringify({ startup, ...(scale ? { scale } : {}) }, null, 2) + '\n');
  return 0;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  process.exitCode = await main(process.argv.slice(2));
}
