#!/usr/bin/env node
// The CLI the way bin/pagination-guard.mjs ran it before it ran built JavaScript: the TypeScript sources
// through tsx's loader. Kept for the bench only (`npm run bench:startup`, `PG_BENCH_LAUNCHER=tsx`), to
// measure both launchers side by side.
import { register } from 'tsx/esm/api';
import { fileURLToPath } from 'node:url';

register();
const main = fileURLToPath(new URL('../functions/cli/main.ts', import.meta.url));
const { runCli } = await import(main);
process.exitCode = await runCli(process.argv.slice(2));
