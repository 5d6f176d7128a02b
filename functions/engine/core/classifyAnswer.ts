import { envelopeSchema, type Envelope } from '../../falcon/envelope.ts';
import { depthCapFromMessage, header, parseJson } from '../../falcon/readResponse.ts';

/** What was asked: a query page (a stream's page, a page of device ids), the entities of listed ids, or a device count. */
export type RequestKind = 'query' | 'entities' | 'count';

/** Where the two machines read statuses differently; each passes its own rules, always the same. */
export interface AnswerRules {
  /** A 3xx is the API sending the call to another cloud, refused before the body is read. */
  refuseRedirects: boolean;
  /** A 414 is the gateway refusing a request line the filter made too long. */
  namesLongRequests: boolean;
  /** A 404 to a query that carried a cursor refuses the cursor, instead of naming a missing endpoint. */
  cursorGoneOn404: boolean;
}

export interface DepthCapContext {
  /** The depth cap learned so far: a 400 naming a larger one teaches nothing. */
  learned: number | null;
  /** An offset page of a stream whose cap answers with this 5xx status: the attempt tells transient from cap. */
  probe: { status: number | null; offset: number; attempt: number; limit: number; overlap: boolean } | null;
}

/** What the classification needs to know about the request an answer belongs to. */
export interface AnswerContext {
  request: RequestKind;
  authRefreshed: boolean;
  /** A cursor (token, offset token) travelled with the request. */
  cursor: boolean;
  rules: AnswerRules;
  /** An entities batch that can be halved after a 413. */
  splittable: boolean;
  /** Page runs: what a 400 or a 5xx teaches about the offset cap; null where there is no cap. */
  depthCap: DepthCapContext | null;
  /** Device lookups: the indicator value a 404 may name as unseen. */
  indicator: string | null;
}

/** A timeline event the answer deserves whatever is done with it. */
export interface Anomaly {
  kind: 'non_json_body' | 'errors_in_200';
  detail: string;
}

export type RetryCause = 'entities-refused' | 'non-json' | 'server-error' | 'errors-in-200';
export type FatalCause = 'token-refused' | 'request-too-long' | 'non-json' | 'endpoint-not-found' | 'unexpected-status' | 'schema' | 'errors-in-200';

/** One answer, classified. `message` is the envelope's first error message ('' without one). */
/** A failure's cause and what the answer said about it (`detail`, `code`: the first error, or the schema issue). */
export interface Failure {
  cause: RetryCause | FatalCause;
  detail: string;
  code: number | null;
}

export type Answer = { status: number; message: string; anomaly: Anomaly | null } & (
  | { kind: 'rate-limited' }
  | { kind: 'reauth' }
  | { kind: 'scope' }
  | { kind: 'redirect'; location: string | undefined }
  /** An entities batch the gateway found too large (413): halve it. */
  | { kind: 'split' }
  | { kind: 'retryable'; cause: RetryCause; detail: string; code: number | null }
  /** `cap`: records the offset window may serve; `pageLimit`: a page size to fall back to. */
  | { kind: 'depth-cap'; cap: number | null; pageLimit: number | null; detail: string }
  | { kind: 'cursor-refused' }
  /** The indicator was seen by no device (a 404 that names it, not a missing endpoint). */
  | { kind: 'not-found' }
  /** A 400 to a query without a cursor: the query itself (its filter, its indicator) was refused. */
  | { kind: 'rejected' }
  | { kind: 'fatal'; cause: FatalCause; detail: string; code: number | null }
  | { kind: 'ok'; envelope: Envelope }
);

type Base = { status: number; message: string; anomaly: Anomaly | null };

/**
 * Classifies one HTTP answer for either machine. Pure: what to do with each kind is the machine's; the
 * order of the checks is the API's (statuses the gateway answers with HTML are read before the body).
 */
export function classifyAnswer(status: number, headers: Record<string, string>, body: string, ctx: AnswerContext): Answer {
  return beforeBody(status, headers, ctx) ?? fromBody(status, body, ctx);
}

function beforeBody(status: number, headers: Record<string, string>, ctx: AnswerContext): Answer | null {
  const base: Base = { status, message: '', anomaly: null };
  if (status === 429) return { ...base, kind: 'rate-limited' };
  if (status === 401) return ctx.authRefreshed ? { ...base, kind: 'fatal', cause: 'token-refused', detail: '', code: null } : { ...base, kind: 'reauth' };
  // The list call of the same scope just worked, so one 403 on its entities is not a missing scope.
  if (status === 403 && ctx.request === 'entities') return { ...base, kind: 'retryable', cause: 'entities-refused', detail: '', code: null };
  // Only the token request follows redirects: an API call that is redirected goes to the wrong cloud.
  if (ctx.rules.refuseRedirects && status >= 300 && status < 400) return { ...base, kind: 'redirect', location: header(headers, 'location') };
  if (status === 403) return { ...base, kind: 'scope' };
  if (ctx.rules.namesLongRequests && status === 414) return { ...base, kind: 'fatal', cause: 'request-too-long', detail: '', code: null };
  // 413 comes from the gateway as an HTML page, so it is recognised before the body is read.
  if (status === 413 && ctx.request === 'entities' && ctx.splittable) return { ...base, kind: 'split' };
  return null;
}

function fromBody(status: number, body: string, ctx: AnswerContext): Answer {
  const json = parseJson(body);
  if (!json.ok) return notJson(status);
  const parsed = envelopeSchema.safeParse(json.value);
  const envelope: Envelope | null = parsed.success ? parsed.data : null;
  const base: Base = { status, message: firstMessage(envelope), anomaly: null };
  if (status >= 500) return serverError(base, ctx);
  if (status === 400 && ctx.request !== 'entities') return refusedQuery(base, ctx);
  if (status === 404) return notFound(base, envelope, ctx);
  if (status < 200 || status >= 300) return { ...base, kind: 'fatal', cause: 'unexpected-status', detail: '', code: null };
  if (envelope) return fromEnvelope(base, envelope, ctx);
  return schemaMismatch(base, parsed.success ? undefined : parsed.error.issues[0]);
}

function firstMessage(envelope: Envelope | null): string {
  return envelope?.errors?.[0]?.message ?? '';
}

function schemaMismatch(base: Base, issue: { path: ReadonlyArray<string | number>; message: string } | undefined): Answer {
  return { ...base, kind: 'fatal', cause: 'schema', detail: `"${issue?.path.join('.') ?? '?'}": ${issue?.message ?? ''}`, code: null };
}

/** A body that is not JSON (an HTML error page): worth another try where the status is. */
function notJson(status: number): Answer {
  const base: Base = { status, message: '', anomaly: { kind: 'non_json_body', detail: `HTTP ${status} with a body that is not JSON` } };
  if (status >= 500 || status < 300) return { ...base, kind: 'retryable', cause: 'non-json', detail: '', code: null };
  return { ...base, kind: 'fatal', cause: 'non-json', detail: '', code: null };
}

function serverError(base: Base, ctx: AnswerContext): Answer {
  const probe = ctx.depthCap?.probe ?? null;
  if (probe !== null && base.status === probe.status) {
    // One 500 may be transient; the same 500 twice at this offset is the cap (psfalcon#423).
    if (probe.offset > 0 && probe.attempt >= 1) {
      // What the window served so far (the overlap record included) is what the cap allows.
      const served = probe.offset + (probe.overlap ? 1 : 0);
      return { ...base, kind: 'depth-cap', cap: served, pageLimit: null, detail: `HTTP ${base.status} at offset ${probe.offset}` };
    }
    if (probe.attempt >= 1 && probe.limit > 1) {
      // offset + limit over a cap answers the same 500 at offset 0: assume the cap is what fails and
      // keep windows of one page, so the next window does not pay two more 500s to learn it again.
      const pageLimit = Math.floor(probe.limit / 2);
      return { ...base, kind: 'depth-cap', cap: null, pageLimit, detail: `HTTP ${base.status} for limit ${probe.limit} at offset 0; trying limit ${pageLimit}` };
    }
  }
  return { ...base, kind: 'retryable', cause: 'server-error', detail: '', code: null };
}

function refusedQuery(base: Base, ctx: AnswerContext): Answer {
  if (ctx.depthCap !== null) {
    const cap = depthCapFromMessage(base.message);
    const learned = ctx.depthCap.learned;
    if (cap !== null && (learned === null || cap < learned)) return { ...base, kind: 'depth-cap', cap, pageLimit: null, detail: base.message };
  }
  return ctx.cursor ? { ...base, kind: 'cursor-refused' } : { ...base, kind: 'rejected' };
}

function notFound(base: Base, envelope: Envelope | null, ctx: AnswerContext): Answer {
  if (ctx.indicator !== null && envelope && isIndicatorNotFound(envelope, ctx.indicator)) return { ...base, kind: 'not-found' };
  if (ctx.rules.cursorGoneOn404 && ctx.request === 'query' && ctx.cursor) return { ...base, kind: 'cursor-refused' };
  return { ...base, kind: 'fatal', cause: 'endpoint-not-found', detail: '', code: null };
}

function fromEnvelope(base: Base, envelope: Envelope, ctx: AnswerContext): Answer {
  // An entities answer names the ids deleted meanwhile as 404 errors: those are no failure.
  const errors = (envelope.errors ?? []).filter((e) => !(ctx.request === 'entities' && e.code === 404 && e.id));
  if (errors.length === 0) return { ...base, kind: 'ok', envelope };
  const anomaly: Anomaly = { kind: 'errors_in_200', detail: errors.map((e) => `${e.code} ${e.message}`).join('; ').slice(0, 200) };
  const first = { detail: errors[0]?.message ?? '', code: errors[0]?.code ?? null };
  if (errors.some((e) => e.code >= 500 || e.code === 429)) return { ...base, anomaly, kind: 'retryable', cause: 'errors-in-200', ...first };
  if (ctx.request === 'count' && ctx.indicator !== null && isIndicatorNotFound(envelope, ctx.indicator)) return { ...base, anomaly, kind: 'not-found' };
  return { ...base, anomaly, kind: 'fatal', cause: 'errors-in-200', ...first };
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

/** The failure an answer reports; kinds that are no failure of their own read as an unexpected status. */
export function failureOf(answer: Answer): Failure {
  if (answer.kind === 'fatal' || answer.kind === 'retryable') return { cause: answer.cause, detail: answer.detail, code: answer.code };
  return { cause: 'unexpected-status', detail: '', code: null };
}
