#!/usr/bin/env -S node --max-old-space-size=1024 --max-semi-space-size=4
// Heap flags (measured in bench/results.json's scale run): a streaming export keeps about 10-20 MB alive, but
// V8 on a large machine lets the old generation grow to about 60 MB and the young one to 32 MB before it
// collects. A declared old-space ceiling makes V8 size its collection targets to it, and a 4 MB semi-space
// keeps the young generation small: 1 M records peak at 108-117 MB instead of 160 MB, at the same speed.
// 1024 MB still holds the largest page the catalog allows (10 000 full device records) many times over.
// They apply when the bin runs as a program (npx, ./bin/pagination-guard.mjs); `node bin/...` runs without them.
// The CLI runs as the JavaScript that `npm run build` writes to dist/ (npm install builds it too): no
// TypeScript loader at run time, and the sandbox and the Fusion runner load only for the commands that use them.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const cli = new URL('../dist/cli.mjs', import.meta.url);
if (!existsSync(fileURLToPath(cli))) {
  const root = fileURLToPath(new URL('..', import.meta.url));
  process.stderr.write(`pagination-guard: the CLI is not built: ${fileURLToPath(cli)} is missing. Run \`npm run build\` (or \`npm run build:cli\`) in ${root} first.\n`);
  process.exit(1);
}
const { runCli } = await import(cli.href);
process.exitCode = await runCli(process.argv.slice(2));
