import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { runHostBench } from './hostBench.ts';

const RESULTS = fileURLToPath(new URL('../results-host.json', import.meta.url));

/** `npm run -s bench:host [-- --json] [-- --runs N]`: the Python host's embedded engine against Node, side by side. */
const argv = process.argv.slice(2);
const runsAt = argv.indexOf('--runs');
const runs = runsAt >= 0 ? Number(argv[runsAt + 1]) : 9;
const unknown = argv.filter((a, i) => a !== '--json' && a !== '--runs' && !(runsAt >= 0 && i === runsAt + 1));
if (unknown.length > 0 || !Number.isInteger(runs) || runs < 1) {
  process.stderr.write(`bench:host: takes --json and --runs N (a positive whole number), got ${argv.join(' ')}\n`);
  process.exit(2);
}
const result = await runHostBench({ runs, log: (line) => process.stderr.write(`bench:host: ${line}\n`) });
writeFileSync(RESULTS, JSON.stringify(result, null, 2) + '\n');
if (argv.includes('--json')) process.stdout.write(JSON.stringify(result) + '\n');
else {
  const { detail: d } = result;
  process.stdout.write(
    [
      `page: ${d.pageRecords} ${d.stream} records, ${(d.pageBytes / 2 ** 20).toFixed(2)} MiB`,
      `node ${result.nodeMsPerPage} ms per page, embedded (QuickJS) ${result.embeddedMsPerPage} ms (${d.embeddedOverNode} x), JSON.parse alone ${result.jsonParseMsPerPage} ms`,
      `cold start ${result.coldStartMs} ms (import ${d.functionLoadMs} ms), peak RSS ${result.peakRssMb} MB of ${result.memoryLimitMb} MB (${Math.round(d.peakRssShareOfLimit * 100)} %)`,
    ].join('\n') + '\n',
  );
}
