import { envelopeSchema, type Envelope } from '../../falcon/envelope.ts';
import { engineError, type EngineError } from '../EngineError.ts';
import type { EngineEvent } from '../EngineEvent.ts';
import { parseJson, rateLimitRemaining, serverDateMs } from '../../falcon/readResponse.ts';
import { ENGINE_DEFAULTS } from '../RunInput.ts';
import { fullJitterMs, nextLatencyEstimateMs, rateLimitWaitMs, skewFromDateMs, slowDownMsFor } from '../pacing.ts';
import { deviceCountRequest, deviceIdsRequest } from './deviceRequests.ts';
import type { EnrichCommand, EnrichEventKind, EnrichReason, EnrichResult, IndicatorResult, IndicatorStatus } from './EnrichCommand.ts';
import { ENRICH_DEFAULTS, enrichInputSchema } from './EnrichInput.ts';
import type { EnrichState, Lookup, PendingRequest, ResolvedEnrichInput } from './EnrichState.ts';
import { IOC_DEVICE_COUNT_PATH, IOC_DEVICES_PATH, IOC_SCOPE } from '../../falcon/iocEndpoints.ts';
import { readDeviceCount, readDevicePage } from './readDeviceAnswers.ts';

export interface EnrichStepOutput {
  state: EnrichState;
  command: EnrichCommand;
}

type Out = EnrichStepOutput;
type StopReason = Extract<EnrichReason, `stopped_${string}`>;

/**
 * The device lookup of IOC enrichment: a pure state machine in the page-run engine's style. For each
 * indicator it asks device-count, then pages the devices query until the ids reach that count, which is
 * the only total this endpoint has: a short page or a missing token before it is a named anomaly, never
 * an end. The host performs the one command each step answers with; `state` is plain JSON, never mutated.
 */
export function enrichStep(state: EnrichState | null, event: EngineEvent): Out {
  if (event.kind === 'start') {
    if (state !== null) return protocolError(state, 'start', 'a lookup that already started');
    return start(event.input, event.nowMs);
  }
  if (state === null) return bareFailure(engineError('PROTOCOL', `The first event must be "start", got "${event.kind}".`));
  if (!state.input) return bareFailure(engineError('PROTOCOL', `Event "${event.kind}" came after the lookup ended.`));
  const s = draft(state, event.nowMs);
  switch (event.kind) {
    case 'http-response':
      if (s.phase !== 'await-http' || !s.pending) return protocolError(state, event.kind, s.phase);
      return onResponse(s, s.pending, event.status, event.headers, event.body);
    case 'http-error':
      if (s.phase !== 'await-http' || !s.pending) return protocolError(state, event.kind, s.phase);
      s.counters.apiCalls++;
      // As in the page-run engine: an unanswered request did not test a refreshed token, which may expire during the backoff.
      s.pending = { ...s.pending, authRefreshed: false };
      return retry(s, `${event.code}: ${event.message}`, engineError('RETRIES_EXHAUSTED', `The connection failed (${event.code}).`, {}, { code: event.code, message: event.message }));
    case 'slept':
      if (s.phase !== 'await-sleep') return protocolError(state, event.kind, s.phase);
      return s.resume === 'pending' && s.pending ? send(s, s.pending) : next(s);
    case 'authenticated':
      if (s.phase !== 'await-auth') return protocolError(state, event.kind, s.phase);
      if (!event.ok && event.retryable && s.pending) {
        // The token endpoint itself failed (reset, 5xx): back off, then the request (and so the token) again.
        s.pending = { ...s.pending, authRefreshed: false };
        return retry(s, `re-authentication failed: ${event.message ?? 'no reason given'}`, engineError('AUTH_FAILED', `Re-authentication kept failing: ${event.message ?? 'no reason given'}.`));
      }
      if (!event.ok) return fail(s, engineError('AUTH_FAILED', `Re-authentication failed: ${event.message ?? 'no reason given'}. Check the API client id and secret.`));
      return s.pending ? send(s, s.pending) : next(s);
    case 'emitted':
    case 'emit-failed':
      return protocolError(state, event.kind, s.phase);
  }
}

// ---------------------------------------------------------------------------------------------
// Start and the next command

function start(rawInput: unknown, nowMs: number): Out {
  const parsed = enrichInputSchema.safeParse(rawInput);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue ? issue.path.join('.') || '(input)' : '(input)';
    return bareFailure(engineError('INPUT_INVALID', `Invalid lookup input at "${field}": ${issue?.message ?? 'unknown problem'}.`, { field }));
  }
  const input = parsed.data;
  const resolved: ResolvedEnrichInput = {
    runId: input.runId,
    indicators: input.indicators,
    deadlineAtMs: input.budget.deadlineMs !== undefined ? nowMs + input.budget.deadlineMs : null,
    maxCalls: input.budget.maxCalls ?? null,
    maxDeviceIdsPerIndicator: input.budget.maxDeviceIdsPerIndicator ?? ENRICH_DEFAULTS.maxDeviceIdsPerIndicator,
    maxDeviceIdBytes: input.budget.maxDeviceIdBytes ?? null,
    pageLimit: input.options.pageLimit ?? ENRICH_DEFAULTS.pageLimit,
    maxRetries: input.options.maxRetries ?? ENGINE_DEFAULTS.maxRetries,
    maxRateLimitWaits: input.options.maxRateLimitWaits ?? ENGINE_DEFAULTS.maxRateLimitWaits,
    maxRestarts: input.options.maxRestarts ?? ENRICH_DEFAULTS.maxRestarts,
    requestTimeoutMs: input.options.requestTimeoutMs ?? ENGINE_DEFAULTS.requestTimeoutMs,
  };
  const s: EnrichState = {
    phase: 'await-http',
    input: resolved,
    results: [],
    lookup: null,
    pending: null,
    run: { startedAtMs: nowMs, nowMs, latencyEstimateMs: ENGINE_DEFAULTS.initialLatencyEstimateMs, consecutiveRateLimits: 0, skewMs: null, bytes: 0 },
    counters: { apiCalls: 0, retries: 0, rateLimitWaitMs: 0, authRefreshes: 0, restarts: 0, anomalies: 0 },
    timeline: [],
    timelineDropped: 0,
    resume: 'next',
    slowDownMs: 0,
    rngSeed: input.options.seed ?? 0x5eed,
    result: null,
  };
  note(s, 'run_started', `${resolved.indicators.length} indicator(s), at most ${resolved.maxDeviceIdsPerIndicator} device id(s) each`);
  return next(s);
}

function next(s: EnrichState): Out {
  if (!s.lookup) {
    if (s.results.length >= s.input.indicators.length) return finish(s, 'complete');
    s.lookup = { index: s.results.length, stage: 'count', deviceCount: null, limitExceeded: false, ids: [], bytes: 0, token: null, pages: 0, restarts: 0 };
  }
  if (s.input.maxCalls !== null && s.counters.apiCalls >= s.input.maxCalls) return stop(s, 'stopped_max_calls', `${s.counters.apiCalls} call(s) made`);
  if (s.slowDownMs > 0) {
    const ms = s.slowDownMs;
    s.slowDownMs = 0;
    if (!fits(s, ms + s.run.latencyEstimateMs)) return stop(s, 'stopped_deadline', 'no time left after slowing down for the rate limit');
    s.counters.rateLimitWaitMs += ms;
    return sleep(s, ms, 'slow-down', 'next');
  }
  if (!fits(s, s.run.latencyEstimateMs)) return stop(s, 'stopped_deadline', 'the next call would not finish before the deadline');
  const lookup = s.lookup;
  const indicator = indicatorOf(s, lookup);
  const request =
    lookup.stage === 'count'
      ? { purpose: 'device-count' as const, request: deviceCountRequest(indicator.type, indicator.value) }
      : { purpose: 'device-ids' as const, request: deviceIdsRequest(indicator.type, indicator.value, s.input.pageLimit, lookup.token) };
  return send(s, { ...request, attempt: 0, authRefreshed: false, sentAtMs: s.run.nowMs });
}

function send(s: EnrichState, pending: PendingRequest): Out {
  const deadline = s.input.deadlineAtMs;
  const timeoutMs = deadline === null ? s.input.requestTimeoutMs : Math.max(1, Math.min(s.input.requestTimeoutMs, deadline - s.run.nowMs));
  s.pending = { ...pending, sentAtMs: s.run.nowMs };
  s.phase = 'await-http';
  return { state: s, command: { kind: 'http', purpose: pending.purpose, request: pending.request, timeoutMs } };
}

function sleep(s: EnrichState, ms: number, reason: 'rate-limit' | 'backoff' | 'slow-down', resume: 'pending' | 'next'): Out {
  s.phase = 'await-sleep';
  s.resume = resume;
  return { state: s, command: { kind: 'sleep', ms, reason } };
}

function fits(s: EnrichState, ms: number): boolean {
  return s.input.deadlineAtMs === null || s.run.nowMs + ms + ENGINE_DEFAULTS.deadlineMarginMs <= s.input.deadlineAtMs;
}

function serverNow(s: EnrichState): number {
  return s.run.nowMs + (s.run.skewMs ?? 0);
}

function indicatorOf(s: EnrichState, lookup: Lookup): ResolvedEnrichInput['indicators'][number] {
  const indicator = s.input.indicators[lookup.index];
  if (!indicator) throw new RangeError(`Failed to find indicator ${lookup.index} of ${s.input.indicators.length}.`);
  return indicator;
}

// ---------------------------------------------------------------------------------------------
// Answers

function onResponse(s: EnrichState, sent: PendingRequest, status: number, headers: Record<string, string>, body: string): Out {
  // Any answer other than 401 proves the refreshed token worked; a later 401 may refresh again.
  const pending = status !== 401 && sent.authRefreshed ? { ...sent, authRefreshed: false } : sent;
  s.pending = pending;
  s.counters.apiCalls++;
  s.run.latencyEstimateMs = nextLatencyEstimateMs(s.run.latencyEstimateMs, s.run.nowMs - pending.sentAtMs);
  // The server's Date header is the clock Retryafter lives on.
  s.run.skewMs = skewFromDateMs(serverDateMs(headers), s.run.nowMs) ?? s.run.skewMs;
  const remaining = rateLimitRemaining(headers);
  if (remaining !== null && status !== 429) {
    s.slowDownMs = slowDownMsFor(remaining) ?? s.slowDownMs;
    if (s.slowDownMs > 0) note(s, 'slow_down', `X-Ratelimit-Remaining ${remaining}`);
  }
  if (status !== 429) s.run.consecutiveRateLimits = 0;
  const path = pending.purpose === 'device-count' ? IOC_DEVICE_COUNT_PATH : IOC_DEVICES_PATH;

  if (status === 429) return onRateLimited(s, headers);
  if (status === 401) {
    if (pending.authRefreshed) return fail(s, engineError('AUTH_FAILED', 'Falcon refused a freshly issued token (401). Check the API client, its cloud and its CID.', { status }));
    s.pending = { ...pending, authRefreshed: true };
    s.counters.authRefreshes++;
    note(s, 'auth_refresh', '401 access denied, invalid bearer token');
    s.phase = 'await-auth';
    s.resume = 'pending';
    return { state: s, command: { kind: 'authenticate', reason: 'Falcon answered 401 (invalid bearer token)' } };
  }
  if (status === 403) {
    return fail(
      s,
      engineError(
        'SCOPE_MISSING',
        `Falcon refused GET ${path} with 403 (access denied, authorization failed). Grant the API client the scope "${IOC_SCOPE}" (or check its IP allowlist) and run again.`,
        { status, scope: IOC_SCOPE, path },
      ),
    );
  }
  const json = parseJson(body);
  if (!json.ok) {
    note(s, 'non_json_body', `HTTP ${status} with a body that is not JSON`);
    const error = engineError('NON_JSON_BODY', `Falcon answered HTTP ${status} with a body that is not JSON (an HTML error page?).`, { status, path });
    return status >= 500 || status < 300 ? retry(s, `non-JSON ${status}`, error) : fail(s, error);
  }
  const parsed = envelopeSchema.safeParse(json.value);
  const envelope: Envelope | null = parsed.success ? parsed.data : null;
  const message = envelope?.errors?.[0]?.message ?? '';

  if (status >= 500) return retry(s, `HTTP ${status}`, engineError('RETRIES_EXHAUSTED', `Falcon kept answering HTTP ${status} on ${path}: ${message || 'no message'}.`, { status, path }));
  if (status === 404) {
    if (!envelope || !isIndicatorNotFound(envelope, indicatorOf(s, lookupOf(s)).value)) {
      return fail(s, engineError('ENDPOINT_NOT_FOUND', `Falcon answered 404 for ${path}: ${message || 'not found'}.`, { status, path }));
    }
    return pending.purpose === 'device-count' ? countNotFound(s, message) : tokenLost(s, 'token_missing_before_count', `404 ${message}`);
  }
  if (status === 400) {
    if (pending.purpose === 'device-ids' && lookupOf(s).token !== null) return tokenLost(s, 'token_refused', `400 ${message || 'offset refused'}`);
    return rejectIndicator(s, message || 'HTTP 400 without a message');
  }
  if (status < 200 || status >= 300) return fail(s, engineError('UNEXPECTED_STATUS', `Falcon answered HTTP ${status} on ${path}: ${message || 'no message'}.`, { status, path }));
  if (!envelope) {
    const issue = parsed.success ? undefined : parsed.error.issues[0];
    return fail(s, engineError('SCHEMA_MISMATCH', `Falcon's answer on ${path} does not match the envelope at "${issue?.path.join('.') ?? '?'}": ${issue?.message ?? ''}.`, { status, path }));
  }
  const errors = envelope.errors ?? [];
  if (errors.length > 0) {
    note(s, 'errors_in_200', errors.map((e) => `${e.code} ${e.message}`).join('; ').slice(0, 200));
    const error = engineError('ERRORS_IN_200', `Falcon answered HTTP ${status} on ${path} with errors: ${errors[0]?.message ?? ''}.`, { status, code: errors[0]?.code ?? null, path });
    if (errors.some((e) => e.code >= 500 || e.code === 429)) return retry(s, 'errors inside a 200', error);
    if (pending.purpose === 'device-count' && isIndicatorNotFound(envelope, indicatorOf(s, lookupOf(s)).value)) return countNotFound(s, message);
    return fail(s, error);
  }
  s.pending = null;
  return pending.purpose === 'device-count' ? onCount(s, envelope) : onDevicePage(s, envelope);
}

function lookupOf(s: EnrichState): Lookup {
  if (!s.lookup) throw new Error('Failed to read an answer: no indicator is being looked up.');
  return s.lookup;
}

/**
 * A 404 that means "no device saw this indicator" and not "no such endpoint": an envelope whose 404 error
 * names the indicator or says the resource was not found (the legacy device count answered
 * `md5:<value> - Resource Not Found`, demisto/content CrowdStrikeFalcon_test.py). The gateway's bare
 * "Not Found" for an unknown path must fail the run, or every indicator would read as unseen.
 */
function isIndicatorNotFound(envelope: Envelope, value: string): boolean {
  const wanted = value.toLowerCase();
  return (envelope.errors ?? []).some((e) => {
    if (e.code !== 404) return false;
    const text = e.message.toLowerCase();
    return text.includes(wanted) || /resource not found|no results/.test(text);
  });
}

function onRateLimited(s: EnrichState, headers: Record<string, string>): Out {
  s.run.consecutiveRateLimits++;
  if (s.run.consecutiveRateLimits > s.input.maxRateLimitWaits) {
    return fail(s, engineError('RATE_LIMIT_EXHAUSTED', `Falcon answered 429 ${s.run.consecutiveRateLimits} times in a row; the CID's 6,000/min pool is exhausted by other clients.`));
  }
  const wait = rateLimitWaitMs(headers, serverNow(s), s.rngSeed, s.run.consecutiveRateLimits);
  s.rngSeed = wait.seed;
  note(s, 'rate_limited', `429; waiting ${wait.ms} ms (${wait.hinted ? 'X-Ratelimit-Retryafter' : 'no Retryafter header, backoff'})`);
  if (!fits(s, wait.ms + s.run.latencyEstimateMs)) return stop(s, 'stopped_rate_limit_wait', `the ${wait.ms} ms wait does not fit the deadline`);
  s.counters.rateLimitWaitMs += wait.ms;
  return sleep(s, wait.ms, 'rate-limit', 'pending');
}

function retry(s: EnrichState, reason: string, error: EngineError): Out {
  const pending = s.pending;
  if (!pending) return fail(s, error);
  const attempt = pending.attempt + 1;
  if (attempt > s.input.maxRetries) return fail(s, { ...error, context: { ...error.context, attempts: attempt } });
  const backoff = fullJitterMs(s.rngSeed, attempt);
  s.rngSeed = backoff.seed;
  if (!fits(s, backoff.ms + s.run.latencyEstimateMs)) return stop(s, 'stopped_deadline', `a retry after ${reason} does not fit the deadline`);
  s.pending = { ...pending, attempt };
  s.counters.retries++;
  note(s, 'retry', `${reason}; attempt ${attempt} of ${s.input.maxRetries} in ${backoff.ms} ms`);
  return sleep(s, backoff.ms, 'backoff', 'pending');
}

// ---------------------------------------------------------------------------------------------
// One indicator

/** device-count's "not found": no device saw the indicator, so there is no device to page (it would be another 404). */
function countNotFound(s: EnrichState, message: string): Out {
  const lookup = lookupOf(s);
  note(s, 'count_not_found', `${describe(s, lookup)}: ${message || '404'}; no device saw it`);
  lookup.deviceCount = 0;
  return finishLookup(s, 'complete', '');
}

function onCount(s: EnrichState, envelope: Envelope): Out {
  const lookup = lookupOf(s);
  const indicator = indicatorOf(s, lookup);
  const answer = readDeviceCount(envelope, indicator.type, indicator.value);
  lookup.limitExceeded = answer.limitExceeded;
  if (answer.kind === 'count') {
    lookup.deviceCount = answer.count;
    if (answer.limitExceeded) anomaly(s, 'count_lower_bound', `${describe(s, lookup)}: limit_exceeded, so ${answer.count} is only a floor`);
    if (answer.count === 0 && !answer.limitExceeded) return finishLookup(s, 'complete', '');
  } else {
    lookup.deviceCount = null;
    anomaly(s, 'count_missing', `${describe(s, lookup)}: ${answer.why}; paging the devices to see`);
  }
  const cap = s.input.maxDeviceIdsPerIndicator;
  if (cap === 0) return finishLookup(s, 'capped', 'capped_max_devices', 'max devices per indicator is 0: counts only');
  const maxBytes = s.input.maxDeviceIdBytes;
  if (maxBytes !== null && s.run.bytes > 0) {
    // A chain whose ids would not fit what is left of the response waits for the next run, unless this
    // run has returned no ids yet: then it takes what fits, so that every run makes progress.
    const expected = Math.min(cap, lookup.deviceCount ?? s.input.pageLimit);
    if (s.run.bytes + expected * ENRICH_DEFAULTS.estimatedIdBytes > maxBytes) {
      return stop(s, 'stopped_response_size', `${expected} more device id(s) would not fit the ${maxBytes - s.run.bytes} bytes left of the response`);
    }
  }
  lookup.stage = 'devices';
  return next(s);
}

function onDevicePage(s: EnrichState, envelope: Envelope): Out {
  const lookup = lookupOf(s);
  const page = readDevicePage(envelope);
  if (!page.ok) return fail(s, engineError('SCHEMA_MISMATCH', `${IOC_DEVICES_PATH}: ${page.message}.`, {}));
  lookup.pages++;
  const cap = s.input.maxDeviceIdsPerIndicator;
  const maxBytes = s.input.maxDeviceIdBytes;
  const known = new Set(lookup.ids);
  const ids = [...lookup.ids];
  let added = 0;
  let cut: 'capped_max_devices' | 'capped_response_size' | null = null;
  for (const id of page.ids) {
    if (known.has(id)) continue;
    if (ids.length >= cap) {
      cut = 'capped_max_devices';
      break;
    }
    // What the id costs in the host's JSON answer: the quoted string and a separator.
    const size = JSON.stringify(id).length + 1;
    if (maxBytes !== null && s.run.bytes + size > maxBytes) {
      cut = 'capped_response_size';
      break;
    }
    known.add(id);
    ids.push(id);
    lookup.bytes += size;
    s.run.bytes += size;
    added++;
  }
  lookup.ids = ids;
  const count = lookup.deviceCount;
  const countIsTotal = count !== null && !lookup.limitExceeded;
  if (countIsTotal && ids.length >= count) return finishLookup(s, 'complete', '');
  if (cut) return finishLookup(s, 'capped', cut, `${ids.length} of ${count ?? 'an unknown number of'} device id(s) kept`);
  if (ids.length >= cap && (countIsTotal || page.next !== null)) {
    return finishLookup(s, 'capped', 'capped_max_devices', `${ids.length} of ${count ?? 'an unknown number of'} device id(s) kept`);
  }
  if (page.next !== null) {
    if (page.next === lookup.token && added === 0) return tokenLost(s, 'token_repeated', `the same offset token came back with no new device`);
    lookup.token = page.next;
    return next(s);
  }
  return chainEnded(s);
}

/** The devices query gave no next token: the end, if the count agrees. */
function chainEnded(s: EnrichState): Out {
  const lookup = lookupOf(s);
  if (lookup.deviceCount === null) {
    if (lookup.ids.length === 0) {
      // No count and no device: both answers say nobody saw it (device_count is omitempty).
      lookup.deviceCount = 0;
      return finishLookup(s, 'complete', '');
    }
    return finishLookup(s, 'incomplete', 'count_missing', `${lookup.ids.length} device id(s), but device-count gave no count to check them against`);
  }
  if (lookup.limitExceeded) {
    return finishLookup(s, 'incomplete', 'count_lower_bound', `${lookup.ids.length} device id(s); the count ${lookup.deviceCount} is only a floor`);
  }
  return tokenLost(s, 'token_missing_before_count', `no next-offset token after ${lookup.ids.length} of ${lookup.deviceCount} device(s)`);
}

/**
 * The chain ended, or its token was refused, before the count: a named anomaly. The ids are unordered
 * and carry no watermark, so the only recovery is the query again from its first page, keeping (and
 * deduplicating) what arrived; after `maxRestarts` the answer is reported incomplete, never complete.
 */
function tokenLost(s: EnrichState, kind: 'token_missing_before_count' | 'token_repeated' | 'token_refused', detail: string): Out {
  const lookup = lookupOf(s);
  s.pending = null;
  anomaly(s, kind, `${describe(s, lookup)}: ${detail}`);
  if (lookup.restarts < s.input.maxRestarts) {
    lookup.restarts++;
    lookup.token = null;
    s.counters.restarts++;
    note(s, 'devices_restart', `${describe(s, lookup)}: restart ${lookup.restarts} of ${s.input.maxRestarts} from the first page`);
    return next(s);
  }
  return finishLookup(s, 'incomplete', 'token_missing_before_count', `${lookup.ids.length} of ${lookup.deviceCount ?? '?'} device id(s) after ${lookup.restarts} restart(s): ${detail}`);
}

function rejectIndicator(s: EnrichState, message: string): Out {
  const lookup = lookupOf(s);
  note(s, 'indicator_rejected', `${describe(s, lookup)}: ${message}`);
  s.pending = null;
  return finishLookup(s, 'rejected', 'indicator_rejected', message);
}

function finishLookup(s: EnrichState, status: Exclude<IndicatorStatus, 'pending'>, reason: EnrichReason, detail = ''): Out {
  const lookup = lookupOf(s);
  if (status === 'capped') note(s, 'capped', `${describe(s, lookup)}: ${reason}, ${detail}`);
  s.results = [...s.results, resultOf(s, lookup, status, reason, detail)];
  s.lookup = null;
  s.pending = null;
  return next(s);
}

function resultOf(s: EnrichState, lookup: Lookup, status: IndicatorStatus, reason: EnrichReason, detail: string): IndicatorResult {
  const { type, value } = indicatorOf(s, lookup);
  return { type, value, status, deviceCount: lookup.deviceCount, limitExceeded: lookup.limitExceeded, deviceIds: lookup.ids, reason, detail };
}

function describe(s: EnrichState, lookup: Lookup): string {
  const { type, value } = indicatorOf(s, lookup);
  return `${type}:${value}`;
}

// ---------------------------------------------------------------------------------------------
// Ending

function stop(s: EnrichState, reason: StopReason, detail: string): Out {
  note(s, 'stopped', `${reason}: ${detail}`);
  return finish(s, 'has_more', reason, detail);
}

function fail(s: EnrichState, error: EngineError): Out {
  note(s, 'failed', `${error.code}: ${error.message}`);
  return finish(s, `failed:${error.code}`, 'run_failed', error.message, error);
}

function finish(s: EnrichState, verdict: EnrichResult['verdict'], pendingReason: EnrichReason = '', detail = '', error: EngineError | null = null): Out {
  const indicators = [...s.results];
  if (s.lookup) indicators.push(resultOf(s, s.lookup, 'pending', pendingReason, detail));
  for (let i = indicators.length; i < s.input.indicators.length; i++) {
    const { type, value } = s.input.indicators[i] as ResolvedEnrichInput['indicators'][number];
    indicators.push({ type, value, status: 'pending', deviceCount: null, limitExceeded: false, deviceIds: [], reason: pendingReason, detail: 'not started' });
  }
  if (verdict === 'complete') note(s, 'complete', `${indicators.length} indicator(s) in ${s.counters.apiCalls} call(s)`);
  s.lookup = null;
  s.pending = null;
  s.phase = 'done';
  const result: EnrichResult = {
    verdict,
    hasMore: verdict === 'has_more' ? 'true' : 'false',
    indicators,
    ...s.counters,
    timeline: s.timeline,
    timelineDropped: s.timelineDropped,
    error,
  };
  s.result = result;
  return { state: s, command: { kind: 'done', result } };
}

function anomaly(s: EnrichState, kind: EnrichEventKind, detail: string): void {
  s.counters.anomalies++;
  note(s, kind, detail);
}

function note(s: EnrichState, kind: EnrichEventKind, detail: string): void {
  const event = { atMs: s.run.nowMs, kind, detail };
  const limit = ENRICH_DEFAULTS.timelineLimit;
  // Keep the first events and the most recent ones: the start explains the run, the end explains its verdict.
  if (s.timeline.length < limit) s.timeline = [...s.timeline, event];
  else {
    s.timeline = [...s.timeline.slice(0, limit / 2), ...s.timeline.slice(limit / 2 + 1), event];
    s.timelineDropped++;
  }
}

/** Shallow copies of every object a step may change, so the caller's state stays untouched. */
function draft(state: EnrichState, nowMs: number): EnrichState {
  return {
    ...state,
    lookup: state.lookup ? { ...state.lookup } : null,
    run: { ...state.run, nowMs: Math.max(nowMs, state.run.nowMs) },
    counters: { ...state.counters },
  };
}

/** A lookup that never started (bad input, protocol misuse): nothing was requested. */
function bareFailure(error: EngineError): Out {
  const result: EnrichResult = {
    verdict: `failed:${error.code}`,
    hasMore: 'false',
    indicators: [],
    apiCalls: 0,
    retries: 0,
    rateLimitWaitMs: 0,
    authRefreshes: 0,
    restarts: 0,
    anomalies: 0,
    timeline: [],
    timelineDropped: 0,
    error,
  };
  const state = { phase: 'done', result } as unknown as EnrichState;
  return { state, command: { kind: 'done', result } };
}

function protocolError(state: EnrichState, event: string, phase: string): Out {
  const error = engineError('PROTOCOL', `Event "${event}" is not valid in phase "${phase}"; the host must answer the lookup's last command.`, { event, phase });
  if (!state.input) return bareFailure(error);
  return fail(draft(state, state.run.nowMs), error);
}
