#!/usr/bin/env node
// Runs the real CLI (bin/pagination-guard.mjs, unchanged, same argv) and then reports this process's peak
// resident set size on fd 3 as JSON, so the bench can read it without parsing the CLI's own output.
import { writeSync } from 'node:fs';

await import('../bin/pagination-guard.mjs');
const { maxRSS } = process.resourceUsage();
writeSync(3, JSON.stringify({ maxRssBytes: maxRSS * 1024 }) + '\n');
