import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI_ENTRY } from '../../scripts/cliBundle.ts';
import { runNode, type Ran } from '../support/runNode.ts';

// The bin runs dist/cli.mjs, which test/support/buildCli.ts (vitest's global setup) built from the sources.
const ROOT = join(import.meta.dirname, '..', '..');
const BIN = join(ROOT, 'bin', 'pagination-guard.mjs');
function node(args: string[], cwd = ROOT): Promise<Ran> {
  return runNode(args, { cwd });
}

/** The source modules in a built file and every chunk it imports statically (esbuild names each module in a `// path.ts` comment). */
function staticallyLoaded(file: string, seen = new Set<string>()): string[] {
  if (seen.has(file)) return [];
  seen.add(file);
  const text = readFileSync(file, 'utf8');
  const sources = [...text.matchAll(/^\/\/ ([\w./-]+\.ts)$/gm)].map((m) => m[1] ?? '');
  const chunks = [...text.matchAll(/^(?:import\s[^'"]*?from\s*|import\s*)"(\.\/[^"]+\.mjs)";?$/gm)].map((m) => join(dirname(file), m[1] ?? ''));
  return [...sources, ...chunks.flatMap((chunk) => staticallyLoaded(chunk, seen))];
}

describe('the built CLI (bin/pagination-guard.mjs → dist/cli.mjs)', () => {
  it('prints its version', async () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    const ran = await node([BIN, '--version']);
    expect(ran).toMatchObject({ code: 0, stdout: `pagination-guard ${pkg.version}\n`, stderr: '' });
  });

  it('runs as a program with the heap ceiling its shebang declares', async () => {
    // The heap flags keep a streaming export's RSS down (bench: scale); they reach V8 only through the shebang.
    const dir = mkdtempSync(join(tmpdir(), 'pagination-guard-heap-'));
    const probe = join(dir, 'heapLimit.mjs');
    writeFileSync(probe, "import v8 from 'node:v8';\nprocess.on('exit', () => process.stderr.write(`heap ${v8.getHeapStatistics().heap_size_limit}\\n`));\n");
    const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', NODE_OPTIONS: `--import=${probe}` };
    const limitMb = (stderr: string): number => Number(/heap (\d+)/.exec(stderr)?.[1]) / 1_048_576;
    const asProgram = await new Promise<string>((resolve, reject) => execFile(BIN, ['--version'], { env }, (error, _stdout, stderr) => (error ? reject(error) : resolve(stderr))));
    // The old-space ceiling (1024 MB) plus the young generation's semi-spaces of 4 MB.
    expect(limitMb(asProgram)).toBeGreaterThanOrEqual(1024);
    expect(limitMb(asProgram)).toBeLessThan(1100);
  });

  it('exports from the in-process sandbox and stops with a checkpoint at --max-pages', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pagination-guard-built-'));
    const out = join(dir, 'iocs.ndjson');
    const ran = await node([BIN, 'export', 'iocs', '--sandbox', 'clean', '--max-pages', '2', '--out', out, '--checkpoint', join(dir, 'iocs.cp'), '--json']);
    expect(ran.code, ran.stderr).toBe(3);
    const summary = JSON.parse(ran.stdout) as { verdict: string; has_more: string; checkpoint: string };
    expect(summary).toMatchObject({ has_more: 'true' });
    expect(summary.checkpoint).toMatch(/^pg2\./);
    const ids = readFileSync(out, 'utf8').split('\n').filter(Boolean).map((line) => (JSON.parse(line) as { id: string }).id);
    expect(ids.length).toBeGreaterThan(0);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('loads neither the sandbox, the Fusion runner, msw nor tsx until a command needs them', () => {
    const loaded = staticallyLoaded(CLI_ENTRY);
    expect(loaded).toContain('functions/cli/main.ts');
    expect(loaded).toContain('functions/host/runPageRun.ts');
    // The only sandbox modules the CLI reads at start-up are the lists of profile and dataset names (for --help and checks).
    expect(loaded.filter((path) => path.startsWith('sandbox/') || path.startsWith('fusion/')).sort()).toEqual(['sandbox/datasets/DatasetName.ts', 'sandbox/profileNames.ts']);
    const built = readFileSync(CLI_ENTRY, 'utf8');
    expect(built).not.toMatch(/from "(msw|tsx)[/"]/);
  });

  it('tells the user to build when dist/cli.mjs is missing', async () => {
    const elsewhere = mkdtempSync(join(tmpdir(), 'pagination-guard-unbuilt-'));
    mkdirSync(join(elsewhere, 'bin'));
    copyFileSync(BIN, join(elsewhere, 'bin', 'pagination-guard.mjs'));
    const ran = await node([join(elsewhere, 'bin', 'pagination-guard.mjs'), '--version'], elsewhere);
    expect(ran.code).toBe(1);
    expect(ran.stderr).toMatch(/the CLI is not built: .*dist\/cli\.mjs is missing\. Run `npm run build`/);
  });
});
