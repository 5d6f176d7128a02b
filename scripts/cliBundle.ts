import { build, type BuildOptions, type LogLevel } from 'esbuild';
import { rmSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..');

/** Where `npm run build` writes the CLI: `dist/cli.mjs`, which bin/pagination-guard.mjs imports (dist/ is not committed). */
export const CLI_OUTDIR = join(ROOT, 'dist');
export const CLI_ENTRY = join(CLI_OUTDIR, 'cli.mjs');

/**
 * The CLI as JavaScript for Node 20: one ES module for the commands and the host, and separate chunks for
 * what the CLI imports with `import()` (the sandbox for `--sandbox` and `demo`, the Fusion runner for
 * `workflow run`), so that an export against Falcon never loads them. npm packages stay imports of
 * node_modules (the runtime dependencies); the TypeScript sources need no loader at run time.
 */
export const CLI_BUNDLE: BuildOptions = {
  absWorkingDir: ROOT,
  entryPoints: { cli: 'functions/cli/main.ts' },
  outdir: CLI_OUTDIR,
  outExtension: { '.js': '.mjs' },
  chunkNames: 'chunks/[name]-[hash]',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  sourcemap: true,
  legalComments: 'none',
  charset: 'utf8',
};

/** Builds the CLI into a clean dist/ (no chunk of an older build left behind). */
export async function buildCli(logLevel: LogLevel = 'warning'): Promise<void> {
  rmSync(CLI_OUTDIR, { recursive: true, force: true });
  await build({ ...CLI_BUNDLE, logLevel });
}
