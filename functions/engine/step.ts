import { envelopeSchema, type Envelope } from '../falcon/envelope.ts';
import { STREAMS, afterTokenOf, isStreamName, maxPageSize, retiredStreamMessage, watermarkAtTime, type StreamSpec } from '../falcon/streams.ts';
import { chainFilter, hydrateRequest, pageRequest } from './buildRequest.ts';
import { checkpointBelongsTo, decodeCheckpoint, filterHashOf, encodeCheckpoint, nextPagePathPlausible, type Chain, type CheckpointData, type CheckpointKeys, type Cursor } from './Checkpoint.ts';
import type { EngineCommand, RunResult, StopReason } from './EngineCommand.ts';
import { engineError, retryableFailure, type EngineError } from './EngineError.ts';
import type { EngineEvent, SinkReport } from './EngineEvent.ts';
import type { EngineState, PageFacts, Pending, ResolvedInput } from './EngineState.ts';
import { checkUserFilter, rangesFilter } from './fql.ts';
import { idHash } from './idHash.ts';
import { boundSpans, rangesWithSpans, settleSpans, spanCovers, vouchedSpanOf, withSpan, type VouchedSpan } from './VouchedSpan.ts';
import { appendEvent, type HealthEventKind, type HealthRecord, type Verdict } from './HealthRecord.ts';
import {
  EVERYTHING,
  MAX_BOUND_IDS,
  capRanges,
  compareKeys,
  compareValues,
  inRanges,
  largestBound,
  raiseHigh,
  subtractCoverage,
  type Bound,
  type Coverage,
  type KeyRange,
  type WatermarkValue,
} from './KeyRange.ts';
import {
  depthCapFromMessage,
  header,
  isExpiredContextMessage,
  originOf,
  parseJson,
  rateLimitRemaining,
  serverDateMs,
} from '../falcon/readResponse.ts';
import { fullJitterMs, nextLatencyEstimateMs, rateLimitWaitMs, skewFromDateMs, slowDownMsFor } from './pacing.ts';
import { ENGINE_DEFAULTS, runInputSchema } from './RunInput.ts';

export interface StepOutput {
  state: EngineState;
  command: EngineCommand;
}

type Item = Record<string, unknown>;

/**
 * The pagination engine: a pure state machine. The host feeds it events and performs the one command
 * it answers with. `state` is plain JSON owned by the caller and is never mutated here.
 */
export function step(state: EngineState | null, event: EngineEvent): StepOutput {
  if (event.kind === 'start') {
    if (state !== null) return protocolError(state, 'start', 'a run that already started');
    return start(event.input, event.nowMs);
  }
  if (state === null) return bareFailure(null, engineError('PROTOCOL', `The first event must be "start", got "${event.kind}".`));
  const s = draft(state, event.nowMs);
  switch (event.kind) {
    case 'http-response':
      if (s.phase !== 'await-http' || !s.pending) return protocolError(state, event.kind, s.phase);
      return onResponse(s, s.pending, event.status, event.headers, event.body);
    case 'http-error':
      if (s.phase !== 'await-http' || !s.pending) return protocolError(state, event.kind, s.phase);
      s.cp.counters.apiCalls++;
      s.health.apiCalls++;
      // A request that never got an answer did not test the refreshed token; after the backoff it may have
      // expired (short-lived tokens), and a 401 then deserves a refresh of its own. Retries bound the loop.
      s.pending = { ...s.pending, authRefreshed: false };
      if (s.pending.purpose === 'page' && s.pending.withCursor && STREAMS[s.input.stream].style === 'scroll') {
        // The server may have moved the scroll on before the answer was lost: the same token would now
        // serve the page after the lost one. The scroll's pages are not assumed adjacent, so the lost one
        // stays in the ranges and a query from the watermark asks for it again.
        note(s, 'end_unproven', `a scroll page was lost in transit (${event.code}); asking for the rest from the watermark`);
        s.pending = null;
        restart(s);
        return next(s);
      }
      return retry(s, `${event.code}: ${event.message}`, engineError('RETRIES_EXHAUSTED', `The connection failed (${event.code}).`, {}, { code: event.code, message: event.message }));
    case 'slept':
      if (s.phase !== 'await-sleep') return protocolError(state, event.kind, s.phase);
      return s.resume === 'pending' && s.pending ? send(s, s.pending) : next(s);
    case 'authenticated':
      if (s.phase !== 'await-auth') return protocolError(state, event.kind, s.phase);
      if (!event.ok && event.retryable && s.pending) {
        // The token endpoint itself failed (reset, 5xx): back off and try the request, and so the token, again.
        s.pending = { ...s.pending, authRefreshed: false };
        return retry(s, `re-authentication failed: ${event.message ?? 'no reason given'}`, engineError('AUTH_FAILED', `Re-authentication kept failing: ${event.message ?? 'no reason given'}.`));
      }
      if (!event.ok) {
        return fail(s, engineError('AUTH_FAILED', `Re-authentication failed: ${event.message ?? 'no reason given'}. Check the API client id and secret.`));
      }
      return s.pending ? send(s, s.pending) : next(s);
    case 'emitted':
      if (s.phase !== 'await-emit') return protocolError(state, event.kind, s.phase);
      if (s.emitting) s.ackedCheckpoint = s.emitting.checkpoint;
      s.emitting = null;
      if (event.sink) countSink(s, event.sink);
      return next(s);
    case 'emit-failed':
      if (s.phase !== 'await-emit') return protocolError(state, event.kind, s.phase);
      if (event.sink) countSink(s, event.sink);
      return failUnstored(s, event.error);
  }
}

// ---------------------------------------------------------------------------------------------
// Start

function start(rawInput: unknown, nowMs: number): StepOutput {
  const parsed = runInputSchema.safeParse(rawInput);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue ? issue.path.join('.') || '(input)' : '(input)';
    return bareFailure(rawInput, engineError('INPUT_INVALID', `Invalid run input at "${field}": ${issue?.message ?? 'unknown problem'}.`, { field }));
  }
  const input = parsed.data;
  const retired = retiredStreamMessage(input.stream);
  if (retired !== null) return bareFailure(rawInput, engineError('STREAM_DECOMMISSIONED', retired, { field: 'stream' }));
  if (!isStreamName(input.stream)) {
    return bareFailure(
      rawInput,
      engineError('STREAM_UNKNOWN', `Unknown stream "${input.stream}". Known streams: ${Object.keys(STREAMS).join(', ')}.`, { field: 'stream' }),
    );
  }
  const spec = STREAMS[input.stream];
  const filter = input.filter.trim();
  const problem = checkUserFilter(filter);
  if (problem) {
    return bareFailure(
      rawInput,
      engineError('FILTER_INVALID', `The filter ${problem.message} (at character ${problem.position}); fix the FQL and run again.`, {
        field: 'filter',
        position: problem.position,
      }),
    );
  }
  const checkpointKeys: CheckpointKeys = { current: input.checkpointKeys.current, previous: input.checkpointKeys.previous ?? null };
  const filterHash = filterHashOf(spec.name, filter);
  let cp: CheckpointData;
  let resumed = false;
  if (input.checkpoint) {
    const decoded = decodeCheckpoint(input.checkpoint, checkpointKeys);
    if (!decoded.ok) return bareFailure(rawInput, decoded.error);
    const data = decoded.data;
    const foreign = checkpointBelongsTo(data, spec.name, filter);
    if (foreign !== null) return bareFailure(rawInput, foreign);
    if (input.sessionId !== undefined && input.sessionId !== data.sessionId) {
      return bareFailure(
      rawInput,
        engineError(
          'CHECKPOINT_FOREIGN_SESSION',
          `The checkpoint belongs to session "${data.sessionId}", not "${input.sessionId}"; two workers must never share one cursor chain.`,
          { field: 'checkpoint', checkpointSession: data.sessionId },
        ),
      );
    }
    cp = data.complete ? incrementalFrom(data) : data;
    resumed = true;
  } else {
    cp = {
      v: 1,
      stream: spec.name,
      filterHash,
      sessionId: input.sessionId ?? `session-${input.runId}`,
      seq: 0,
      ranges: EVERYTHING,
      high: null,
      complete: false,
      chain: null,
      notBeforeServerMs: null,
      skewMs: null,
      totalAtStart: null,
      learnedDepthCap: null,
      learnedPageLimit: null,
      boundServerMs: null,
      orderViolated: false,
      rechecks: [],
      counters: {
        items: 0,
        apiCalls: 0,
        pages: 0,
        tokenMissingMidRun: 0,
        tokenExpiries: 0,
        watermarkRestarts: 0,
        depthCapRewindows: 0,
        duplicatesDropped: 0,
      },
    };
  }
  const resolved: ResolvedInput = {
    stream: spec.name,
    filter,
    runId: input.runId,
    fields: input.fields ?? null,
    apiOrigin: input.apiBaseUrl ? originOf(input.apiBaseUrl) : null,
    deadlineAtMs: input.budget.deadlineMs !== undefined ? nowMs + input.budget.deadlineMs : null,
    maxPages: input.budget.maxPages ?? null,
    maxResponseBytes: input.budget.maxResponseBytes ?? null,
    pageLimit: Math.min(input.options.pageLimit ?? spec.pageLimit, spec.maxLimit),
    maxRetries: input.options.maxRetries ?? ENGINE_DEFAULTS.maxRetries,
    maxRateLimitWaits: input.options.maxRateLimitWaits ?? ENGINE_DEFAULTS.maxRateLimitWaits,
    cursorTtlMs: Math.min(spec.documentedCursorTtlMs ?? Infinity, input.options.assumedCursorTtlMs ?? ENGINE_DEFAULTS.assumedCursorTtlMs),
    requestTimeoutMs: input.options.requestTimeoutMs ?? ENGINE_DEFAULTS.requestTimeoutMs,
    checkpointKeys,
  };
  let health: HealthRecord = {
    stream: spec.name,
    runId: input.runId,
    sessionId: cp.sessionId,
    startedAtMs: nowMs,
    endedAtMs: null,
    verdict: null,
    pages: 0,
    items: 0,
    totalAtStart: cp.totalAtStart,
    duplicatesDropped: 0,
    apiCalls: 0,
    retries: 0,
    rateLimitWaitMs: 0,
    tokenMissingMidRun: 0,
    tokenExpiries: 0,
    watermarkRestarts: 0,
    depthCapRewindows: 0,
    authRefreshes: 0,
    errorsIn200: 0,
    ingestCalls: 0,
    ingestRetries: 0,
    ingestedEvents: 0,
    ingestBytes: 0,
    exportItems: cp.counters.items,
    exportApiCalls: cp.counters.apiCalls,
    optimalCalls: cp.totalAtStart === null ? null : optimalCalls(spec, cp.totalAtStart),
    timeline: [],
    timelineDropped: 0,
  };
  health = appendEvent(health, {
    atMs: nowMs,
    kind: resumed ? 'resumed' : 'run_started',
    detail: resumed ? `seq ${cp.seq}, ${cp.ranges.length} range(s) left${cp.chain?.cursor ? ', live cursor' : ''}` : `filter ${filter || '(none)'}`,
  });
  const s: EngineState = {
    phase: 'await-http',
    input: resolved,
    cp: cp as EngineState['cp'],
    run: {
      startedAtMs: nowMs,
      nowMs,
      pages: 0,
      bytes: 0,
      avgItemBytes: null,
      latencyEstimateMs: ENGINE_DEFAULTS.initialLatencyEstimateMs,
      consecutiveRateLimits: 0,
      barrenRestarts: 0,
      absentFields: input.fields ? [...input.fields] : [],
    },
    health,
    pending: null,
    hydration: null,
    resume: 'next',
    slowDownMs: 0,
    rngSeed: input.options.seed ?? 0x5eed,
    // The checkpoint the run started from: a fresh export's is its first state, so even a first page the
    // sink never stored resumes in the same session.
    ackedCheckpoint: input.checkpoint ?? encodeCheckpoint(cp, checkpointKeys),
    emitting: null,
    result: null,
  };
  return next(s);
}

/** A finished export resumed later is an incremental export: everything above the high-water mark. */
function incrementalFrom(data: CheckpointData): CheckpointData {
  return {
    ...data,
    ranges: data.high ? [{ from: data.high, to: null }] : EVERYTHING,
    complete: false,
    chain: null,
    totalAtStart: null,
    boundServerMs: null,
    orderViolated: false,
    rechecks: [],
    counters: { ...data.counters, items: 0, apiCalls: 0, pages: 0 },
  };
}

// ---------------------------------------------------------------------------------------------
// Deciding the next command

function next(s: EngineState): StepOutput {
  const spec = STREAMS[s.input.stream];
  // Spans read again are part of what is left: a record a cursor held back may be there alone.
  if (s.cp.ranges.length === 0 && s.cp.rechecks.length === 0) {
    if (s.cp.orderViolated) {
      return fail(
        s,
        engineError('ORDER_VIOLATED', 'Falcon returned records out of its own sort order behind the pages already exported; whether each was exported cannot be proven, so the export is not reported complete. Start a new export (a new session) to read everything again.', {}),
      );
    }
    s.cp.complete = true;
    s.cp.chain = null;
    return finish(s, 'complete');
  }
  if (s.input.maxPages !== null && s.run.pages >= s.input.maxPages) return stop(s, 'stopped_max_pages', `${s.run.pages} page(s)`);
  if (s.run.barrenRestarts > ENGINE_DEFAULTS.maxBarrenRestarts) {
    return fail(
      s,
      engineError('NO_PROGRESS', `${s.run.barrenRestarts} restarts in a row exported nothing new; the API keeps answering the same records.`, {
        ranges: s.cp.ranges.length,
      }),
    );
  }
  if (s.cp.notBeforeServerMs !== null) {
    const waitMs = s.cp.notBeforeServerMs - serverNow(s);
    if (waitMs <= 0) s.cp.notBeforeServerMs = null;
    else if (fits(s, waitMs + s.run.latencyEstimateMs)) {
      s.cp.notBeforeServerMs = null;
      s.health.rateLimitWaitMs += waitMs;
      return sleep(s, waitMs, 'not-before', 'next');
    } else {
      // A wait longer than one run is spread over runs: sleep what fits, keep the rest in the checkpoint.
      const partialMs = (s.input.deadlineAtMs ?? 0) - s.run.nowMs - ENGINE_DEFAULTS.deadlineMarginMs;
      if (partialMs <= 0) return stop(s, 'stopped_rate_limit_wait', `${waitMs} ms of rate-limit wait left`);
      s.health.rateLimitWaitMs += partialMs;
      return sleep(s, partialMs, 'not-before', 'next');
    }
  }
  if (s.slowDownMs > 0) {
    const ms = s.slowDownMs;
    s.slowDownMs = 0;
    if (!fits(s, ms + s.run.latencyEstimateMs)) return stop(s, 'stopped_deadline', 'no time left after slowing down for the rate limit');
    s.health.rateLimitWaitMs += ms;
    return sleep(s, ms, 'slow-down', 'next');
  }
  if (s.cp.chain?.cursor && cursorExpired(s, s.cp.chain.cursor)) {
    s.cp.counters.tokenExpiries++;
    s.health.tokenExpiries++;
    note(s, 'token_expired', `${s.cp.chain.cursor.kind} cursor would expire before the next request; restarting from the watermark`);
    restart(s);
  }
  let limit = Math.min(s.input.pageLimit, s.cp.learnedPageLimit ?? Infinity);
  const cap = depthCap(s, spec);
  const chain: Chain = s.cp.chain ?? {
    cursor: null,
    pages: 0,
    received: 0,
    firstTotal: null,
    lastTotal: null,
    totalMoved: false,
    limit,
    filter: chainFilter(spec, s.input.filter, rangesWithSpans(s.cp.ranges, s.cp.rechecks)),
    lastId: null,
    lastKey: null,
    tail: null,
  };
  const offset = chain.cursor?.kind === 'offset' ? chain.cursor.offset : 0;
  // Offsets shift when records before them are deleted (or inserted) between pages, even when `total`
  // stays the same; asking for the previous page's last record again proves the new page adjacent.
  const overlapId = spec.style === 'offset' && offset > 0 ? chain.lastId : null;
  if (cap !== null) limit = Math.max(1, Math.min(limit, cap - offset));
  if (overlapId) limit = Math.max(1, Math.min(limit, spec.maxLimit - 1));
  // A new chain (an offset window, or any cursor chain before its first page) starts at its watermark
  // inclusively, so it first re-reads the ids already exported there; the engine drops them, unsent.
  const newChain = spec.style === 'offset' ? offset === 0 : chain.cursor === null;
  const known = newChain ? (s.cp.ranges[0]?.from?.ids.length ?? 0) + s.cp.rechecks.reduce((n, span) => n + span.ids.length, 0) : 0;
  if (newChain) {
    // A page that can hold no more than those ids cannot progress, whatever a 500, a small cap or a
    // byte budget taught: ask for at least one record more.
    limit = Math.min(spec.maxLimit, Math.max(limit, known + 1));
  }
  if (spec.style === 'offset' && spec.hydrate && newChain && s.input.maxResponseBytes === null) {
    // Sizing the page so that the new ids fill whole entities batches keeps a batch from being split across two pages.
    const aligned = Math.floor((limit - known) / spec.hydrate.maxIds) * spec.hydrate.maxIds + known;
    if (aligned - known >= spec.hydrate.maxIds) limit = aligned;
  }
  if (s.input.maxResponseBytes !== null) {
    const perItem = s.run.avgItemBytes ?? spec.typicalItemBytes;
    // A fresh run asks for at least one record even when the estimate says none fits: the record's real
    // size then decides (RECORD_TOO_LARGE names the fix), instead of stopping empty-handed in every run.
    const fit = s.run.bytes === 0 ? Math.max(1, Math.floor(s.input.maxResponseBytes / perItem)) : Math.floor((s.input.maxResponseBytes - s.run.bytes) / perItem);
    const fixedScroll = spec.style === 'scroll' && chain.cursor !== null;
    if (fixedScroll && chain.limit > fit && fit >= 1 && s.run.bytes === 0) {
      // A scroll keeps the page size it opened with, sized on an estimate of the record size. When even
      // a fresh run's budget cannot hold one of its pages, waiting for the next run would loop forever:
      // open a new scroll sized to the budget from the watermark.
      note(s, 'page_truncated_to_budget', `a scroll page of ${chain.limit} records does not fit ${s.input.maxResponseBytes} bytes; reopening it with ${fit}`);
      restart(s);
      return next(s);
    }
    if (fit < 1 || (fixedScroll && chain.limit > fit)) return stop(s, 'stopped_byte_budget', `${s.run.bytes} bytes used`);
    // The re-read boundary ids cost no bytes: only the new records are emitted. A scroll keeps its first
    // page size for every page, though, and its later pages re-read nothing: size it for those.
    limit = Math.min(limit, spec.style === 'scroll' ? Math.max(fit, known + 1) : known + fit);
  }
  if (spec.style === 'scroll' && chain.cursor === null) chain.limit = limit;
  const calls = 1 + (spec.hydrate ? Math.ceil(limit / spec.hydrate.maxIds) : 0);
  if (!fits(s, s.run.latencyEstimateMs * calls)) return stop(s, 'stopped_deadline', 'the next page would not finish before the deadline');
  s.cp.chain = chain;
  const requestOffset = overlapId ? offset - 1 : offset;
  const requestLimit = overlapId ? limit + 1 : limit;
  const pending: Pending = {
    purpose: 'page',
    request: pageRequest(spec, chain, requestLimit, requestOffset),
    attempt: 0,
    authRefreshed: false,
    sentAtMs: s.run.nowMs,
    offset: requestOffset,
    limit: requestLimit,
    withCursor: chain.cursor !== null && chain.cursor.kind !== 'offset',
    overlapId,
  };
  return send(s, pending);
}

function send(s: EngineState, pending: Pending): StepOutput {
  const timeoutMs = s.input.deadlineAtMs === null ? s.input.requestTimeoutMs : Math.max(1, Math.min(s.input.requestTimeoutMs, s.input.deadlineAtMs - s.run.nowMs));
  s.pending = { ...pending, sentAtMs: s.run.nowMs };
  s.phase = 'await-http';
  return { state: s, command: { kind: 'http', purpose: pending.purpose, request: pending.request, timeoutMs } };
}

function cursorExpired(s: EngineState, cursor: Cursor): boolean {
  const margin = ENGINE_DEFAULTS.cursorExpiryMarginMs + s.run.latencyEstimateMs;
  switch (cursor.kind) {
    case 'offset':
    case 'next-page':
      return false;
    case 'scroll':
      return cursor.expiresAtServerMs !== null && serverNow(s) + margin > cursor.expiresAtServerMs;
    case 'after':
      return serverNow(s) + margin > cursor.obtainedAtServerMs + s.input.cursorTtlMs;
  }
}

function cursorExpiresAt(s: EngineState, cursor: Cursor | null): number | null {
  if (!cursor) return null;
  switch (cursor.kind) {
    case 'offset':
    case 'next-page':
      return null;
    case 'scroll':
      return cursor.expiresAtServerMs;
    case 'after':
      return cursor.obtainedAtServerMs + s.input.cursorTtlMs;
  }
}

function depthCap(s: EngineState, spec: StreamSpec): number | null {
  if (spec.style !== 'offset') return null;
  const caps = [spec.depthCap, s.cp.learnedDepthCap].filter((c): c is number => c !== null);
  return caps.length ? Math.min(...caps) : null;
}

function serverNow(s: EngineState): number {
  return s.run.nowMs + (s.cp.skewMs ?? 0);
}

function fits(s: EngineState, ms: number): boolean {
  return s.input.deadlineAtMs === null || s.run.nowMs + ms <= s.input.deadlineAtMs;
}

/**
 * Gives up the chain. An `after` cursor may have held back a record of its last page to serve on the next
 * one, out of order: whatever ends the chain, the next query reads that page's span again (a span lies
 * within the ranges its page asked for, so within the export's bound) and keeps what the page did not return.
 */
function dropChain(s: EngineState): void {
  const spec = STREAMS[s.input.stream];
  const tail = s.cp.chain?.tail ?? null;
  s.cp.chain = null;
  if (tail === null || (spec.style !== 'after-body' && spec.style !== 'after-query')) return;
  const rechecks = withSpan(s.cp.rechecks, tail);
  if (rechecks === null) {
    // Not expected from any real answer: spans that cannot be remembered cannot vouch for anything.
    s.cp.orderViolated = true;
    note(s, 'out_of_order', 'the spans to read again behind abandoned cursors do not fit one checkpoint; the export cannot be proven complete');
  }
  s.cp.rechecks = rechecks ?? [];
}

/** Drops the live cursor; the next page query starts a new chain over the remaining ranges. */
function restart(s: EngineState): void {
  dropChain(s);
  s.cp.counters.watermarkRestarts++;
  s.health.watermarkRestarts++;
  s.run.barrenRestarts++;
  note(s, 'watermark_restart', `${s.cp.ranges.length} range(s) from ${describeBound(s.cp.ranges[0]?.from ?? null)}`);
}

function describeBound(bound: Bound | null): string {
  return bound ? `${String(bound.value)} (${bound.ids.length} id(s) already exported)` : 'the beginning';
}

// ---------------------------------------------------------------------------------------------
// Responses

function onResponse(s: EngineState, sent: Pending, status: number, headers: Record<string, string>, body: string): StepOutput {
  const spec = STREAMS[s.input.stream];
  // Any answer other than 401 proves the refreshed token worked; a later 401 (after a long wait) may refresh again.
  const pending = status !== 401 && sent.authRefreshed ? { ...sent, authRefreshed: false } : sent;
  s.pending = pending;
  s.cp.counters.apiCalls++;
  s.health.apiCalls++;
  s.run.latencyEstimateMs = nextLatencyEstimateMs(s.run.latencyEstimateMs, s.run.nowMs - pending.sentAtMs);
  // The server's Date header is the clock cursors and Retryafter live on.
  s.cp.skewMs = skewFromDateMs(serverDateMs(headers), s.run.nowMs) ?? s.cp.skewMs;
  const remaining = rateLimitRemaining(headers);
  if (remaining !== null && status !== 429) {
    s.slowDownMs = slowDownMsFor(remaining) ?? s.slowDownMs;
    if (s.slowDownMs > 0) note(s, 'slow_down', `X-Ratelimit-Remaining ${remaining}`);
  }
  if (status !== 429) s.run.consecutiveRateLimits = 0;

  if (status === 429) return onRateLimited(s, pending, headers);
  if (status === 401) {
    if (pending.authRefreshed) {
      return fail(s, engineError('AUTH_FAILED', 'Falcon refused a freshly issued token (401). Check the API client, its cloud and its CID.', { status }));
    }
    s.pending = { ...pending, authRefreshed: true };
    s.health.authRefreshes++;
    note(s, 'auth_refresh', '401 access denied, invalid bearer token');
    s.phase = 'await-auth';
    s.resume = 'pending';
    return { state: s, command: { kind: 'authenticate', reason: 'Falcon answered 401 (invalid bearer token)' } };
  }
  if (status === 403 && pending.purpose === 'hydrate') {
    // The list call of the same scope just worked, so one 403 on its entities is not a missing scope.
    return retry(
      s,
      'HTTP 403 on the entities call',
      engineError('UNEXPECTED_STATUS', `Falcon kept refusing ${pathOnly(pending.request.path)} with 403 although the list call of the same scope worked; check the API client's IP allowlist and CID.`, { status }),
    );
  }
  if (status >= 300 && status < 400) {
    // Only the token request follows redirects: an API call that is redirected goes to the wrong cloud.
    const location = header(headers, 'location');
    return fail(
      s,
      engineError(
        'API_REDIRECTED',
        `Falcon redirected ${pending.request.method} ${pathOnly(pending.request.path)} (HTTP ${status}${location ? ` to ${originOf(location) ?? 'a relative location'}` : ''}); API calls are not followed: set the API client's cloud (FALCON_CLOUD, CS_CLOUD) to where it lives.`,
        { status, location: location ? (originOf(location) ?? null) : null },
      ),
    );
  }
  if (status === 403) {
    return fail(
      s,
      engineError(
        'SCOPE_MISSING',
        `Falcon refused ${pending.request.method} ${pathOnly(pending.request.path)} with 403 (access denied, authorization failed). Grant the API client the scope "${spec.scope}" (or check its IP allowlist) and run again.`,
        { status, scope: spec.scope, path: pathOnly(pending.request.path) },
      ),
    );
  }
  if (status === 414) {
    return fail(
      s,
      engineError('FILTER_REJECTED', `The gateway refused a ${pending.request.path.length}-character request line (414); shorten the FQL filter.`, {
        status,
        length: pending.request.path.length,
      }),
    );
  }
  // 413 comes from the gateway as an HTML page, so it is recognised before the body is read.
  if (status === 413 && pending.purpose === 'hydrate' && s.hydration && s.hydration.batch.length > 1) {
    const h = s.hydration;
    const half = Math.ceil(h.batch.length / 2);
    s.hydration = { ...h, queue: [...h.batch, ...h.queue], batch: [], batchSize: half };
    note(s, 'hydrate_split', `413 for ${h.batch.length} ids; batches of ${half}`);
    return sendHydrate(s);
  }
  const json = parseJson(body);
  if (!json.ok) {
    note(s, 'non_json_body', `HTTP ${status} with a body that is not JSON`);
    const error = engineError('NON_JSON_BODY', `Falcon answered HTTP ${status} with a body that is not JSON (an HTML error page?).`, { status });
    return status >= 500 || status < 300 ? retry(s, `non-JSON ${status}`, error) : fail(s, error);
  }
  const parsed = envelopeSchema.safeParse(json.value);
  const envelope: Envelope | null = parsed.success ? parsed.data : null;
  const firstError = envelope?.errors?.[0];
  const message = firstError?.message ?? '';

  if (status >= 500) {
    if (spec.style === 'offset' && pending.purpose === 'page' && status === spec.depthCapStatus) {
      // One 500 may be transient; the same 500 twice at this offset is the cap (psfalcon#423).
      if (pending.offset > 0 && pending.attempt >= 1) {
        // What the window served so far (the overlap record included) is what the cap allows.
        const served = pending.offset + (pending.overlapId ? 1 : 0);
        return depthCapHit(s, served, `HTTP ${status} at offset ${pending.offset}`);
      }
      if (pending.attempt >= 1 && pending.limit > 1) {
        // offset + limit over a cap answers the same 500 at offset 0: assume the cap is what fails and
        // keep windows of one page, so the next window does not pay two more 500s to learn it again.
        s.cp.learnedPageLimit = Math.floor(pending.limit / 2);
        s.cp.learnedDepthCap = Math.min(s.cp.learnedPageLimit, s.cp.learnedDepthCap ?? Infinity);
        return depthCapHit(s, null, `HTTP ${status} for limit ${pending.limit} at offset 0; trying limit ${s.cp.learnedPageLimit}`);
      }
    }
    return retry(s, `HTTP ${status}`, engineError('RETRIES_EXHAUSTED', `Falcon kept answering HTTP ${status}: ${message || 'no message'}.`, { status }));
  }
  if (status === 400 && pending.purpose === 'page') {
    const cap = depthCapFromMessage(message);
    if (cap !== null && (s.cp.learnedDepthCap === null || cap < s.cp.learnedDepthCap)) return depthCapHit(s, cap, message);
    if (pending.withCursor) return cursorRefused(s, status, message);
    return fail(
      s,
      engineError('FILTER_REJECTED', `Falcon rejected the query (400: ${message || 'no message'}). Check the FQL filter.`, { status, filter: s.input.filter }),
    );
  }
  if (status === 404 && pending.purpose === 'page' && pending.withCursor) return cursorRefused(s, status, message);
  if (status === 404) {
    return fail(s, engineError('ENDPOINT_NOT_FOUND', `Falcon answered 404 for ${pathOnly(pending.request.path)}: ${message || 'not found'}.`, { status }));
  }
  if (status < 200 || status >= 300) {
    return fail(s, engineError('UNEXPECTED_STATUS', `Falcon answered HTTP ${status}: ${message || 'no message'}.`, { status }));
  }
  if (!envelope) {
    const issue = parsed.success ? undefined : parsed.error.issues[0];
    return fail(
      s,
      engineError('SCHEMA_MISMATCH', `Falcon's answer does not match the expected envelope at "${issue?.path.join('.') ?? '?'}": ${issue?.message ?? ''}.`, {
        status,
      }),
    );
  }
  const errors = (envelope.errors ?? []).filter((e) => !(pending.purpose === 'hydrate' && e.code === 404 && e.id));
  if (errors.length > 0) {
    s.health.errorsIn200++;
    note(s, 'errors_in_200', errors.map((e) => `${e.code} ${e.message}`).join('; ').slice(0, 200));
    const error = engineError('ERRORS_IN_200', `Falcon answered HTTP ${status} with errors: ${errors[0]?.message ?? ''}.`, {
      status,
      code: errors[0]?.code ?? null,
    });
    return errors.some((e) => e.code >= 500 || e.code === 429) ? retry(s, 'errors inside a 200', error) : fail(s, error);
  }
  s.pending = null;
  return pending.purpose === 'page' ? onPage(s, pending, envelope, headers) : onHydrated(s, envelope);
}

function pathOnly(path: string): string {
  return path.split('?')[0] ?? path;
}

function onRateLimited(s: EngineState, pending: Pending, headers: Record<string, string>): StepOutput {
  s.run.consecutiveRateLimits++;
  if (s.run.consecutiveRateLimits > s.input.maxRateLimitWaits) {
    return fail(s, engineError('RATE_LIMIT_EXHAUSTED', `Falcon answered 429 ${s.run.consecutiveRateLimits} times in a row; the CID's 6,000/min pool is exhausted by other clients.`));
  }
  const wait = rateLimitWaitMs(headers, serverNow(s), s.rngSeed, s.run.consecutiveRateLimits);
  s.rngSeed = wait.seed;
  const waitMs = wait.ms;
  note(s, 'rate_limited', `429; waiting ${waitMs} ms (${wait.hinted ? 'X-Ratelimit-Retryafter' : 'no Retryafter header, backoff'})`);
  s.pending = pending;
  let resume: 'pending' | 'next' = 'pending';
  const chain = s.cp.chain;
  const expiresAt = cursorExpiresAt(s, chain?.cursor ?? null);
  if (chain && expiresAt !== null && serverNow(s) + waitMs + ENGINE_DEFAULTS.cursorExpiryMarginMs + s.run.latencyEstimateMs > expiresAt) {
    // Sleeping with the cursor would only buy a failed call: drop it now and restart from the watermark.
    note(s, 'cursor_abandoned_for_wait', `the ${waitMs} ms wait outlives the cursor`);
    s.cp.counters.tokenExpiries++;
    s.health.tokenExpiries++;
    if (s.hydration) {
      // The query page is consumed but its entities are still pending: keep hydrating, end the chain there.
      chain.cursor = null;
      s.hydration = { ...s.hydration, page: { ...s.hydration.page, next: null, chainEnded: true, abandoned: true } };
    } else {
      restart(s);
      resume = 'next';
    }
  }
  if (!fits(s, waitMs + s.run.latencyEstimateMs)) {
    s.cp.notBeforeServerMs = serverNow(s) + waitMs;
    return stop(s, 'stopped_rate_limit_wait', `the ${waitMs} ms wait does not fit the deadline`);
  }
  s.health.rateLimitWaitMs += waitMs;
  return sleep(s, waitMs, 'rate-limit', resume);
}

function depthCapHit(s: EngineState, cap: number | null, detail: string): StepOutput {
  if (cap !== null) s.cp.learnedDepthCap = Math.min(cap, s.cp.learnedDepthCap ?? Infinity);
  s.cp.counters.depthCapRewindows++;
  s.health.depthCapRewindows++;
  s.run.barrenRestarts++;
  note(s, 'depth_cap_hit', detail);
  s.cp.chain = null;
  s.pending = null;
  return next(s);
}

function cursorRefused(s: EngineState, status: number, message: string): StepOutput {
  s.cp.counters.tokenExpiries++;
  s.health.tokenExpiries++;
  note(s, isExpiredContextMessage(message) ? 'token_expired' : 'cursor_refused', `${status} ${message || 'cursor refused'}`);
  s.pending = null;
  restart(s);
  return next(s);
}

function retry(s: EngineState, reason: string, error: EngineError): StepOutput {
  const pending = s.pending;
  if (!pending) return fail(s, error);
  const attempt = pending.attempt + 1;
  if (attempt > s.input.maxRetries) return fail(s, { ...error, context: { ...error.context, attempts: attempt } });
  const delayMs = jitter(s, attempt);
  if (!fits(s, delayMs + s.run.latencyEstimateMs)) return stop(s, 'stopped_deadline', `a retry after ${reason} does not fit the deadline`);
  s.pending = { ...pending, attempt };
  s.health.retries++;
  note(s, 'retry', `${reason}; attempt ${attempt} of ${s.input.maxRetries} in ${delayMs} ms`);
  return sleep(s, delayMs, 'backoff', 'pending');
}

function jitter(s: EngineState, attempt: number): number {
  const backoff = fullJitterMs(s.rngSeed, attempt);
  s.rngSeed = backoff.seed;
  return backoff.ms;
}

// ---------------------------------------------------------------------------------------------
// Pages

function onPage(s: EngineState, pending: Pending, envelope: Envelope, headers: Record<string, string>): StepOutput {
  const spec = STREAMS[s.input.stream];
  const chain = s.cp.chain;
  if (!chain) return protocolError(s, 'http-response', 'a page without a chain');
  let resources = envelope.resources ?? [];
  let requestOffset = pending.offset;
  if (pending.overlapId !== null) {
    if (resources[0] !== pending.overlapId) {
      note(s, 'window_shifted', `offset ${pending.offset} no longer starts with the previous page's last record; re-windowing`);
      s.pending = null;
      restart(s);
      return next(s);
    }
    resources = resources.slice(1);
    requestOffset = pending.offset + 1;
  }
  if (s.cp.boundServerMs === null) boundExport(s, spec);
  const pagination = envelope.meta.pagination;
  const total = typeof pagination?.total === 'number' ? pagination.total : null;
  if (s.cp.totalAtStart === null && total !== null) {
    s.cp.totalAtStart = total;
    s.health.totalAtStart = total;
    s.health.optimalCalls = optimalCalls(spec, total);
  }
  let nextCursor: Cursor | null = null;
  let chainEnded = false;
  switch (spec.style) {
    case 'offset':
      break;
    case 'scroll': {
      const token = typeof pagination?.offset === 'string' ? pagination.offset : '';
      chainEnded = token === '' || resources.length === 0;
      if (!chainEnded) {
        const ns = pagination?.expires_at;
        // expires_at is epoch nanoseconds (a J1 client compared it with milliseconds and never saw expiry).
        nextCursor = { kind: 'scroll', token, expiresAtServerMs: typeof ns === 'number' ? Math.floor(ns / 1e6) : null };
      }
      break;
    }
    case 'after-query':
    case 'after-body': {
      const token = pagination?.[afterTokenOf(spec).field] ?? '';
      chainEnded = !token;
      if (!chainEnded) nextCursor = { kind: 'after', token, obtainedAtServerMs: serverNow(s) };
      break;
    }
    case 'marker': {
      const link = header(headers, 'next-page');
      const path = link ? safeNextPage(s, spec, link) : null;
      if (link && !path) note(s, 'next_page_refused', 'Next-Page points outside the API origin or the stream; using the _marker filter');
      chainEnded = path === null || resources.length === 0;
      if (!chainEnded && path) nextCursor = { kind: 'next-page', path };
      break;
    }
  }
  const facts: PageFacts = {
    returned: resources.length,
    asked: askedFor(spec, chain, pending),
    total,
    next: nextCursor,
    chainEnded,
    requestOffset,
    adjacent: chain.pages === 0 || spec.style === 'marker' || pending.overlapId !== null,
    lastId: typeof resources[resources.length - 1] === 'string' ? (resources[resources.length - 1] as string) : null,
    markerWithoutLink: spec.style === 'marker' && header(headers, 'next-page') === undefined,
    abandoned: false,
    knownKeys: [],
  };
  if (spec.hydrate) {
    const ids = resources.filter((r): r is string => typeof r === 'string');
    if (ids.length !== resources.length) {
      return fail(s, engineError('SCHEMA_MISMATCH', `${spec.path} returned objects where ids were expected.`, {}));
    }
    // Ids at a bound were exported already; hydrating them again would only be dropped.
    const known = new Map<string, WatermarkValue>();
    for (const r of s.cp.ranges) for (const b of [r.from, r.to]) if (b) for (const id of b.ids) known.set(id, b.value);
    const unique = [...new Set(ids)];
    const queue = unique.filter((id) => !known.has(id));
    for (const id of unique) {
      const value = known.get(id);
      if (value !== undefined) facts.knownKeys.push({ value, id });
    }
    const skipped = ids.length - queue.length;
    if (skipped > 0) {
      s.cp.counters.duplicatesDropped += skipped;
      s.health.duplicatesDropped += skipped;
    }
    if (queue.length === 0) return finishPage(s, [], facts);
    s.hydration = { queue, batch: [], batchSize: spec.hydrate.maxIds, collected: [], retried: [], page: facts };
    return sendHydrate(s);
  }
  const items = resources.filter((r): r is Item => typeof r === 'object' && r !== null);
  if (items.length !== resources.length) {
    return fail(s, engineError('SCHEMA_MISMATCH', `${spec.path} returned ids where records were expected.`, {}));
  }
  return finishPage(s, items, facts);
}

/**
 * Fixes the export's upper bound at the server's clock (one second later, for the Date header's
 * resolution), mapped to the watermark: records created after the export started belong to the next
 * incremental export, so an export ends even while its stream grows faster than it can be read.
 */
function boundExport(s: EngineState, spec: StreamSpec): void {
  const atMs = serverNow(s) + 1000;
  s.cp.boundServerMs = atMs;
  const value = watermarkAtTime(spec, atMs);
  if (value === null) return;
  s.cp.ranges = capRanges(s.cp.ranges, { value, ids: [] });
  note(s, 'export_bounded', `${spec.watermarkField} up to ${value}`);
}

/** How many records a page request asked for (the overlap record aside): a page with fewer is the data's own end signal. */
function askedFor(spec: StreamSpec, chain: Chain, pending: Pending): number {
  if (spec.style === 'scroll') return chain.limit;
  if (chain.cursor?.kind === 'next-page') {
    // A Next-Page link carries the limit of the request it continues.
    const linked = /[?&]limit=(\d+)/.exec(pending.request.path)?.[1];
    if (linked !== undefined) return Number(linked);
  }
  return pending.overlapId !== null ? pending.limit - 1 : pending.limit;
}

function safeNextPage(s: EngineState, spec: StreamSpec, link: string): string | null {
  let path = link.trim();
  const origin = originOf(path);
  if (origin) {
    if (!s.input.apiOrigin || origin !== s.input.apiOrigin) return null;
    path = path.slice(origin.length);
  }
  return nextPagePathPlausible(spec, path) ? path : null;
}

function sendHydrate(s: EngineState): StepOutput {
  const spec = STREAMS[s.input.stream];
  const h = s.hydration;
  if (!h) return protocolError(s, 'hydrate', 'no hydration');
  if (!fits(s, s.run.latencyEstimateMs)) return stop(s, 'stopped_deadline', 'the entities call would not finish before the deadline');
  const batch = h.queue.slice(0, h.batchSize);
  s.hydration = { ...h, batch, queue: h.queue.slice(batch.length) };
  return send(s, {
    purpose: 'hydrate',
    request: hydrateRequest(spec, batch),
    attempt: 0,
    authRefreshed: false,
    sentAtMs: s.run.nowMs,
    offset: 0,
    limit: batch.length,
    withCursor: false,
    overlapId: null,
  });
}

function onHydrated(s: EngineState, envelope: Envelope): StepOutput {
  const h = s.hydration;
  if (!h) return protocolError(s, 'http-response', 'entities without a hydration');
  const spec = STREAMS[s.input.stream];
  const asked = new Set(h.batch);
  const items = (envelope.resources ?? []).filter((r): r is Item => typeof r === 'object' && r !== null && asked.has(String(r[spec.idField])));
  // Complete means every listed record was received: an id the answer leaves out without a 404 naming it
  // (a record deleted meanwhile) was withheld, not deleted, and is asked for again.
  const received = new Set(items.map((item) => String(item[spec.idField])));
  const deleted = new Set((envelope.errors ?? []).filter((e) => e.code === 404 && e.id !== undefined).map((e) => e.id as string));
  const missing = h.batch.filter((id) => !received.has(id) && !deleted.has(id));
  if (missing.length > 0) {
    const again = missing.filter((id) => h.retried.includes(id));
    note(s, 'entities_missing', `${missing.length} of ${h.batch.length} ids left out of the entities answer${again.length > 0 ? `, ${again.length} of them again` : ''}`);
    if (again.length === 0) {
      s.hydration = { ...h, queue: [...missing, ...h.queue], batch: [], collected: [...h.collected, ...items], retried: [...h.retried, ...missing] };
      return sendHydrate(s);
    }
    // Deleted meanwhile, or withheld: a new query from the watermark tells them apart (a deleted record is
    // not listed again). The page is not exported, so its ids stay pending and nothing is lost or repeated;
    // an API that keeps withholding them ends in NO_PROGRESS, never in complete.
    s.hydration = null;
    s.pending = null;
    restart(s);
    return next(s);
  }
  s.hydration = { ...h, batch: [], collected: [...h.collected, ...items] };
  if (s.hydration.queue.length > 0) return sendHydrate(s);
  s.hydration = null;
  return finishPage(s, [...h.collected, ...items], h.page);
}

function keyOf(spec: StreamSpec, item: Item): { value: WatermarkValue; id: string } | null {
  const value = item[spec.watermarkField];
  const id = item[spec.idField];
  if (typeof id !== 'string' || (typeof value !== 'string' && typeof value !== 'number')) return null;
  return { value, id };
}

function boundAt(keys: ReadonlyArray<{ value: WatermarkValue; id: string }>, value: WatermarkValue): Bound {
  return { value, ids: keys.filter((k) => compareValues(k.value, value) === 0).map((k) => k.id) };
}

function finishPage(s: EngineState, rawItems: Item[], facts: PageFacts): StepOutput {
  const spec = STREAMS[s.input.stream];
  const keyed: Array<{ item: Item; value: WatermarkValue; id: string }> = [];
  for (const item of rawItems) {
    const key = keyOf(spec, item);
    if (!key) {
      return fail(
        s,
        engineError('SCHEMA_MISMATCH', `A ${spec.name} record lacks "${spec.idField}" or "${spec.watermarkField}"; the watermark cannot be kept.`, {}),
      );
    }
    keyed.push({ item, ...key });
  }
  keyed.sort(compareKeys);
  const before = s.cp.ranges;
  const queried = rangesWithSpans(before, s.cp.rechecks);
  const firstOfChain = (s.cp.chain?.pages ?? 0) === 0;
  const exportedBefore = [...s.cp.rechecks, ...boundSpans(before)];
  const seen = new Set<string>();
  const order = orderCheck(s);
  let accepted = keyed.filter((k) => {
    if (seen.has(k.id)) return false;
    if (!inRanges(before, k.value, k.id)) {
      const verdict = order.judge(k);
      if (verdict !== 'new') return false;
      note(s, 'out_of_order', `${k.id} came after records it sorts behind; it was never exported, so it is kept`);
    }
    seen.add(k.id);
    return true;
  });
  if (order.violated) {
    s.cp.orderViolated = true;
    note(s, 'out_of_order', 'a record came back behind the chain with no way to tell whether it was exported; the export cannot be proven complete');
  }
  let dropped = keyed.length - accepted.length;

  // Byte budget: keep the prefix that fits; the rest stays in the ranges and the cursor is given up.
  /** Size of the first record that did not fit; null while everything fits. */
  let overflowSize: number | null = null;
  let emitted: unknown[] = [];
  let bytes = 0;
  const sizes: number[] = [];
  if (s.run.absentFields.length > 0) {
    // A projected field no record has is most likely a typo: say so once the run ends.
    s.run = { ...s.run, absentFields: s.run.absentFields.filter((path) => !accepted.some((k) => hasPath(k.item, path))) };
  }
  for (const k of accepted) {
    const projected = project(s.input.fields, spec, k.item);
    const size = JSON.stringify(projected).length + 1;
    if (s.input.maxResponseBytes !== null && s.run.bytes + bytes + size > s.input.maxResponseBytes) {
      overflowSize = size;
      break;
    }
    emitted.push(projected);
    sizes.push(size);
    bytes += size;
  }
  const truncated = overflowSize !== null;
  if (overflowSize !== null && emitted.length === 0) {
    const firstSize = overflowSize;
    // The estimate was too low: remember what a record really costs so the next page is sized by it.
    s.run.avgItemBytes = Math.max(s.run.avgItemBytes ?? 0, firstSize);
    // A record kept out of order lies outside the ranges: the span that vouched for it is read again.
    dropChain(s);
    if (s.run.bytes === 0) {
      return fail(
        s,
        engineError(
          'RECORD_TOO_LARGE',
          `One ${spec.name} record takes ${firstSize} bytes, more than the whole response budget of ${s.input.maxResponseBytes} (--max-bytes, max_response_bytes); project records with fields or raise the budget.`,
          { bytes: firstSize, budget: s.input.maxResponseBytes },
        ),
      );
    }
    return stop(s, 'stopped_byte_budget', `the next record (${firstSize} bytes) does not fit the ${(s.input.maxResponseBytes ?? 0) - s.run.bytes} bytes left`);
  }
  // Records a page returned count towards its coverage even when they were not hydrated again.
  let coveredKeys: Array<{ value: WatermarkValue; id: string }> = facts.knownKeys.length
    ? [...keyed, ...facts.knownKeys].sort(compareKeys)
    : keyed;
  if (truncated) {
    const kept = accepted.slice(0, emitted.length);
    const last = kept[kept.length - 1];
    accepted = kept;
    dropped = 0;
    coveredKeys = last ? coveredKeys.filter((k) => compareValues(k.value, last.value) < 0 || kept.some((c) => c.id === k.id)) : [];
    emitted = emitted.slice(0, kept.length);
    note(s, 'page_truncated_to_budget', `${kept.length} of ${keyed.length} records fit the response budget`);
  }
  const first = coveredKeys[0];
  const last = coveredKeys[coveredKeys.length - 1];
  if (last && first) {
    // Unless a page is known to follow the previous one, a page may have gone missing in between (a
    // scroll shared with another worker, an after context that skipped): such a page is subtracted on
    // its own, and the gap before it stays pending for the next restart.
    const coverage: Coverage = { first: facts.adjacent ? null : boundAt(coveredKeys, first.value), last: boundAt(coveredKeys, last.value) };
    const narrowed = subtractCoverage(s.cp.ranges, coverage);
    // Progress is new records or a smaller remainder; restarts without either are what NO_PROGRESS counts.
    if (JSON.stringify(narrowed) !== JSON.stringify(s.cp.ranges)) s.run.barrenRestarts = 0;
    s.cp.ranges = narrowed;
  }
  const pageLast = keyed[keyed.length - 1];
  // A short page is the end only where the cursor ended too: a page short of a held-back record is not.
  // A page cut to the byte budget read through what it kept: spans up to its last kept record are done
  // (records tied with it that were cut stay in the ranges), or every run of a small budget would
  // carry them on and merge them until they no longer fit a checkpoint.
  const readTo = truncated ? (accepted[accepted.length - 1]?.value ?? null) : pageLast === undefined ? null : facts.returned < facts.asked && facts.chainEnded ? 'end' : pageLast.value;
  settleRechecks(s, accepted, readTo);
  for (const k of accepted) s.cp.high = raiseHigh(s.cp.high, k.value, k.id);
  if (accepted.length > 0) s.run.barrenRestarts = 0;
  s.cp.counters.items += accepted.length;
  s.cp.counters.pages++;
  s.cp.counters.duplicatesDropped += dropped;
  s.health.items += accepted.length;
  s.health.pages++;
  s.health.duplicatesDropped += dropped;
  note(s, 'page', `${accepted.length} new record(s)${dropped > 0 ? `, ${dropped} already exported` : ''}`);
  s.run.pages++;
  s.run.bytes += bytes;
  if (sizes.length > 0) {
    const avg = bytes / sizes.length;
    s.run.avgItemBytes = s.run.avgItemBytes === null ? avg : Math.round(0.5 * s.run.avgItemBytes + 0.5 * avg);
  }
  if (largestBound(s.cp.ranges) > MAX_BOUND_IDS) {
    return fail(
      s,
      engineError('NO_PROGRESS', `More than ${MAX_BOUND_IDS} records share one ${spec.watermarkField} value; the watermark cannot move past them.`, {}),
    );
  }
  if (truncated) {
    // The cursor moved past the records cut off; what the kept prefix vouches for is read again with them.
    const lastKept = accepted[accepted.length - 1];
    rememberPage(s, lastKept ? keyed.filter((k) => compareKeys(k, lastKept) <= 0) : [], queried, firstOfChain, exportedBefore);
    dropChain(s);
  } else {
    rememberPage(s, keyed, queried, firstOfChain, exportedBefore);
    advanceChain(s, spec, facts, accepted.length, last?.value ?? null);
  }
  const checkpoint = checkpointString(s);
  s.phase = 'await-emit';
  s.emitting = { checkpoint, items: accepted.length, dropped };
  s.health.exportItems = s.cp.counters.items;
  s.health.exportApiCalls = s.cp.counters.apiCalls;
  return { state: s, command: { kind: 'emit', items: emitted, checkpoint, bytes } };
}

/**
 * The end-of-export proof. A cursor's end signal and `total` are evidence, not truth: an export ends only
 * when the data agrees. Either a fresh query over everything that remains answered fewer records than
 * asked, none of them new, and a total that does not say more (the proof every cursor style ends with),
 * or a short page of an offset window whose pages were proven adjacent by their overlap records, in a
 * window whose total never moved. Anything else restarts from the watermark, which is that query.
 */
function advanceChain(s: EngineState, spec: StreamSpec, facts: PageFacts, accepted: number, lastValue: WatermarkValue | null): void {
  const chain = s.cp.chain;
  if (!chain || facts.abandoned) {
    dropChain(s);
    return;
  }
  const fresh = chain.pages === 0;
  chain.pages++;
  chain.received += facts.returned;
  if (chain.firstTotal === null) chain.firstTotal = facts.total;
  if (facts.total !== null && chain.lastTotal !== null && facts.total !== chain.lastTotal && !chain.totalMoved) {
    note(s, 'total_changed', `total went from ${chain.lastTotal} to ${facts.total} within one chain`);
    chain.totalMoved = true;
  }
  if (facts.total !== null) chain.lastTotal = facts.total;
  const short = facts.returned < facts.asked;
  const totalSaysMore = facts.total !== null && facts.total > facts.returned;
  // An `after` page short of a record the server held back still carries its token: only a cursor's
  // end makes a short page the data's word.
  const cursorGoesOn = (spec.style === 'after-body' || spec.style === 'after-query') && !facts.chainEnded;
  if (fresh && short && accepted === 0 && !totalSaysMore && !cursorGoesOn) {
    endExport(s);
    return;
  }

  if (spec.style === 'offset') {
    const nextOffset = facts.requestOffset + facts.returned;
    chain.lastId = facts.lastId ?? chain.lastId;
    if (short) {
      if (facts.total !== null && nextOffset < facts.total) {
        // Fewer records than asked while `total` says more remain: a sparse page, or a total that lies high.
        s.cp.counters.tokenMissingMidRun++;
        s.health.tokenMissingMidRun++;
        note(s, 'token_missing_mid_run', `${facts.returned} of ${facts.asked} records at offset ${facts.requestOffset} of ${facts.total}`);
        restart(s);
        return;
      }
      if (chain.totalMoved) {
        // `total` changed within the window, so it cannot back the short page: the data must.
        confirmEnd(s, 'total moved during the window');
        return;
      }
      // Every page of the window was proven adjacent to the one before, and this one came back short.
      endExport(s);
      return;
    }
    const cap = depthCap(s, spec);
    // Near the cap a new window from the watermark costs no more than a short tail page and reads more.
    // Farther away (pages cut short by a byte budget) the window goes on with a limit clamped to the cap:
    // re-windowing after every short page would re-read the boundary and never get past it.
    const fullPage = Math.min(s.input.pageLimit, s.cp.learnedPageLimit ?? Infinity);
    if (cap !== null && cap - nextOffset < Math.max(1, Math.floor(fullPage / 2))) {
      s.cp.counters.depthCapRewindows++;
      s.health.depthCapRewindows++;
      note(s, 'depth_cap_rewindow', `offset ${nextOffset} + limit would pass the ${cap} cap; new window from the watermark`);
      // A window that only re-reads exported boundary ids (more ties than the cap holds) makes no progress.
      s.run.barrenRestarts++;
      s.cp.chain = null;
      return;
    }
    chain.cursor = { kind: 'offset', offset: nextOffset };
    return;
  }

  if (!facts.chainEnded && !(spec.style === 'scroll' && short)) {
    if (facts.next?.kind === 'after' && chain.cursor?.kind === 'after' && facts.next.token === chain.cursor.token && accepted === 0) {
      // The same token again with nothing new: following it would ask for the same page forever.
      note(s, 'cursor_refused', 'the cursor did not advance; asking from the watermark');
      restart(s);
      return;
    }
    if (lastValue !== null && pastEveryRange(s.cp.ranges, lastValue)) {
      // The cursor walks on through records newer than the export's bound, while gaps it left behind are
      // still pending: a query over what remains (bounded) gets them, instead of following the tail forever.
      dropChain(s);
      note(s, 'watermark_restart', `the cursor passed every remaining range at ${String(lastValue)}`);
      return;
    }
    chain.cursor = facts.next;
    if (rangeFilterTooLong(spec, s.cp.ranges)) dropChain(s);
    return;
  }
  chain.cursor = null;
  if (spec.style === 'after-body' || spec.style === 'after-query') {
    // A short last page without a cursor and with an agreeing total can all be staged (a record held back
    // out of order, a cursor that vanishes, a total that agrees), so an `after` chain, too, ends only when
    // the fresh query from the watermark finds nothing left.
    const expected = facts.total;
    if (expected !== null && chain.received < expected) {
      s.cp.counters.tokenMissingMidRun++;
      s.health.tokenMissingMidRun++;
      note(s, 'token_missing_mid_run', `cursor ended after ${chain.received} of ${expected} records`);
      restart(s);
      return;
    }
    confirmEnd(s, chain.totalMoved ? 'total moved during the chain' : 'the cursor ended');
    return;
  }
  if (spec.style === 'marker' && facts.markerWithoutLink && facts.returned > 0 && !short) {
    if (s.health.timeline.every((e) => e.kind !== 'marker_fallback')) note(s, 'marker_fallback', 'no Next-Page header; continuing with the _marker filter');
    s.cp.chain = null;
    return;
  }
  // What `total` counts differs by style: a scroll's snapshot, and for intel the filter of the one request.
  const expected = spec.style === 'scroll' ? chain.firstTotal : facts.total;
  const received = spec.style === 'scroll' ? chain.received : facts.returned;
  if (facts.chainEnded && expected !== null && received < expected) {
    s.cp.counters.tokenMissingMidRun++;
    s.health.tokenMissingMidRun++;
    note(s, 'token_missing_mid_run', `cursor ended after ${received} of ${expected} records`);
    restart(s);
    return;
  }
  confirmEnd(s, spec.style === 'scroll' ? 'the scroll ended' : 'the Next-Page walk ended');
}

/** Whether `value` lies above every remaining range (each bounded above): nothing left is at or after it. */
function pastEveryRange(ranges: readonly KeyRange[], value: WatermarkValue): boolean {
  return ranges.length > 0 && ranges.every((r) => r.to !== null && compareValues(value, r.to.value) > 0);
}

/**
 * Judges a record that is not in the remaining ranges. A record in the span a restart reads again (the
 * last page of an abandoned `after` chain) is new unless that page returned it. In a chain's continuation
 * page, a record that sorts behind the previous page's last key came out of order: it is new when the
 * previous page vouches for its watermark and did not return it; a duplicate when that page did, or when
 * it is a range bound's known id. Anything else behind the chain cannot be told apart and marks the
 * export as unprovable, instead of being dropped as "already exported" while the export ends complete.
 */
function orderCheck(s: EngineState): { judge(k: { value: WatermarkValue; id: string }): 'new' | 'duplicate'; violated: boolean } {
  const chain = s.cp.chain;
  const rechecks = s.cp.rechecks;
  const boundIds = new Set(s.cp.ranges.flatMap((r) => [...(r.from?.ids ?? []), ...(r.to?.ids ?? [])]));
  const check = {
    violated: false,
    judge(k: { value: WatermarkValue; id: string }): 'new' | 'duplicate' {
      if (boundIds.has(k.id)) return 'duplicate';
      const recheck = rechecks.find((span) => spanCovers(span, k.value));
      if (recheck) return recheck.ids.includes(idHash(k.id)) ? 'duplicate' : 'new';
      if (!chain || chain.pages === 0 || chain.lastKey === null) return 'duplicate';
      if (compareKeys(k, chain.lastKey) >= 0) return 'duplicate';
      if (chain.tail !== null && chain.tail.ids.includes(idHash(k.id))) return 'duplicate';
      if (chain.tail !== null && spanCovers(chain.tail, k.value)) return 'new';
      check.violated = true;
      return 'duplicate';
    },
  };
  return check;
}

/** What the next page of the chain is judged against: this page's last key and the span it vouches for. */
function rememberPage(
  s: EngineState,
  keyed: ReadonlyArray<{ value: WatermarkValue; id: string }>,
  queried: readonly KeyRange[],
  firstOfChain: boolean,
  exportedBefore: readonly VouchedSpan[],
): void {
  const chain = s.cp.chain;
  const last = keyed[keyed.length - 1];
  if (!chain || !last) return;
  chain.lastKey = chain.lastKey !== null && compareKeys(chain.lastKey, last) > 0 ? chain.lastKey : { value: last.value, id: last.id };
  chain.tail = vouchedSpanOf(keyed, queried, firstOfChain, exportedBefore);
}

/** Spans read again that this page read through are done; the others learn the records it exported. */
function settleRechecks(s: EngineState, exported: ReadonlyArray<{ value: WatermarkValue; id: string }>, readTo: WatermarkValue | 'end' | null): void {
  if (s.cp.rechecks.length === 0) return;
  const rechecks = settleSpans(s.cp.rechecks, exported, readTo);
  if (rechecks === null) {
    s.cp.orderViolated = true;
    note(s, 'out_of_order', 'the spans to read again do not fit one checkpoint; the export cannot be proven complete');
  }
  s.cp.rechecks = rechecks ?? [];
}

function endExport(s: EngineState): void {
  s.cp.ranges = [];
  s.cp.chain = null;
  s.cp.rechecks = [];
}

/** The end signal needs the data's word: the next request is a fresh query from the watermark (not counted as a restart: it is how an export ends). */
function confirmEnd(s: EngineState, why: string): void {
  dropChain(s);
  // Proof queries that keep finding nothing new yet never end count as no progress (NO_PROGRESS), not a loop.
  s.run.barrenRestarts++;
  note(s, 'end_unproven', `${why}; one query from the watermark confirms nothing is left`);
}

/** Gap ranges pile up while a chain runs; re-anchoring before they get long keeps the restart's URL short. */
function rangeFilterTooLong(spec: StreamSpec, ranges: readonly KeyRange[]): boolean {
  return ranges.length > 1 && rangesFilter(spec.watermarkField, spec.watermarkKind, ranges).length > ENGINE_DEFAULTS.maxRangeFilterChars;
}

function hasPath(item: Item, path: string): boolean {
  let source: unknown = item;
  for (const part of path.split('.')) {
    if (source === null || typeof source !== 'object' || !Object.hasOwn(source, part)) return false;
    source = (source as Item)[part];
  }
  return true;
}

/**
 * Copies the named fields of a record into a new object. Only a record's own fields are read, and the
 * copy has no prototype: a record that carries a `__proto__` key (JSON.parse makes it an own field)
 * cannot reach Object.prototype of a warm function through a projection (the paths are checked too).
 */
function project(fields: string[] | null, spec: StreamSpec, item: Item): unknown {
  if (!fields) return item;
  const out = Object.create(null) as Item;
  for (const path of [spec.idField, ...fields]) {
    const parts = path.split('.');
    let source: unknown = item;
    for (const part of parts) source = source !== null && typeof source === 'object' && Object.hasOwn(source, part) ? (source as Item)[part] : undefined;
    if (source === undefined) continue;
    let target = out;
    parts.forEach((part, i) => {
      if (i === parts.length - 1) target[part] = source;
      else {
        const existing = Object.hasOwn(target, part) ? target[part] : undefined;
        target = (existing !== null && typeof existing === 'object' ? existing : (target[part] = Object.create(null))) as Item;
      }
    });
  }
  return out;
}

export function optimalCalls(spec: StreamSpec, total: number): number {
  // An offset window ends on a page with fewer records than asked (a full last page needs one more, empty,
  // page); a cursor chain ends with one more query from the watermark that finds nothing left.
  const size = maxPageSize(spec);
  const pages = spec.style === 'offset' ? Math.floor(total / size) + 1 : Math.ceil(total / size) + 1;
  return pages + (spec.hydrate ? Math.ceil(total / spec.hydrate.maxIds) : 0);
}

// ---------------------------------------------------------------------------------------------
// Ending a run

function sleep(s: EngineState, ms: number, reason: 'rate-limit' | 'backoff' | 'slow-down' | 'not-before', resume: 'pending' | 'next'): StepOutput {
  s.phase = 'await-sleep';
  s.resume = resume;
  return { state: s, command: { kind: 'sleep', ms, reason } };
}

type StopKind = 'stopped_deadline' | 'stopped_max_pages' | 'stopped_byte_budget' | 'stopped_rate_limit_wait';

const BUDGET_OF_STOP: Readonly<Record<StopKind, Extract<StopReason, { kind: 'budget' }>['budget']>> = {
  stopped_deadline: 'deadline',
  stopped_max_pages: 'max_pages',
  stopped_byte_budget: 'byte_budget',
  stopped_rate_limit_wait: 'rate_limit_wait',
};

function stop(s: EngineState, kind: StopKind, detail: string): StepOutput {
  note(s, kind, detail);
  return finish(s, 'has_more', null, { kind: 'budget', budget: BUDGET_OF_STOP[kind] });
}

function fail(s: EngineState, error: EngineError): StepOutput {
  note(s, 'failed', `${error.code}: ${error.message}`);
  return finish(s, `failed:${error.code}`, error, { kind: 'failed', code: error.code, retryable: retryableFailure(error.code) });
}

/** What a sink call took for one page, counted in the run's health. */
function countSink(s: EngineState, sink: SinkReport): void {
  s.health.ingestCalls += sink.calls;
  s.health.ingestRetries += sink.retries;
  s.health.ingestedEvents += sink.events;
  s.health.ingestBytes += sink.bytes;
  for (const line of sink.notes) note(s, 'ingest_retry', line);
}

/**
 * The host could not store the page it was handed. Its checkpoint never becomes valid: the run ends at
 * the last one whose records were stored, and the page is not counted as exported.
 */
function failUnstored(s: EngineState, error: EngineError): StepOutput {
  const page = s.emitting;
  s.emitting = null;
  if (page !== null) {
    // The state's own counters already hold the page; they are read for the health below and then dropped.
    s.health.items -= page.items;
    s.health.pages -= 1;
    s.health.duplicatesDropped -= page.dropped;
    s.cp.counters.items -= page.items;
  }
  note(s, 'failed', `${error.code}: ${error.message}`);
  return finish(s, `failed:${error.code}`, error, { kind: 'failed', code: error.code, retryable: retryableFailure(error.code) }, s.ackedCheckpoint);
}

function finish(
  s: EngineState,
  verdict: Verdict,
  error: EngineError | null = null,
  reason: StopReason = { kind: 'complete' },
  /** The checkpoint to resume from when it is not the current state's (a page the host did not store). */
  resumeFrom: string | null = null,
): StepOutput {
  if (s.run.absentFields.length > 0 && s.health.items > 0) {
    note(s, 'fields_absent', `${s.run.absentFields.join(', ')} appeared in none of the ${s.health.items} records; check the field names`);
  }
  if (s.hydration) {
    // A query page whose entities did not all arrive was consumed without being exported: its ids stay
    // in the ranges, and the cursor that moved past them is given up.
    s.hydration = null;
    s.cp.chain = null;
  }
  if (verdict === 'complete') note(s, 'complete', `${s.cp.counters.items} records in ${s.cp.counters.apiCalls} calls`);
  s.pending = null;
  s.phase = 'done';
  s.health.endedAtMs = s.run.nowMs;
  s.health.verdict = verdict;
  s.health.exportItems = s.cp.counters.items;
  s.health.exportApiCalls = s.cp.counters.apiCalls;
  // Every page before this checkpoint was emitted and acknowledged and nothing after it was, so it is
  // where the next run starts, whatever stopped this one.
  const checkpoint = resumeFrom ?? checkpointString(s);
  const result: RunResult = {
    verdict,
    hasMore: verdict === 'has_more' ? 'true' : 'false',
    checkpoint,
    resume: { safe: true, checkpoint },
    stop: reason,
    health: s.health,
    error,
  };
  s.result = result;
  return { state: s, command: { kind: 'done', result } };
}

function checkpointString(s: EngineState): string {
  s.cp.seq++;
  return encodeCheckpoint(s.cp, s.input.checkpointKeys);
}

function note(s: EngineState, kind: HealthEventKind, detail: string): void {
  s.health = appendEvent(s.health, { atMs: s.run.nowMs, kind, detail });
}

/** Shallow copies of every object a step may change, so the caller's state stays untouched. */
function draft(state: EngineState, nowMs: number): EngineState {
  return {
    ...state,
    input: state.input,
    cp: {
      ...state.cp,
      counters: { ...state.cp.counters },
      chain: state.cp.chain ? { ...state.cp.chain } : null,
    },
    run: { ...state.run, nowMs: Math.max(nowMs, state.run.nowMs) },
    health: { ...state.health },
  };
}

/** A run that never started (bad input, refused checkpoint): nothing was requested and nothing is written. */
function bareFailure(rawInput: unknown, error: EngineError): StepOutput {
  const raw = typeof rawInput === 'object' && rawInput !== null ? (rawInput as Record<string, unknown>) : {};
  const stream = typeof raw.stream === 'string' && isStreamName(raw.stream) ? raw.stream : null;
  const health: HealthRecord = {
    stream,
    runId: typeof raw.runId === 'string' ? raw.runId : '',
    sessionId: typeof raw.sessionId === 'string' ? raw.sessionId : '',
    startedAtMs: 0,
    endedAtMs: 0,
    verdict: `failed:${error.code}`,
    pages: 0,
    items: 0,
    totalAtStart: null,
    duplicatesDropped: 0,
    apiCalls: 0,
    retries: 0,
    rateLimitWaitMs: 0,
    tokenMissingMidRun: 0,
    tokenExpiries: 0,
    watermarkRestarts: 0,
    depthCapRewindows: 0,
    authRefreshes: 0,
    errorsIn200: 0,
    ingestCalls: 0,
    ingestRetries: 0,
    ingestedEvents: 0,
    ingestBytes: 0,
    exportItems: 0,
    exportApiCalls: 0,
    optimalCalls: null,
    timeline: [],
    timelineDropped: 0,
  };
  const result: RunResult = {
    verdict: `failed:${error.code}`,
    hasMore: 'false',
    checkpoint: null,
    resume: { safe: false, reason: 'input_refused' },
    stop: { kind: 'failed', code: error.code, retryable: false },
    health,
    error,
  };
  const state = { phase: 'done', result } as unknown as EngineState;
  return { state, command: { kind: 'done', result } };
}

function protocolError(state: EngineState, event: string, phase: string): StepOutput {
  const error = engineError('PROTOCOL', `Event "${event}" is not valid in phase "${phase}"; the host must answer the engine's last command.`, {
    event,
    phase,
  });
  if (!state.input) return bareFailure(null, error);
  const s = draft(state, state.run.nowMs);
  return fail(s, error);
}
