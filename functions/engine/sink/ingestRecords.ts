import { assertNever } from '../assertNever.ts';
import { STREAMS, type StreamName } from '../../falcon/streams.ts';
import { firstErrorMessage } from '../../falcon/envelope.ts';
import { engineError, type EngineError } from '../EngineError.ts';
import type { EngineEvent, SinkReport } from '../EngineEvent.ts';
import type { Io } from '../Io.ts';
import { fullJitterMs, rateLimitWaitMs } from '../pacing.ts';
import { parseJson, serverDateMs } from '../../falcon/readResponse.ts';
import { ENGINE_DEFAULTS } from '../RunInput.ts';
import { utf8Length } from '../encoding.ts';
import { toLogScaleEvent } from './LogScaleEvent.ts';
import { multipartBody } from './multipartBody.ts';

/** Foundry's in-function ingest into the app's LogScale repository (FalconPy operation IngestDataV1). */
export const INGEST_PATH = '/loggingapi/entities/data-ingestion/ingest/v1';

/** Every default of the LogScale sink, in one place. */
export const INGEST_DEFAULTS = {
  /**
   * Largest payload of one ingest call. UNVERIFIED: no limit is documented; 1 MB keeps far below the
   * 8 MiB the sandbox refuses by default, and a 413 halves the batch and lowers this for the rest of the run.
   */
  maxBatchBytes: 1_000_000,
  /** Below this a 413 is not halved again: one record alone is too large. */
  minBatchBytes: 1,
  requestTimeoutMs: 30_000,
  maxRetries: ENGINE_DEFAULTS.maxRetries,
  tagSource: 'pagination-guard',
} as const;

/** Whose records these are: every event carries the stream, the export session and the run. */
export interface IngestTarget {
  stream: StreamName;
  sessionId: string;
  runId: string;
  /** X-CS-APP-ID of a local run; Foundry adds the app itself in the cloud. */
  appId: string;
}

/**
 * The sink's run-long state, plain data the caller keeps between pages and this coroutine updates: the
 * batch size the repository has not refused so far, and the jitter seed.
 */
export interface IngestPlan {
  maxBatchBytes: number;
  seed: number;
  /** Absolute local time after which no call may start and no wait may end. */
  deadlineAtMs: number;
}

export type IngestOutcome = { ok: true; report: SinkReport } | { ok: false; error: EngineError; report: SinkReport };

interface Batch {
  events: string[];
  bytes: number;
}

/**
 * Ingests one page's records: split into batches by bytes, each sent until the repository answers 2xx.
 * 429 waits as the API asks, 5xx and lost connections back off, a 413 halves the batch; an answer lost
 * after sending may mean the events landed, and sending them again is safe because each names itself.
 * Anything else (a 4xx, retries used up, no time left) ends with a classified error: the page is then
 * not acknowledged and its checkpoint never becomes valid.
 */
export function* ingestRecords(records: readonly unknown[], target: IngestTarget, plan: IngestPlan, nowMs: () => number): Io<IngestOutcome> {
  const report: SinkReport = { calls: 0, retries: 0, events: 0, bytes: 0, notes: [] };
  const serialized = eventsOf(records, target);
  if (!Array.isArray(serialized)) return { ok: false, report, error: serialized };
  const queue = batchesOf(serialized, plan.maxBatchBytes);
  let attempt = 0;
  let rateLimits = 0;
  while (queue.length > 0) {
    const batch = queue[0] as Batch;
    if (nowMs() >= plan.deadlineAtMs) return { ok: false, report, error: failed('no time was left in the run to store the page', report) };
    const sent = yield* send(batch, target, report, plan, nowMs);
    const outcome = classify(sent);
    switch (outcome.kind) {
      case 'stored':
        queue.shift();
        report.events += batch.events.length;
        report.bytes += batch.bytes;
        attempt = 0;
        rateLimits = 0;
        break;
      case 'too-large': {
        const error = halve(queue, batch, target, report, plan);
        if (error !== null) return { ok: false, report, error };
        break;
      }
      case 'rate-limited': {
        rateLimits++;
        const error = yield* waitForRateLimit(outcome.headers, rateLimits, report, plan, nowMs);
        if (error !== null) return { ok: false, report, error };
        break;
      }
      case 'retryable': {
        attempt++;
        if (attempt > INGEST_DEFAULTS.maxRetries) return { ok: false, report, error: failed(`${outcome.reason}, ${attempt} times in a row`, report) };
        const jitter = fullJitterMs(plan.seed, attempt);
        plan.seed = jitter.seed;
        const waited = yield* pause(jitter.ms, `${outcome.reason}; retrying in ${jitter.ms} ms`, report, plan, nowMs);
        if (!waited) return { ok: false, report, error: failed(`${outcome.reason}, and no time was left to retry`, report) };
        break;
      }
      case 'token-expired':
        return { ok: false, report, error: failed('the access token expired and could not be refreshed', report) };
      case 'refused':
        return { ok: false, report, error: engineError('INGEST_REFUSED', outcome.message, { status: outcome.status }) };
      default:
        return assertNever(outcome, 'ingest outcome');
    }
  }
  return { ok: true, report };
}

/** Each record as the LogScale event that names it; an error for a record without its id. */
function eventsOf(records: readonly unknown[], target: IngestTarget): string[] | EngineError {
  const idField = STREAMS[target.stream].idField;
  const serialized: string[] = [];
  for (const record of records) {
    const id = typeof record === 'object' && record !== null ? (record as Record<string, unknown>)[idField] : undefined;
    if (typeof id !== 'string') {
      return engineError('PROTOCOL', `A ${target.stream} record to ingest has no "${idField}"; the engine emits only records with one.`);
    }
    serialized.push(JSON.stringify(toLogScaleEvent(target.stream, target.sessionId, target.runId, id, record)));
  }
  return serialized;
}

/** A 413 for a batch: halve it in the queue, or the error when it held one record only. */
function halve(queue: Batch[], batch: Batch, target: IngestTarget, report: SinkReport, plan: IngestPlan): EngineError | null {
  if (batch.events.length === 1) {
    return engineError(
      'INGEST_RECORD_TOO_LARGE',
      `One ${target.stream} record makes a ${batch.bytes}-byte event, and the LogScale repository refused it as too large (413); project records with fields.`,
      { bytes: batch.bytes },
    );
  }
  // Smaller batches for the rest of the run: the repository told us where its limit is not.
  plan.maxBatchBytes = Math.max(INGEST_DEFAULTS.minBatchBytes, Math.floor(batch.bytes / 2));
  const half = Math.ceil(batch.events.length / 2);
  queue.splice(0, 1, batchOf(batch.events.slice(0, half)), batchOf(batch.events.slice(half)));
  report.retries++;
  report.notes.push(`413 for ${batch.events.length} events (${batch.bytes} bytes): halved`);
  return null;
}

function* send(batch: Batch, target: IngestTarget, report: SinkReport, plan: IngestPlan, nowMs: () => number): Io<EngineEvent> {
  const form = multipartBody(
    [
      { kind: 'file', name: 'data_file', filename: 'records.json', contentType: 'application/json', content: `[${batch.events.join(',')}]` },
      { kind: 'field', name: 'tag_source', value: INGEST_DEFAULTS.tagSource },
    ],
    `${target.runId.replace(/[^A-Za-z0-9]/g, '').slice(0, 24)}${report.calls}`,
  );
  const headers: Record<string, string> = { Accept: 'application/json', 'Content-Type': form.contentType };
  if (target.appId !== '') headers['X-CS-APP-ID'] = target.appId;
  report.calls++;
  const timeoutMs = Math.max(1, Math.min(INGEST_DEFAULTS.requestTimeoutMs, plan.deadlineAtMs - nowMs()));
  const answer = yield { kind: 'http', request: { method: 'POST', path: INGEST_PATH, headers, body: form.body }, timeoutMs };
  if (answer.kind === 'http-response' && answer.status === 401) {
    // The token may be refreshed once (the CLI can; a Foundry function cannot, and its host says so).
    const refreshed = yield { kind: 'authenticate' };
    if (refreshed.kind === 'authenticated' && refreshed.ok) {
      report.calls++;
      report.retries++;
      return yield { kind: 'http', request: { method: 'POST', path: INGEST_PATH, headers, body: form.body }, timeoutMs };
    }
  }
  return answer;
}

/** A 429: waits as the repository asks, or the error when it keeps asking or the wait does not fit. */
function* waitForRateLimit(headers: Record<string, string>, rateLimits: number, report: SinkReport, plan: IngestPlan, nowMs: () => number): Io<EngineError | null> {
  if (rateLimits > ENGINE_DEFAULTS.maxRateLimitWaits) return failed(`the repository kept answering 429 (${rateLimits} times)`, report);
  const serverNow = serverDateMs(headers) ?? nowMs();
  const wait = rateLimitWaitMs(headers, serverNow, plan.seed, rateLimits);
  plan.seed = wait.seed;
  const waited = yield* pause(wait.ms, `429: waiting ${wait.ms} ms`, report, plan, nowMs);
  return waited ? null : failed(`a ${wait.ms} ms rate-limit wait did not fit the time left`, report);
}

/** Sleeps if the wait ends before the deadline; false when it would not. */
function* pause(ms: number, note: string, report: SinkReport, plan: IngestPlan, nowMs: () => number): Io<boolean> {
  if (nowMs() + ms >= plan.deadlineAtMs) return false;
  report.retries++;
  report.notes.push(note);
  yield { kind: 'sleep', ms };
  return true;
}

type Classified =
  | { kind: 'stored' }
  | { kind: 'too-large' }
  | { kind: 'rate-limited'; headers: Record<string, string> }
  | { kind: 'retryable'; reason: string }
  /** 401 after the one refresh the host could give (a Foundry function's token cannot be refreshed; the next invocation gets a new one). */
  | { kind: 'token-expired' }
  | { kind: 'refused'; status: number; message: string };

function classify(answer: EngineEvent): Classified {
  if (answer.kind === 'http-error') {
    // A timeout or a reset after the body went out may have stored the events: sending them again is the
    // at-least-once half of the contract, the saved search's deduplication the exactly-once half.
    return { kind: 'retryable', reason: `the ingest call got no answer (${answer.code})` };
  }
  if (answer.kind !== 'http-response') return { kind: 'refused', status: 0, message: `The host answered an ingest call with "${answer.kind}"; it must answer http commands with http-response or http-error.` };
  const { status, headers, body } = answer;
  const detail = firstErrorMessage(body) ?? body.slice(0, 200);
  if (status >= 200 && status < 300) return storedOrNot(status, body, detail);
  if (status === 413) return { kind: 'too-large' };
  if (status === 429) return { kind: 'rate-limited', headers };
  if (status >= 500) return { kind: 'retryable', reason: `the ingest call answered ${status}` };
  if (status === 401) return { kind: 'token-expired' };
  if (status === 403) {
    return { kind: 'refused', status, message: `The LogScale ingest call answered 403 (${detail}); the app needs the app-logs:write scope in manifest.yml.` };
  }
  if (status >= 300 && status < 400) {
    return { kind: 'refused', status, message: `The LogScale ingest call was redirected (${status}); the function talks to the wrong cloud.` };
  }
  return { kind: 'refused', status, message: `The LogScale repository refused the page's records with ${status}: ${detail}` };
}

/** Falcon reports some failures inside a 200; whether the events landed is then unknown, so send again. */
function storedOrNot(status: number, body: string, detail: string): Classified {
  const parsed = parseJson(body);
  const errors = parsed.ok && typeof parsed.value === 'object' && parsed.value !== null ? (parsed.value as { errors?: unknown }).errors : undefined;
  if (Array.isArray(errors) && errors.length > 0) return { kind: 'retryable', reason: `the ingest call answered ${status} with errors (${detail})` };
  return { kind: 'stored' };
}

function failed(reason: string, report: SinkReport): EngineError {
  return engineError('INGEST_FAILED', `The page's records could not be stored in LogScale: ${reason}. Nothing after the last stored page counts as exported; run again from the checkpoint.`, {
    calls: report.calls,
  });
}

/** Greedy batches under the byte budget (JSON array: the events plus their commas and brackets). */
function batchesOf(events: readonly string[], maxBytes: number): Batch[] {
  const batches: Batch[] = [];
  let current: string[] = [];
  let bytes = 2;
  for (const event of events) {
    const size = utf8Length(event) + 1;
    if (current.length > 0 && bytes + size > maxBytes) {
      batches.push({ events: current, bytes });
      current = [];
      bytes = 2;
    }
    current.push(event);
    bytes += size;
  }
  if (current.length > 0) batches.push({ events: current, bytes });
  return batches;
}

function batchOf(events: string[]): Batch {
  return { events, bytes: 2 + events.reduce((sum, event) => sum + utf8Length(event) + 1, 0) };
}
