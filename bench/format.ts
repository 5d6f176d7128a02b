import type { BenchResults, BenchRow, FoundryRow, ScaleFigures } from './BenchResults.ts';

/** calls / optimal, two decimals ("-" without an optimum). */
export function callRatio(row: Pick<BenchRow, 'calls' | 'optimalCalls'>): string {
  return row.optimalCalls > 0 ? (row.calls / row.optimalCalls).toFixed(2) : '-';
}

const COLUMNS = ['client', 'stream', 'profile', 'missing', 'dups', 'calls', 'optimal', 'calls/opt', 'virtual s', 'wall ms', 'CPU ms/1k'] as const;

function cells(row: BenchRow): string[] {
  return [
    row.client,
    row.stream,
    row.profile,
    String(row.missing),
    String(row.duplicates),
    String(row.calls),
    String(row.optimalCalls),
    callRatio(row),
    (row.virtualMs / 1000).toFixed(1),
    String(row.wallMs),
    row.cpuMsPer1k === null ? '-' : row.cpuMsPer1k.toFixed(2),
  ];
}

const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

/** The issue's targets for Pagination Guard, each with what was measured and whether it holds. */
export function targetLines(results: BenchResults): string[] {
  const guard = results.rows.filter((r) => r.client === 'pagination-guard');
  const ratio = (r: BenchRow): number => (r.optimalCalls > 0 ? r.calls / r.optimalCalls : 1);
  const missing = guard.reduce((s, r) => s + r.missing, 0) + results.scale.missing;
  const duplicates = guard.reduce((s, r) => s + r.duplicates, 0) + results.scale.duplicates;
  const clean = guard.filter((r) => r.profile === 'clean');
  const faults = guard.filter((r) => r.profile !== 'clean');
  const over = (rows: BenchRow[], limit: number): BenchRow[] => rows.filter((r) => ratio(r) > limit + 1e-9);
  const cleanOver = over(clean, 1);
  const faultOver = over(faults, 1.1);
  const mark = (ok: boolean): string => (ok ? 'met' : 'MISSED');
  const list = (rows: BenchRow[]): string => (rows.length ? `: ${rows.map((r) => `${r.stream}/${r.profile} ${callRatio(r)}`).join(', ')}` : '');
  const { scale } = results;
  return [
    `missing 0 everywhere: ${mark(missing === 0)} (${missing})`,
    `duplicates 0 everywhere: ${mark(duplicates === 0)} (${duplicates})`,
    `calls/optimal = 1.00 under clean: ${mark(cleanOver.length === 0)} (${clean.length - cleanOver.length} of ${clean.length} streams at 1.00)${list(cleanOver)}`,
    `calls/optimal <= 1.10 under every fault profile: ${mark(faultOver.length === 0)} (${faults.length - faultOver.length} of ${faults.length} exports within)${list(faultOver)}`,
    `peak RSS at 1 M <= 1.2 x peak RSS at 100 k: ${mark(scale.rssRatio <= 1.2)} (${mb(scale.rss1m)} / ${mb(scale.rss100k)} = ${scale.rssRatio.toFixed(2)})`,
    ...foundryTargets(results.foundry),
  ];
}

/** Issue #11's targets: under chaos, 1/10 of the response sink's function calls, nothing missing or twice; ttl-vs-backoff complete in one execution. */
function foundryTargets(rows: readonly FoundryRow[]): string[] {
  const find = (sink: FoundryRow['sink'], profile: string): FoundryRow | undefined => rows.find((r) => r.sink === sink && r.profile === profile);
  const logscale = find('logscale', 'chaos');
  const response = find('response', 'chaos');
  const ttl = find('logscale', 'ttl-vs-backoff');
  if (logscale === undefined || response === undefined || ttl === undefined) return [];
  const mark = (ok: boolean): string => (ok ? 'met' : 'MISSED');
  const ratio = response.functionCalls > 0 ? logscale.functionCalls / response.functionCalls : 1;
  const clean = rows.filter((r) => r.sink === 'logscale');
  const lost = clean.reduce((n, r) => n + r.missing + r.duplicatesInRepo, 0);
  return [
    `LogScale sink, chaos: at most 1/10 of the response sink's function calls: ${mark(ratio <= 0.1)} (${logscale.functionCalls} / ${response.functionCalls} = ${ratio.toFixed(3)})`,
    `LogScale sink: 0 missing and 0 duplicates after deduplication under every profile: ${mark(lost === 0 && clean.every((r) => r.complete))} (${lost})`,
    `LogScale sink, ttl-vs-backoff: complete in one workflow execution: ${mark(ttl.complete)} (${ttl.functionCalls} function calls)`,
  ];
}

const FOUNDRY_COLUMNS = ['sink', 'profile', 'function calls', 'API calls', 'ingest calls', 'virtual s', 'missing', 'dups in repo', 'redelivered', 'largest response', 'complete'] as const;

function foundryCells(row: FoundryRow): string[] {
  return [
    row.sink,
    row.profile,
    String(row.functionCalls),
    String(row.apiCalls),
    String(row.ingestCalls),
    (row.virtualMs / 1000).toFixed(1),
    String(row.missing),
    String(row.duplicatesInRepo),
    String(row.redeliveredEvents),
    `${(row.largestResponseBytes / 1024).toFixed(1)} KB`,
    row.complete ? 'yes' : 'no',
  ];
}

function scaleLines(scale: ScaleFigures): string[][] {
  return [
    ['stream', scale.stream],
    ['records exported (100 k / 1 M run)', `${scale.records100k} / ${scale.records1m}`],
    ['missing / duplicates (both runs)', `${scale.missing} / ${scale.duplicates}`],
    ['peak RSS of the CLI, 100 k', mb(scale.rss100k)],
    ['peak RSS of the CLI, 1 M', mb(scale.rss1m)],
    ['ratio 1 M / 100 k', scale.rssRatio.toFixed(2)],
    ['CLI wall time, 1 M', `${(scale.wallMs1m / 1000).toFixed(1)} s (${scale.calls1m} API calls)`],
    ['CLI records per second, 1 M', String(scale.recordsPerSec)],
    ['sandbox time serving the same pages (inside handle)', `${(scale.sandboxMs1m / 1000).toFixed(1)} s = ${scale.sandboxRecordsPerSec} records/s`],
  ];
}

const NOTES = [
  'Each row is one export from a fresh sandbox with seed 7 and the default dataset sizes; the three clients of a stream and profile see the same data and the same fault schedule.',
  'optimal is `optimalCalls(spec, total at start)` of the engine for every client; calls exclude token requests.',
  'virtual s: completion time on the sandbox virtual clock for Pagination Guard and the naive loop (in-process); the falconjs SDK runs over loopback against a sandbox server on the real clock, so its virtual time is its wall time.',
  'wall ms excludes the sandbox ground-truth bookkeeping; CPU ms/1k is the client process CPU time minus the time spent inside the in-process sandbox (the SDK server runs in another process), per 1 000 exported records.',
  'falconjs reaches the sandbox through its `fetchApi` option (it has no base URL option); its IOC sort type has no direction, so the IOC loop sends no sort.',
  'Scale: the CLI (`bin/pagination-guard.mjs export`, which runs the built `dist/cli.mjs`, with the Node flags of the bin\'s shebang) in its own process against a sandbox server in another; peak RSS is `process.resourceUsage().maxRSS` of the CLI process.',
  'Foundry: `workflows/export-stream.yml` for 25 000 alerts through the local Fusion runner and the Python function (QuickJS) on the FDK HTTP runner, against a loopback sandbox on a virtual clock, once per sink and profile with seed 7. With `sink: logscale` each page run ingests its pages into the app repository (the sandbox keeps the events); missing and dups are read after the saved search\'s deduplication by event id; redelivered counts the copies a retried ingest left before it.',
];

/** The Markdown report: targets, the matrix table, the scale table, and how to read them. */
export function markdownReport(results: BenchResults): string {
  const header = `| ${COLUMNS.join(' | ')} |`;
  const rule = `|${COLUMNS.map((_, i) => (i < 3 ? '---' : '---:')).join('|')}|`;
  const rows = results.rows.map((r) => `| ${cells(r).join(' | ')} |`);
  return [
    '**Targets (Pagination Guard)**',
    '',
    ...targetLines(results).map((l) => `- ${l}`),
    '',
    header,
    rule,
    ...rows,
    '',
    '| scale | |',
    '|---|---:|',
    ...scaleLines(results.scale).map(([k, v]) => `| ${k} | ${v} |`),
    '',
    `| ${FOUNDRY_COLUMNS.join(' | ')} |`,
    `|${FOUNDRY_COLUMNS.map((_, i) => (i < 2 ? '---' : '---:')).join('|')}|`,
    ...results.foundry.map((r) => `| ${foundryCells(r).join(' | ')} |`),
    '',
    ...NOTES.map((n) => `- ${n}`),
    '',
  ].join('\n');
}

/** The same figures as aligned plain text, for the terminal. */
export function textReport(results: BenchResults): string {
  const table = [[...COLUMNS], ...results.rows.map(cells)];
  const widths = COLUMNS.map((_, i) => Math.max(...table.map((r) => (r[i] ?? '').length)));
  const lines = table.map((r) => r.map((c, i) => (i < 3 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  '));
  const scale = scaleLines(results.scale);
  const keyWidth = Math.max(...scale.map(([k]) => (k ?? '').length));
  const foundry = [[...FOUNDRY_COLUMNS], ...results.foundry.map(foundryCells)];
  const foundryWidths = FOUNDRY_COLUMNS.map((_, i) => Math.max(...foundry.map((r) => (r[i] ?? '').length)));
  return [
    ...lines,
    '',
    ...scale.map(([k, v]) => `${(k ?? '').padEnd(keyWidth)}  ${v}`),
    '',
    ...foundry.map((r) => r.map((c, i) => (i < 2 ? c.padEnd(foundryWidths[i] ?? 0) : c.padStart(foundryWidths[i] ?? 0))).join('  ')),
    '',
    'Targets (Pagination Guard):',
    ...targetLines(results).map((l) => `  ${l}`),
    '',
  ].join('\n');
}
