import { z } from 'zod';
import { utf8Length } from '../engine/encoding.ts';
import type { Io } from '../engine/Io.ts';
import { fieldPathSchema, type RunInput } from '../engine/RunInput.ts';
import { MAX_USER_FILTER_CHARS } from '../engine/fql.ts';
import { streamNameSchema } from '../falcon/streamNameSchema.ts';
import { CHECKPOINTS_COLLECTION, checkpointRecordKey, type CheckpointRecord } from '../storage/CheckpointRecord.ts';
import { RUNS_COLLECTION, runRecordKey, toRunRecord } from '../storage/RunRecord.ts';
import type { StopReason } from '../engine/EngineCommand.ts';
import { checkpointKeysOf } from '../storage/SigningKeys.ts';
import { CollectionClient } from './CollectionClient.ts';
import { collectPageRun } from './collectPageRun.ts';
import { flagSchema, presentCheckpoint } from './flags.ts';
import type { FunctionContext } from './FunctionContext.ts';
import { badRequest, type FunctionResponse } from './FunctionResponse.ts';
import { parseRequest } from './parseRequest.ts';
import { sha256Hex } from '../engine/sha256.ts';
import { INGEST_DEFAULTS, ingestRecords, type IngestPlan, type IngestTarget } from '../engine/sink/ingestRecords.ts';
import type { Delivery } from './collectPageRun.ts';
import { loadSigningKeys } from './signingKeyStore.ts';
import { assertNever } from '../engine/assertNever.ts';

/** Foundry refuses responses over 120 KB; the items get this much by default, the rest is checkpoint and health. */
export const PAGE_RUN_LIMITS = {
  responseBytes: 120 * 1024,
  defaultItemBytes: 80_000,
  maxItemBytes: 100_000,
  maxPages: 1000,
  /**
   * How long after the engine's deadline the LogScale sink may still store the last page: part of the
   * margin the function keeps before its execution limit (FUNCTION_LIMITS.deadlineMarginMs, 5 s).
   */
  ingestGraceMs: 3_000,
} as const;

/** Where a run's records go: into the app's LogScale repository, or back in the response (playbooks that need them in the workflow). */
export const SINKS = ['logscale', 'response'] as const;

export const pageRunRequestSchema = z
  .object({
    stream: streamNameSchema,
    filter: z.string().max(MAX_USER_FILTER_CHARS).default(''),
    /** "" and Fusion's "0" for an absent value both mean: no checkpoint. */
    checkpoint: z.string().max(100_000).optional(),
    resume_from_collection: flagSchema.default('false'),
    session_id: z.string().min(1).max(128).optional(),
    fields: z.array(fieldPathSchema).max(200).optional(),
    max_pages: z.number().int().min(1).max(PAGE_RUN_LIMITS.maxPages).optional(),
    max_response_bytes: z.number().int().min(1000).max(PAGE_RUN_LIMITS.maxItemBytes).optional(),
    record_run: flagSchema.default('true'),
    sink: z.enum(SINKS).default('response'),
  })
  .strict()
  .refine((request) => request.sink === 'response' || request.max_response_bytes === undefined, {
    // Records ingested into LogScale never travel in the response, so a response budget would bound nothing.
    message: 'bounds the records in the response, and with sink "logscale" the response carries none; leave it out or use sink "response"',
    path: ['max_response_bytes'],
  });

export type PageRunRequest = z.input<typeof pageRunRequestSchema>;

/**
 * `POST /page-run`: one bounded page run. The engine decides everything; this handler resolves the
 * checkpoint (request, or the stored one on request), runs, and records the run's health. It never
 * writes the checkpoint: a consumer saves it through `/checkpoints` once it has stored the items.
 */
export function* pageRun(rawBody: unknown, context: FunctionContext): Io<FunctionResponse> {
  const parsed = parseRequest(pageRunRequestSchema, rawBody, 'page-run');
  if (!parsed.ok) return parsed.response;
  const request = parsed.data;
  const storage = new CollectionClient(context);
  const keys = yield* loadSigningKeys(storage, context);
  if (!keys.ok) return keys.response;
  let checkpoint = presentCheckpoint(request.checkpoint);
  let sessionId = request.session_id;
  if (checkpoint === undefined && request.resume_from_collection === 'true') {
    const stored = yield* storage.get(CHECKPOINTS_COLLECTION, checkpointRecordKey(request.stream, request.filter));
    if (!stored.ok) {
      // Starting over would export everything again; better to fail loudly and let the next schedule retry.
      return {
        code: 503,
        body: { error_code: 'CHECKPOINT_UNREADABLE', field: 'resume_from_collection' },
        errors: [{ code: 503, message: `The stored checkpoint could not be read, so the run did not start: ${stored.message}` }],
      };
    }
    const record = stored.value as Partial<CheckpointRecord> | null;
    if (record !== null && typeof record.checkpoint === 'string' && record.checkpoint !== '') {
      checkpoint = record.checkpoint;
      sessionId ??= typeof record.session_id === 'string' && record.session_id !== '' ? record.session_id : undefined;
    }
  }

  const nowMs = context.nowMs();
  const input: RunInput = {
    stream: request.stream,
    filter: request.filter,
    runId: `${context.executionId === '' ? 'local' : context.executionId}-${nowMs}`.slice(0, 128),
    apiBaseUrl: context.apiBaseUrl,
    checkpointKeys: checkpointKeysOf(keys.keys),
    ...(checkpoint === undefined ? {} : { checkpoint }),
    ...(sessionId === undefined ? {} : { sessionId }),
    ...(request.fields === undefined ? {} : { fields: request.fields }),
    budget: {
      deadlineMs: context.deadlineMs,
      // Ingested records leave the function page by page: memory holds one page, and the deadline bounds the run.
      ...(request.sink === 'response' ? { maxResponseBytes: request.max_response_bytes ?? PAGE_RUN_LIMITS.defaultItemBytes } : {}),
      ...(request.max_pages === undefined ? {} : { maxPages: request.max_pages }),
    },
  };
  const items: unknown[] = [];
  const target: IngestTarget = { stream: request.stream, sessionId: '', runId: input.runId, appId: context.appId };
  const plan: IngestPlan = {
    maxBatchBytes: INGEST_DEFAULTS.maxBatchBytes,
    // From the run id, not the host's random bits: a run replays identically (conformance, tests), and
    // two runs (two ids) still draw different jitter.
    seed: Number.parseInt(sha256Hex(input.runId).slice(0, 8), 16) | 0,
    deadlineAtMs: nowMs + context.deadlineMs + PAGE_RUN_LIMITS.ingestGraceMs,
  };
  const result = yield* collectPageRun(input, context, function* (page): Io<Delivery> {
    if (request.sink === 'response') {
      items.push(...page.items);
      return { ok: true };
    }
    // Every event names its export session (a new export gets one at its start), which the saved searches group by.
    target.sessionId = page.health.sessionId;
    const ingested = yield* ingestRecords(page.items, target, plan, () => context.nowMs());
    return ingested.ok ? { ok: true, sink: ingested.report } : { ok: false, error: ingested.error, sink: ingested.report };
  });
  if (result.error !== null && result.error.category === 'input') {
    const field = typeof result.error.context['field'] === 'string' ? result.error.context['field'] : 'checkpoint';
    return badRequest(result.error.code, field, result.error.message);
  }

  let runRecorded: 'true' | 'false' = 'false';
  let storageError = '';
  if (request.record_run === 'true') {
    const record = toRunRecord(result, { executionId: context.executionId });
    const written = yield* storage.put(RUNS_COLLECTION, runRecordKey(record), record);
    runRecorded = written.ok ? 'true' : 'false';
    if (!written.ok) storageError = written.message;
  }

  const body: Record<string, unknown> = {
    sink: request.sink,
    items,
    item_count: items.length,
    ingested_events: result.health.ingestedEvents,
    ingest_calls: result.health.ingestCalls,
    ingest_retries: result.health.ingestRetries,
    // The engine's rule, for every host: resume from its final checkpoint, which holds exactly the pages
    // in `items`; only a refused input has none (and never gets here: it answered 400 above).
    checkpoint: result.resume.safe ? result.resume.checkpoint : '',
    resume_safe: result.resume.safe ? 'true' : 'false',
    stop_reason: stopReasonText(result.stop),
    has_more: result.hasMore,
    verdict: result.verdict,
    error_code: result.error?.code ?? '',
    error_message: result.error?.message ?? '',
    session_id: result.health.sessionId,
    run_id: result.health.runId,
    run_recorded: runRecorded,
    storage_error: storageError,
    health: result.health,
  };
  // The engine sizes items against its budget; the host still checks the whole body, because Foundry
  // drops a response over 120 KB. The timeline is the only part that can go (the collection keeps it).
  if (byteLength(body) > PAGE_RUN_LIMITS.responseBytes) body['health'] = { ...result.health, timeline: [], timelineDropped: result.health.timeline.length };
  if (byteLength(body) > PAGE_RUN_LIMITS.responseBytes) {
    return {
      code: 500,
      body: { error_code: 'RESPONSE_TOO_LARGE', field: 'max_response_bytes' },
      errors: [{ code: 500, message: `The run's response exceeds 120 KB; lower max_response_bytes or project fewer fields (field: max_response_bytes)` }],
    };
  }
  return { code: 200, body, errors: [] };
}

/** `complete`, `budget:<deadline|max_pages|byte_budget|rate_limit_wait>` or `failed:<code>:<retryable|final>`, for workflows to branch on. */
function stopReasonText(stop: StopReason): string {
  switch (stop.kind) {
    case 'complete':
      return 'complete';
    case 'budget':
      return `budget:${stop.budget}`;
    case 'failed':
      return `failed:${stop.code}:${stop.retryable ? 'retryable' : 'final'}`;
    default:
      return assertNever(stop, 'stop reason');
  }
}

function byteLength(value: unknown): number {
  return utf8Length(JSON.stringify(value));
}
