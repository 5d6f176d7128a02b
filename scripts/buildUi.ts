import { build } from 'esbuild';
import { copyFile, mkdir, readdir, rm } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** The UI surfaces the manifest names: each `src/` holds index.html and main.ts, and builds to `src/dist`. */
export const UI_SURFACES = ['ui/extensions/pagination-health/src', 'ui/pages/pagination-runs/src'] as const;

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * Builds every surface into `<outRoot>/<surface>/dist`: index.html, app.js, app.css. The output is
 * committed (Foundry deploys it as is), so it must depend only on the sources and the locked esbuild:
 * no timestamps, no absolute paths, no source maps. A test rebuilds into a temporary root and compares.
 *
 * app.js is a classic IIFE script, not a module: a sandboxed console iframe has an opaque origin, and
 * module scripts are fetched with CORS, which a static Foundry asset host need not allow.
 */
export async function buildUi(outRoot: string = REPO_ROOT): Promise<string[]> {
  const written: string[] = [];
  for (const surface of UI_SURFACES) {
    const outDir = join(outRoot, surface, 'dist');
    await rm(outDir, { recursive: true, force: true });
    await mkdir(outDir, { recursive: true });
    await build({
      absWorkingDir: REPO_ROOT,
      entryPoints: [join(surface, 'main.ts')],
      outfile: join(outDir, 'app.js'),
      bundle: true,
      format: 'iife',
      platform: 'browser',
      target: ['chrome110', 'firefox110', 'safari16', 'edge110'],
      minify: true,
      legalComments: 'eof',
      charset: 'utf8',
      sourcemap: false,
      logLevel: 'warning',
      loader: { '.css': 'css' },
    });
    await copyFile(join(REPO_ROOT, surface, 'index.html'), join(outDir, 'index.html'));
    for (const file of (await readdir(outDir)).sort()) written.push(relative(outRoot, join(outDir, file)));
  }
  return written;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const written = await buildUi();
  for (const file of written) console.log(`built ${file}`);
}
