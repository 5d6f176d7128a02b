#!/usr/bin/env node
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
