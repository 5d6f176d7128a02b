import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SANDBOX_EPOCH_MS } from '../../sandbox/inProcessSandbox.ts';
import { PythonFunction } from '../../functions/host/PythonFunction.ts';
import { VirtualClock } from '../../functions/host/VirtualClock.ts';
import type { EngineEvent } from '../../functions/engine/EngineEvent.ts';
import type { RunInput } from '../../functions/engine/RunInput.ts';
import { step } from '../../functions/engine/step.ts';
import { STREAMS } from '../../functions/falcon/streams.ts';
import { FalconSandbox } from '../../sandbox/FalconSandbox.ts';
import { startSandboxServer } from '../../sandbox/server.ts';
import { loadManifest } from '../../fusion/loadApp.ts';
import { venvPython } from '../../scripts/pythonEnv.ts';

export interface HostBenchResult {
  nodeMsPerPage: number;
  embeddedMsPerPage: number;
  jsonParseMsPerPage: number;
  coldStartMs: number;
  peakRssMb: number;
  memoryLimitMb: number;
  /** What the figures above were measured on, and how they split. */
  detail: {
    stream: string;
    pageRecords: number;
    pageBytes: number;
    embeddedOverNode: number;
    /** The embedded step as Python sees it: the page crossing into QuickJS included. */
    embeddedCallMsPerPage: number;
    /** Importing main.py: the FDK, QuickJS and the evaluated bundle. */
    functionLoadMs: number;
    /** Peak RSS of the probe that processed the largest page, and of the FDK process after a whole export. */
    probePeakRssMb: number;
    functionPeakRssMb: number;
    exportInvocations: number;
    peakRssShareOfLimit: number;
    /** The function folder plus its requirements as Foundry's runtime installs them (wheels only), per CPU; null when PyPI could not be reached. */
    packageMb: Record<'x86_64' | 'aarch64', number | null>;
  };
}

const ROOT = join(import.meta.dirname, '..', '..');
const PROBE = join(import.meta.dirname, 'embedded_page.py');
/** Spotlight's combined route serves the largest list page of the catalog: 5000 full records in one answer. */
const STREAM = 'vulnerabilities' as const;

/** Node against the Python host's QuickJS on the same page, the function's cold start, and its peak memory. */
export async function runHostBench(options: { runs: number; log?: (line: string) => void }): Promise<HostBenchResult> {
  const log = options.log ?? (() => {});
  const python = venvPython();
  if (python === null) throw new Error('No .venv: run `npm run setup:python` first');
  const spec = STREAMS[STREAM];
  const { input, event, body } = largestPage(spec.maxLimit);
  const records = (JSON.parse(body) as { resources: unknown[] }).resources.length;
  log(`page: ${records} ${STREAM} records, ${(body.length / 2 ** 20).toFixed(2)} MiB`);

  const nodeMs = median(
    Array.from({ length: options.runs }, () => {
      const first = step(null, { kind: 'start', nowMs: event.nowMs - 500, input });
      const started = performance.now();
      const out = step(first.state, { ...event, body });
      const ms = performance.now() - started;
      if (out.command.kind !== 'emit') throw new Error(`the page step answered ${out.command.kind}, not emit`);
      return ms;
    }),
  );
  log(`node: ${nodeMs.toFixed(1)} ms per page`);

  const dir = mkdtempSync(join(tmpdir(), 'pg-host-bench-'));
  let probe: { loadMs: number; stepMs: number; callMs: number; jsonParseMs: number; items: number; peakRssMb: number };
  try {
    const bodyFile = join(dir, 'page.json');
    writeFileSync(bodyFile, body);
    const { body: _omitted, ...eventWithoutBody } = event;
    const out = execFileSync(python, [PROBE], { input: JSON.stringify({ input, event: eventWithoutBody, bodyFile, runs: options.runs }), encoding: 'utf8', maxBuffer: 1 << 20 });
    probe = JSON.parse(out) as typeof probe;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  if (probe.items !== records) throw new Error(`the embedded engine emitted ${probe.items} of ${records} records`);
  log(`embedded: ${probe.stepMs} ms per page inside QuickJS, ${probe.callMs.toFixed(1)} ms as Python sees it, JSON.parse alone ${probe.jsonParseMs} ms`);

  const cold = median(await Promise.all([0, 1, 2].map(() => coldStart())));
  log(`cold start: ${cold.toFixed(0)} ms`);
  const exported = await functionExportRss();
  log(`function process after ${exported.invocations} page runs: peak RSS ${exported.peakRssMb.toFixed(1)} MB`);

  const packageMb = { x86_64: packageSize(python, 'x86_64'), aarch64: packageSize(python, 'aarch64') };
  log(`package with requirements: ${packageMb.x86_64} MB (x86_64), ${packageMb.aarch64} MB (aarch64)`);

  const manifest = loadManifest(ROOT);
  if (!manifest.ok) throw new Error(manifest.message);
  const memoryLimitMb = manifest.value.functions.find((f) => f.name === 'page-run')?.max_exec_memory_mb ?? 0;
  const peakRssMb = Math.max(probe.peakRssMb, exported.peakRssMb);
  return {
    nodeMsPerPage: round(nodeMs),
    embeddedMsPerPage: probe.stepMs,
    jsonParseMsPerPage: probe.jsonParseMs,
    coldStartMs: round(cold),
    peakRssMb: round(peakRssMb),
    memoryLimitMb,
    detail: {
      stream: STREAM,
      pageRecords: records,
      pageBytes: body.length,
      embeddedOverNode: round(probe.stepMs / nodeMs),
      embeddedCallMsPerPage: round(probe.callMs),
      functionLoadMs: round(probe.loadMs),
      probePeakRssMb: round(probe.peakRssMb),
      functionPeakRssMb: round(exported.peakRssMb),
      exportInvocations: exported.invocations,
      peakRssShareOfLimit: round(peakRssMb / memoryLimitMb),
      packageMb,
    },
  };
}

/** The engine's first request for a run with no byte budget, and the sandbox's answer to it. */
function largestPage(limit: number): { input: RunInput; event: Extract<EngineEvent, { kind: 'http-response' }>; body: string } {
  const clock = new VirtualClock(SANDBOX_EPOCH_MS);
  // About four in five generated vulnerabilities are open: three times the limit fills a whole page.
  const sandbox = new FalconSandbox({ seed: 7, profile: 'clean', sizes: { vulnerabilities: limit * 3 }, clock });
  const input: RunInput = {
    stream: STREAM,
    filter: "status:'open'",
    runId: 'host-bench',
    apiBaseUrl: 'http://sandbox.test',
    checkpointKeys: { current: 'host-bench-key-host-bench-key-host-bench-key' },
    options: { pageLimit: limit, seed: 1 },
  };
  const first = step(null, { kind: 'start', nowMs: clock.nowMs(), input });
  if (first.command.kind !== 'http') throw new Error(`the first command is ${first.command.kind}`);
  const token = sandbox.handle({ method: 'POST', url: 'http://sandbox.test/oauth2/token', headers: {}, body: `client_id=${sandbox.credentials.clientId}&client_secret=${sandbox.credentials.clientSecret}` });
  if (token.kind !== 'http') throw new Error('no token');
  const bearer = (JSON.parse(token.body) as { access_token: string }).access_token;
  const request = first.command.request;
  const answer = sandbox.handle({ method: request.method, url: `http://sandbox.test${request.path}`, headers: { ...request.headers, Authorization: `Bearer ${bearer}` } });
  if (answer.kind !== 'http' || answer.status !== 200) throw new Error('the sandbox did not serve the page');
  return { input, event: { kind: 'http-response', nowMs: clock.nowMs() + answer.latencyMs, status: 200, headers: answer.headers, body: answer.body }, body: answer.body };
}

/** Spawn to first answer: Python, the FDK, QuickJS and the bundle, then one request that the machine refuses. */
async function coldStart(): Promise<number> {
  const started = performance.now();
  const fn = await PythonFunction.start({ env: { PG_API_BASE_URL: 'http://127.0.0.1:9' } });
  try {
    const answer = await fn.invoke({ method: 'POST', url: '/page-run', body: { stream: 'none' } });
    if (answer.code !== 400) throw new Error(`cold-start request answered ${answer.code}`);
    return performance.now() - started;
  } finally {
    await fn.close();
  }
}

/** A whole vulnerabilities export through the FDK process (full records, 80 KB runs); its VmHWM at the end. */
async function functionExportRss(): Promise<{ peakRssMb: number; invocations: number }> {
  const clock = new VirtualClock(SANDBOX_EPOCH_MS);
  const sandbox = new FalconSandbox({ seed: 7, profile: 'clean', sizes: { vulnerabilities: 6000 }, clock });
  const server = await startSandboxServer({ sandbox, clock });
  const fn = await PythonFunction.start({ env: { PG_API_BASE_URL: server.baseUrl, PG_SANDBOX_CLOCK: '1', APP_ID: 'bench' } });
  try {
    const token = sandbox.handle({ method: 'POST', url: `${server.baseUrl}/oauth2/token`, headers: {}, body: `client_id=${sandbox.credentials.clientId}&client_secret=${sandbox.credentials.clientSecret}` });
    if (token.kind !== 'http') throw new Error('no token');
    const bearer = (JSON.parse(token.body) as { access_token: string }).access_token;
    let checkpoint = '';
    let invocations = 0;
    for (; invocations < 500; ) {
      invocations++;
      const answer = await fn.invoke({ method: 'POST', url: '/page-run', body: { stream: STREAM, filter: "status:'open'", max_response_bytes: 100_000, ...(checkpoint ? { checkpoint } : {}) }, access_token: bearer });
      if (answer.code !== 200) throw new Error(`page run answered ${answer.code}: ${JSON.stringify(answer.errors)}`);
      checkpoint = String(answer.body['checkpoint']);
      if (answer.body['has_more'] !== 'true') break;
    }
    const status = readFileSync(`/proc/${fn.pid}/status`, 'utf8');
    const hwm = /VmHWM:\s+(\d+)\s+kB/.exec(status);
    return { peakRssMb: hwm ? Number(hwm[1]) / 1024 : Number.NaN, invocations };
  } finally {
    await fn.close();
    await server.close();
  }
}

/**
 * Installs the requirements as Foundry's CPython 3.13 on manylinux_2_28 would (binary wheels only, so a
 * package that needs compiling fails here), and adds the function folder: the size `foundry apps deploy` ships.
 */
function packageSize(python: string, cpu: 'x86_64' | 'aarch64'): number | null {
  const target = mkdtempSync(join(tmpdir(), `pg-package-${cpu}-`));
  try {
    execFileSync(python, ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', '--target', target, '--only-binary=:all:', '--implementation', 'cp', '--python-version', '3.13', '--platform', `manylinux_2_28_${cpu}`, '-r', join(ROOT, 'functions/page-run/requirements.txt')], { stdio: ['ignore', 'ignore', 'pipe'] });
    const bytes = (dir: string): number => Number(execFileSync('du', ['-sb', dir], { encoding: 'utf8' }).split('\t')[0]);
    return round((bytes(target) + bytes(join(ROOT, 'functions/page-run'))) / 2 ** 20);
  } catch {
    return null;
  } finally {
    rmSync(target, { recursive: true, force: true });
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}
