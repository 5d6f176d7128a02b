import { inProcessSandbox, type InProcessSandbox } from '../sandbox/inProcessSandbox.ts';
import { PythonFunction } from '../functions/host/PythonFunction.ts';
import { checkUserFilter } from '../functions/engine/fql.ts';
import type { HealthRecord } from '../functions/engine/HealthRecord.ts';
import { isStreamName, STREAMS, type StreamName } from '../functions/falcon/streams.ts';
import { functionActions, loadManifest, loadWorkflow } from './loadApp.ts';
import type { FalconSandbox } from '../sandbox/FalconSandbox.ts';
import { startSandboxServer } from '../sandbox/server.ts';
import type { DatasetName } from '../sandbox/datasets/DatasetName.ts';
import type { FaultKnobs, ProfileName } from '../sandbox/profiles.ts';
import { FusionRunner, type ExecutionResult, type StepTrace } from './FusionRunner.ts';
import { triggerOf } from './WorkflowDefinition.ts';

export interface WorkflowRunOptions {
  /** Repository root (manifest.yml, functions/, collections/). */
  root: string;
  workflowPath: string;
  inputs: Record<string, string>;
  profile: ProfileName;
  seed?: number;
  sizes?: Partial<Record<DatasetName, number>>;
  knobs?: Partial<FaultKnobs>;
  /** Scheduled workflows: run this many executions at most, one schedule tick apart, until one ends complete. */
  maxExecutions?: number;
  /** Time between two scheduled executions. @default one hour */
  scheduleIntervalMs?: number;
  /** Scheduled workflows: stop at the first execution that ends complete. false runs all maxExecutions (incremental exports). @default true */
  untilComplete?: boolean;
}

export interface ExecutionSummary {
  executionId: string;
  status: ExecutionResult['status'];
  iterations: number;
  cappedLoops: string[];
  pageRuns: number;
  lastHasMore: string;
  lastVerdict: string;
  steps: StepTrace[];
}

export interface WorkflowRunReport {
  workflow: string;
  stream: StreamName;
  filter: string;
  profile: ProfileName;
  verdict: 'complete' | 'incomplete';
  /** Why the verdict is incomplete; empty when complete. */
  reasons: string[];
  executions: ExecutionSummary[];
  iterations: number;
  expected: number;
  delivered: number;
  missing: number;
  duplicates: number;
  missingIds: string[];
  health: HealthRecord[];
  /** For workflows that deliver `enriched` entries: how many delivered indicators got one. */
  enrichment: { indicators: number; enriched: number; unenriched: string[]; twice: number } | null;
  /** Every `custom_json` the workflow delivered to the app log repo. */
  logged: Array<Record<string, unknown>>;
  /**
   * What the page runs stored in the app's LogScale repository (sink "logscale"): the export sessions,
   * every event stored (retried calls' copies included), the records the saved search returns (one per
   * event id and session), and the difference (copies the deduplication removes).
   */
  logscale: { sessions: string[]; storedEvents: number; records: number; redelivered: number };
  /** Function invocations of every execution (page runs, checkpoint saves, enrichment). */
  functionCalls: number;
  /** The largest page-run response body (JSON bytes): Foundry drops one over 120 KB. */
  largestPageRunResponseBytes: number;
  /** Virtual time the workflow took, from the first execution's start to the last one's end. */
  virtualMs: number;
  steps: StepTrace[];
  /** The sandbox the workflow ran against, with its collections. */
  sandbox: FalconSandbox;
}

const ONE_HOUR_MS = 3_600_000;
/** The app id a local run sends as X-CS-APP-ID (Foundry sets it in the cloud). */
export const LOCAL_APP_ID = 'pagination-guard-local';

/**
 * Runs a workflow file end to end with the local Fusion runner: function actions go to the page-run
 * Python function on the official FDK's HTTP runner, with the envelope Foundry sends, and the function
 * calls a loopback sandbox server on a virtual clock that it reads and sleeps on. Ground truth (what the
 * stream held at the start and still held at the end) comes from the sandbox, and the delivered records
 * are what the workflow wrote to the app log repo.
 */
export async function runWorkflow(options: WorkflowRunOptions): Promise<WorkflowRunReport> {
  const manifest = loadManifest(options.root);
  if (!manifest.ok) throw new WorkflowRunError('MANIFEST_INVALID', manifest.message);
  const workflow = loadWorkflow(options.workflowPath);
  if (!workflow.ok) throw new WorkflowRunError('WORKFLOW_INVALID', workflow.message);
  const { actions, broken } = functionActions(options.root, manifest.value);
  const trigger = triggerOf(workflow.value);
  if (trigger.kind === 'schedule' && Object.keys(options.inputs).length > 0) {
    throw new WorkflowRunError('INPUT_INVALID', `${options.workflowPath} runs on a schedule and takes no inputs; change its Configure step instead of passing --input`);
  }
  const inputs = trigger.kind === 'on-demand' ? applyInputSchema(trigger.inputSchema, options.inputs, options.workflowPath) : {};
  if (typeof inputs['filter'] === 'string') {
    // The function would refuse it with a 400; the ground truth the runner computes from it must not crash first.
    const problem = checkUserFilter(inputs['filter'].trim());
    if (problem !== null) throw new WorkflowRunError('INPUT_INVALID', `input filter ${problem.message} (at character ${problem.position}); fix the FQL`);
  }

  const seed = options.seed ?? 1;
  const sandbox = inProcessSandbox({ seed, profile: options.profile, ...(options.sizes ? { sizes: options.sizes } : {}), ...(options.knobs ? { knobs: options.knobs } : {}) });
  const startedAtMs = sandbox.clock.nowMs();
  const server = await startSandboxServer({ sandbox: sandbox.sandbox, clock: sandbox.clock });
  const executions: ExecutionResult[] = [];
  // Ground truth starts when the first page run starts: what matched then and still matches at the end.
  let snapshot: { stream: StreamName; filter: string; startIds: Set<string> } | null = null;
  try {
    const fn = await PythonFunction.start({ env: { PG_API_BASE_URL: server.baseUrl, PG_SANDBOX_CLOCK: '1', APP_ID: LOCAL_APP_ID } });
    try {
      let invocations = 0;
      const runner = new FusionRunner(workflow.value, {
        functionAction: (id) => actions.get(id) ?? broken.get(id) ?? null,
        nowMs: () => sandbox.clock.nowMs(),
        invoke: async (action, body, executionId) => {
          if (snapshot === null && action.handlerName === 'page-run' && typeof body['stream'] === 'string' && isStreamName(body['stream'])) {
            const filter = typeof body['filter'] === 'string' ? body['filter'] : '';
            snapshot = { stream: body['stream'], filter, startIds: sandbox.sandbox.matchingIds(body['stream'], filter) };
          }
          invocations++;
          const answer = await fn.invoke({
            method: action.method,
            url: action.path,
            body,
            access_token: await platformToken(sandbox),
            params: { header: { 'X-Cs-Executionid': [executionId], 'X-Cs-Traceid': [`trace-${seed}-${invocations}`] }, query: {} },
            context: { app_id: LOCAL_APP_ID },
            fn_id: 'page-run',
            fn_version: 1,
            trace_id: `trace-${seed}-${invocations}`,
          });
          return { code: answer.code, body: answer.body, errors: answer.errors };
        },
      });
      const maxExecutions = trigger.kind === 'schedule' ? (options.maxExecutions ?? 5) : 1;
      for (let n = 1; n <= maxExecutions; n++) {
        if (n > 1) sandbox.clock.advance(options.scheduleIntervalMs ?? ONE_HOUR_MS);
        const result = await runner.execute({ executionId: `exec-${seed}-${n}`, inputs });
        executions.push(result);
        if (result.status.kind === 'failed') break;
        if (lastPageRun(result)?.['has_more'] !== 'true' && options.untilComplete !== false) break;
      }
    } finally {
      await fn.close();
    }
  } finally {
    await server.close();
  }
  const start = snapshot as { stream: StreamName; filter: string; startIds: Set<string> } | null;
  if (start === null) throw new WorkflowRunError('NO_PAGE_RUN', `${options.workflowPath} ran no page-run action with a known stream, so there is nothing to check`);
  const { stream: streamName, filter, startIds } = start;

  const spec = STREAMS[streamName];
  const endIds = sandbox.sandbox.matchingIds(streamName, filter);
  const expected = [...startIds].filter((id) => endIds.has(id));
  const logged = executions.flatMap((e) => e.logged);
  const pageRuns = executions.flatMap((e) => e.calls.filter((c) => c.action.handlerName === 'page-run'));
  // What the LogScale sink stored, read as the app's saved search reads it: per export session, once per event id.
  const sessions = [...new Set(pageRuns.map((c) => c.body['session_id']).filter((id): id is string => typeof id === 'string' && id !== ''))];
  const stored = sandbox.sandbox.logscale.events(LOCAL_APP_ID).filter((e) => sessions.includes(String(e.event['pg_session'])));
  const inRepository = sessions.flatMap((session) => sandbox.sandbox.logscale.exportRecords(session, LOCAL_APP_ID));
  const recordId = (record: unknown): string => String((record as Record<string, unknown> | null)?.[spec.idField]);
  const delivered = [
    ...logged.flatMap((entry) => (Array.isArray(entry['items']) ? entry['items'] : [])).map(recordId),
    ...inRepository.map((event) => recordId(event['record'])),
  ];
  const unique = new Set(delivered);
  const missingIds = expected.filter((id) => !unique.has(id));
  const health = pageRuns.map((c) => c.body['health'] as HealthRecord);
  const last = executions[executions.length - 1];
  const reasons: string[] = [];
  if (last !== undefined && last.status.kind === 'failed') reasons.push(`execution ${last.executionId} failed at ${last.status.node}: ${last.status.message}`);
  const lastRun = last === undefined ? undefined : lastPageRun(last);
  if (lastRun?.['has_more'] !== 'false') reasons.push(`the last page run said has_more "${String(lastRun?.['has_more'])}"`);
  if (lastRun !== undefined && lastRun['verdict'] !== 'complete') reasons.push(`the last page run's verdict is ${String(lastRun['verdict'])}`);
  if (missingIds.length > 0) reasons.push(`${missingIds.length} record(s) were never delivered`);
  if (delivered.length !== unique.size) reasons.push(`${delivered.length - unique.size} record(s) were delivered twice (after the saved search's deduplication)`);

  const enrichment = enrichmentOf(logged);
  if (enrichment !== null && enrichment.unenriched.length > 0) reasons.push(`${enrichment.unenriched.length} delivered indicator(s) never got an enrichment`);
  if (enrichment !== null && enrichment.twice > 0) reasons.push(`${enrichment.twice} indicator(s) were enriched twice`);

  const summaries = executions.map(summarize);
  return {
    workflow: workflow.value.name,
    stream: streamName,
    filter,
    profile: options.profile,
    verdict: reasons.length === 0 ? 'complete' : 'incomplete',
    reasons,
    executions: summaries,
    iterations: summaries.reduce((sum, e) => sum + e.iterations, 0),
    expected: expected.length,
    delivered: unique.size,
    missing: missingIds.length,
    duplicates: delivered.length - unique.size,
    logscale: { sessions, storedEvents: stored.length, records: inRepository.length, redelivered: stored.length - inRepository.length },
    functionCalls: executions.reduce((sum, e) => sum + e.calls.length, 0),
    largestPageRunResponseBytes: Math.max(0, ...pageRuns.map((c) => Buffer.byteLength(JSON.stringify(c.body)))),
    virtualMs: sandbox.clock.nowMs() - startedAtMs,
    missingIds: missingIds.slice(0, 20),
    health,
    enrichment,
    logged,
    steps: summaries.flatMap((e) => e.steps),
    sandbox: sandbox.sandbox,
  };
}

export class WorkflowRunError extends Error {
  readonly code: 'MANIFEST_INVALID' | 'WORKFLOW_INVALID' | 'INPUT_INVALID' | 'NO_PAGE_RUN' | 'NO_TOKEN';

  constructor(code: WorkflowRunError['code'], message: string) {
    super(message);
    this.name = 'WorkflowRunError';
    this.code = code;
  }
}

/**
 * The token Foundry hands each invocation: freshly minted for the app's client, so it lives through the
 * invocation (the function cannot refresh it). A 429 or a reset on the token endpoint is waited out.
 */
async function platformToken(sandbox: InProcessSandbox): Promise<string> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const refreshed = await sandbox.auth.refresh();
    if (refreshed.ok) return sandbox.auth.bearer();
    sandbox.clock.advance(1000);
  }
  throw new WorkflowRunError('NO_TOKEN', 'The sandbox issued no access token for the function in 20 attempts');
}

/** Every delivered item must come back enriched exactly once, matched on type and value. */
function enrichmentOf(logged: Array<Record<string, unknown>>): WorkflowRunReport['enrichment'] {
  if (!logged.some((entry) => 'enriched' in entry)) return null;
  const key = (r: unknown) => {
    const record = r as Record<string, unknown>;
    return `${String(record['type'])}:${String(record['value'])}`;
  };
  const indicators = new Set(logged.flatMap((e) => (Array.isArray(e['items']) ? e['items'] : [])).map(key));
  const enriched = logged.flatMap((e) => (Array.isArray(e['enriched']) ? e['enriched'] : [])).map(key);
  const unique = new Set(enriched);
  return { indicators: indicators.size, enriched: unique.size, unenriched: [...indicators].filter((k) => !unique.has(k)).slice(0, 20), twice: enriched.length - unique.size };
}

function lastPageRun(result: ExecutionResult): Record<string, unknown> | undefined {
  return result.calls.filter((c) => c.action.handlerName === 'page-run').at(-1)?.body;
}

function summarize(result: ExecutionResult): ExecutionSummary {
  const last = lastPageRun(result);
  return {
    executionId: result.executionId,
    status: result.status,
    iterations: result.loopIterations,
    cappedLoops: result.cappedLoops,
    pageRuns: result.calls.filter((c) => c.action.handlerName === 'page-run').length,
    lastHasMore: String(last?.['has_more'] ?? ''),
    lastVerdict: String(last?.['verdict'] ?? ''),
    steps: result.steps,
  };
}

/** Validates `--input k=v` against the trigger's parameter schema: known names, required ones, defaults, enums, integers. */
function applyInputSchema(schema: Record<string, unknown> | null, given: Record<string, string>, path: string): Record<string, unknown> {
  const properties = (schema?.['properties'] ?? {}) as Record<string, { type?: string; enum?: unknown[]; default?: unknown; minimum?: number; maximum?: number }>;
  const required = Array.isArray(schema?.['required']) ? (schema['required'] as string[]) : [];
  const out: Record<string, unknown> = {};
  for (const name of Object.keys(given)) {
    if (!(name in properties)) {
      throw new WorkflowRunError('INPUT_INVALID', `${path} has no input "${name}"; it takes ${Object.keys(properties).join(', ') || 'no inputs'}`);
    }
  }
  for (const [name, property] of Object.entries(properties)) {
    const raw = given[name];
    if (raw === undefined) {
      if (required.includes(name)) throw new WorkflowRunError('INPUT_INVALID', `${path} needs --input ${name}=<value>`);
      if (property.default !== undefined) out[name] = property.default;
      continue;
    }
    let value: unknown = raw;
    if (property.type === 'integer') {
      const n = Number(raw);
      if (!Number.isInteger(n)) throw new WorkflowRunError('INPUT_INVALID', `input ${name} must be an integer, got "${raw}"`);
      if ((property.minimum !== undefined && n < property.minimum) || (property.maximum !== undefined && n > property.maximum)) {
        throw new WorkflowRunError('INPUT_INVALID', `input ${name} must be from ${property.minimum ?? '-∞'} to ${property.maximum ?? '∞'}, got ${n}`);
      }
      value = n;
    }
    if (property.enum !== undefined && !property.enum.includes(value)) {
      throw new WorkflowRunError('INPUT_INVALID', `input ${name} must be one of ${property.enum.join(', ')}, got "${raw}"`);
    }
    out[name] = value;
  }
  return out;
}
