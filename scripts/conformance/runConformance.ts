import { SANDBOX_EPOCH_MS } from '../../sandbox/inProcessSandbox.ts';
import { foundryToken, invokeFunction } from '../../functions/host/invokeFunction.ts';
import { PythonFunction } from '../../functions/host/PythonFunction.ts';
import { undiciTransport } from '../../functions/host/undiciTransport.ts';
import { skewedClock, VirtualClock } from '../../functions/host/VirtualClock.ts';
import type { HealthRecord } from '../../functions/engine/HealthRecord.ts';
import { STREAMS, type StreamName } from '../../functions/falcon/streams.ts';
import type { FunctionResponse } from '../../functions/handlers/FunctionResponse.ts';
import { DATASET_OF_STREAM, type DatasetName } from '../../sandbox/datasets/DatasetName.ts';
import { FalconSandbox, type SandboxRequest } from '../../sandbox/FalconSandbox.ts';
import type { ProfileName } from '../../sandbox/profiles.ts';
import { startSandboxServer, type SandboxServer } from '../../sandbox/server.ts';
import { KEYS_COLLECTION, newSigningKeys, SIGNING_KEYS_OBJECT } from '../../functions/storage/SigningKeys.ts';

export type HostName = 'node' | 'python';

export interface ConformanceOptions {
  streams: readonly StreamName[];
  profiles: readonly ProfileName[];
  /** Records per dataset. */
  size: number;
  seed: number;
  /** Page runs per export at most (an export that needs more is compared as far as it got). */
  maxInvocations: number;
  onScenario?(scenario: ScenarioOutcome): void;
}

/** What one page-run invocation produced, as the comparison sees it. */
export interface InvocationRecord {
  code: number;
  ids: string[];
  checkpoint: string;
  hasMore: string;
  verdict: string;
  errorCode: string;
  /** Every counter of the run's health, and the kinds of its timeline events in order. */
  counters: Record<string, number | null>;
  events: string[];
}

export interface HostRun {
  invocations: InvocationRecord[];
  /** Method, path, query and body of every request the sandbox served (token requests included). */
  apiCalls: string[];
  wallMs: number;
}

export interface Difference {
  stream: StreamName;
  profile: ProfileName;
  what: string;
  node: unknown;
  python: unknown;
}

export interface ScenarioOutcome {
  stream: StreamName;
  profile: ProfileName;
  invocations: number;
  apiCalls: number;
  lastVerdict: string;
  identical: boolean;
  nodeWallMs: number;
  pythonWallMs: number;
}

export interface ConformanceReport {
  identical: boolean;
  scenarios: number;
  differences: Difference[];
  outcomes: ScenarioOutcome[];
}

const APP_ID = 'pagination-guard-conformance';
const CONFORMANCE_KEY = 'c0f0'.repeat(16);
/** A filter Spotlight requires; the others export everything. */
const FILTERS: Partial<Record<StreamName, string>> = { vulnerabilities: "status:'open'" };
/** Consecutive failed runs after which an export is given up (each failed run still resumes from its checkpoint). */
const MAX_FAILURES_IN_A_ROW = 3;

/**
 * Runs every stream under every profile as a sequence of page-run invocations through the Node host and
 * through the Python host (the FDK's HTTP runner, QuickJS, urllib3 over loopback), each against a fresh
 * sandbox of the same seed on a virtual clock, and compares what they did.
 */
export async function runConformance(options: ConformanceOptions): Promise<ConformanceReport> {
  const clock = new VirtualClock(SANDBOX_EPOCH_MS);
  const server = await startSandboxServer({ sandbox: new FalconSandbox({ clock }), clock });
  const python = await PythonFunction.start({ env: { PG_API_BASE_URL: server.baseUrl, PG_SANDBOX_CLOCK: '1', APP_ID } });
  const node = undiciTransport();
  const report: ConformanceReport = { identical: true, scenarios: 0, differences: [], outcomes: [] };
  try {
    for (const stream of options.streams) {
      for (const profile of options.profiles) {
        const runs = {} as Record<HostName, HostRun>;
        for (const host of ['node', 'python'] as const) {
          runs[host] = await exportThrough(host, stream, profile, options, server, { python, node: node.transport });
        }
        const differences = compare(stream, profile, runs.node, runs.python);
        report.scenarios++;
        report.differences.push(...differences);
        const outcome: ScenarioOutcome = {
          stream,
          profile,
          invocations: runs.python.invocations.length,
          apiCalls: runs.python.apiCalls.length,
          lastVerdict: runs.python.invocations.at(-1)?.verdict ?? '',
          identical: differences.length === 0,
          nodeWallMs: runs.node.wallMs,
          pythonWallMs: runs.python.wallMs,
        };
        report.outcomes.push(outcome);
        options.onScenario?.(outcome);
      }
    }
  } finally {
    await python.close();
    await node.close();
    await server.close();
  }
  report.identical = report.differences.length === 0;
  return report;
}

async function exportThrough(
  host: HostName,
  stream: StreamName,
  profile: ProfileName,
  options: ConformanceOptions,
  server: SandboxServer,
  hosts: { python: PythonFunction; node: ReturnType<typeof undiciTransport>['transport'] },
): Promise<HostRun> {
  const clock = new VirtualClock(SANDBOX_EPOCH_MS);
  const sizes = { [DATASET_OF_STREAM[stream]]: options.size } as Partial<Record<DatasetName, number>>;
  const sandbox = new FalconSandbox({ seed: options.seed, profile, sizes, clock });
  const apiCalls: string[] = [];
  const handle = sandbox.handle.bind(sandbox);
  sandbox.handle = (request: SandboxRequest) => {
    const url = new URL(request.url);
    apiCalls.push(`${request.method} ${url.pathname}${url.search} ${request.body ?? ''}`);
    return handle(request);
  };
  // One install's signing key, provisioned before the first run, so both hosts sign alike (a real
  // install draws it from the host's random bits on first use).
  sandbox.storage.put(KEYS_COLLECTION, SIGNING_KEYS_OBJECT, newSigningKeys(CONFORMANCE_KEY, clock.nowMs(), null), clock.nowMs());
  server.replace(sandbox, clock);
  const clientClock = skewedClock(clock, sandbox.knobs.clientClockSkewMs);
  const spec = STREAMS[stream];
  const invocations: InvocationRecord[] = [];
  let checkpoint = '';
  let failures = 0;
  const started = Date.now();
  // The ingest profiles fault Foundry's LogScale ingest: only the LogScale sink calls it.
  const sink = profile.startsWith('ingest-') ? 'logscale' : 'response';
  for (let n = 1; n <= options.maxInvocations; n++) {
    const token = platformToken(sandbox, server.baseUrl, clock);
    const envelope = {
      method: 'POST',
      url: '/page-run',
      // A small projection keeps hundreds of records per run, so caps and restarts happen within a few runs.
      body: { stream, filter: FILTERS[stream] ?? '', fields: [spec.watermarkField], sink, ...(checkpoint === '' ? {} : { checkpoint }) },
      params: { header: { 'X-Cs-Executionid': [`conformance-${n}`] }, query: {} },
    };
    const response: FunctionResponse =
      host === 'python'
        ? await hosts.python.invoke({ ...envelope, access_token: token })
        : await invokeFunction(envelope, { transport: hosts.node, clock: clientClock, sleep: clock.sleep, auth: foundryToken(token, server.baseUrl), appId: APP_ID });
    // The machine was handed random bits by each host; with the key provisioned above it used none of them.
    const record = recordOf(response, spec.idField);
    if (sink === 'logscale') {
      // The records of a LogScale run are the events it stored (retried copies included), in the order stored.
      record.ids = sandbox.logscale.events(APP_ID).filter((e) => e.event['pg_run'] === response.body['run_id']).map((e) => String((e.event['record'] as Record<string, unknown>)[spec.idField]));
    }
    invocations.push(record);
    if (record.checkpoint !== '') checkpoint = record.checkpoint;
    failures = record.verdict.startsWith('failed') || record.code !== 200 ? failures + 1 : 0;
    if (record.hasMore !== 'true' && record.verdict === 'complete') break;
    if (failures >= MAX_FAILURES_IN_A_ROW || record.code !== 200) break;
  }
  return { invocations, apiCalls, wallMs: Date.now() - started };
}

/** The token Foundry hands each invocation: freshly minted (the function cannot refresh it); a refusal is waited out. */
function platformToken(sandbox: FalconSandbox, baseUrl: string, clock: VirtualClock): string {
  for (let attempt = 0; attempt < 30; attempt++) {
    const answer = sandbox.handle({
      method: 'POST',
      url: `${baseUrl}/oauth2/token`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `client_id=${sandbox.credentials.clientId}&client_secret=${sandbox.credentials.clientSecret}`,
      clientKey: 'foundry-platform',
    });
    clock.advance(answer.latencyMs);
    if (answer.kind === 'http' && answer.status === 201) return (JSON.parse(answer.body) as { access_token: string }).access_token;
    clock.advance(1000);
  }
  throw new Error('the sandbox issued no token for the function in 30 attempts');
}

function recordOf(response: FunctionResponse, idField: string): InvocationRecord {
  const body = response.body;
  const health = body['health'] as HealthRecord | undefined;
  const counters: Record<string, number | null> = {};
  if (health !== undefined) {
    for (const [key, value] of Object.entries(health)) if (typeof value === 'number' || value === null) counters[key] = value;
  }
  return {
    code: response.code,
    ids: Array.isArray(body['items']) ? (body['items'] as Array<Record<string, unknown>>).map((item) => String(item[idField])) : [],
    checkpoint: typeof body['checkpoint'] === 'string' ? body['checkpoint'] : '',
    hasMore: String(body['has_more'] ?? ''),
    verdict: String(body['verdict'] ?? `http ${response.code}`),
    errorCode: String(body['error_code'] ?? ''),
    counters,
    events: (health?.timeline ?? []).map((e) => e.kind),
  };
}

function compare(stream: StreamName, profile: ProfileName, node: HostRun, python: HostRun): Difference[] {
  const differences: Difference[] = [];
  const differ = (what: string, a: unknown, b: unknown): void => {
    if (JSON.stringify(a) !== JSON.stringify(b)) differences.push({ stream, profile, what, node: a, python: b });
  };
  differ('invocations', node.invocations.length, python.invocations.length);
  const shared = Math.min(node.invocations.length, python.invocations.length);
  for (let i = 0; i < shared && differences.length < 5; i++) {
    const a = node.invocations[i] as InvocationRecord;
    const b = python.invocations[i] as InvocationRecord;
    for (const key of ['code', 'verdict', 'hasMore', 'errorCode', 'checkpoint', 'ids', 'counters', 'events'] as const) differ(`invocation ${i + 1} ${key}`, a[key], b[key]);
  }
  const firstCall = node.apiCalls.findIndex((call, i) => call !== python.apiCalls[i]);
  if (firstCall >= 0 || node.apiCalls.length !== python.apiCalls.length) {
    const at = firstCall >= 0 ? firstCall : Math.min(node.apiCalls.length, python.apiCalls.length);
    differ(`API call ${at + 1} (of ${node.apiCalls.length} / ${python.apiCalls.length})`, node.apiCalls[at] ?? null, python.apiCalls[at] ?? null);
  }
  return differences;
}
