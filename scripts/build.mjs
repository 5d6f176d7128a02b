// Bundles the sans-I/O engine into one script with no imports, for hosts that embed a JavaScript
// engine (the Go Foundry function runs it in goja). ES2017 keeps the output inside what goja runs.
import { build } from 'esbuild';
import { mkdirSync } from 'node:fs';

mkdirSync('dist', { recursive: true });
await build({
  entryPoints: ['functions/engine/index.ts'],
  bundle: true,
  format: 'iife',
  globalName: 'PaginationGuardEngine',
  target: 'es2017',
  platform: 'neutral',
  outfile: 'dist/engine.js',
  legalComments: 'none',
  logLevel: 'info',
});
