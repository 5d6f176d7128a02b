#!/usr/bin/env node
// The CLI is TypeScript run through tsx so that the engine, the catalog and the sandbox stay one source.
import { register } from 'tsx/esm/api';
import { fileURLToPath } from 'node:url';

register();
const main = fileURLToPath(new URL('../functions/cli/main.ts', import.meta.url));
const { runCli } = await import(main);
process.exitCode = await runCli(process.argv.slice(2));
