#!/usr/bin/env node
// Runs the real CLI (bin/pagination-guard.mjs, the built dist/cli.mjs, unchanged, same argv) and then reports
// this process's peak resident set size on fd 3 as JSON, so the bench can read it without parsing the CLI's
// own output. PG_BENCH_LAUNCHER=tsx runs the TypeScript sources through tsx instead (bench/tsxCli.mjs), as the
// bin did before, for comparison.
import { writeSync } from 'node:fs';

await import(process.env.PG_BENCH_LAUNCHER === 'tsx' ? './tsxCli.mjs' : '../bin/pagination-guard.mjs');
const { maxRSS } = process.resourceUsage();
writeSync(3, JSON.stringify({ maxRssBytes: maxRSS * 1024 }) + '\n');
