import { z } from 'zod';
import { utf8Length } from '../engine/encoding.ts';
import type { EngineEvent } from '../engine/EngineEvent.ts';
import type { Io, IoCommand } from '../engine/Io.ts';
import { API_BASE_URL_PATTERN } from '../engine/RunInput.ts';
import { functionApiBaseUrl } from '../falcon/regions.ts';
import { checkpoints, checkpointsRequestSchema } from './checkpointsHandler.ts';
import { enrichIndicators, enrichRequestSchema } from './enrichHandler.ts';
import type { FunctionContext } from './FunctionContext.ts';
import { badRequest, type FunctionResponse } from './FunctionResponse.ts';
import { pageRun, pageRunRequestSchema } from './pageRunHandler.ts';

/** The page-run function's platform limits (foundry-platform.md §1.4); `npm run validate` holds manifest.yml to them. */
export const FUNCTION_LIMITS = {
  /** Foundry's request payload limit. */
  requestBytes: 124 * 1024,
  /** manifest.yml `max_exec_duration_seconds` of the page-run function. */
  maxExecDurationSeconds: 60,
  /** Kept free of the execution limit for the host's own work and the response. */
  deadlineMarginMs: 5_000,
} as const;

export interface HandlerEntry {
  /** `functions[].handlers[].name` in manifest.yml, and the last part of a workflow action id. */
  name: string;
  method: 'POST';
  path: string;
  requestSchema: z.ZodTypeAny;
  handle(body: unknown, context: FunctionContext): Io<FunctionResponse>;
}

export const PAGE_RUN_HANDLERS: readonly HandlerEntry[] = [
  { name: 'page-run', method: 'POST', path: '/page-run', requestSchema: pageRunRequestSchema, handle: pageRun },
  { name: 'checkpoints', method: 'POST', path: '/checkpoints', requestSchema: checkpointsRequestSchema, handle: checkpoints },
  { name: 'enrich', method: 'POST', path: '/enrich', requestSchema: enrichRequestSchema, handle: enrichIndicators },
];

/** What a host hands the machine for one invocation: the FDK request (without its token) and its own environment. */
const invocationSchema = z
  .object({
    nowMs: z.number().finite(),
    envelope: z.unknown(),
    host: z
      .object({
        /** `CS_CLOUD`, as Foundry sets it. */
        cloud: z.string().max(64).default(''),
        /** A local run's API origin (the sandbox), overriding the cloud. */
        apiBaseUrl: z.union([z.literal(''), z.string().max(2048).regex(API_BASE_URL_PATTERN)]).default(''),
        /** `APP_ID` of a local run, for X-CS-APP-ID. */
        appId: z.string().max(256).default(''),
        /** 256 bits from the host's CSPRNG, hex: the machine draws no randomness of its own. */
        entropy: z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 hex digits (256 random bits)'),
      })
      .strict(),
  })
  .strict();

export type FunctionInvocation = z.input<typeof invocationSchema>;

/** The FDK request (foundry-platform.md §1.2) as far as the machine reads it; the token stays with the host. */
const envelopeSchema = z.object({
  method: z.string().min(1).max(16),
  url: z.string().min(1).max(2048),
  body: z.unknown(),
  params: z
    .object({ header: z.record(z.array(z.string())).default({}), query: z.record(z.array(z.string())).default({}) })
    .partial()
    .default({}),
});

export type FunctionStep = { kind: 'io'; command: IoCommand } | { kind: 'respond'; response: FunctionResponse };

export interface FunctionMachine {
  /** The origin every `http` command goes to: the host sends the bearer token nowhere else. */
  readonly apiBaseUrl: string;
  readonly first: FunctionStep;
  resume(event: EngineEvent): FunctionStep;
}

/**
 * One invocation of the page-run function as a sans-I/O machine: it checks the envelope, routes by exact
 * method and path as the FDK routers do, runs the handler, and asks its host for every I/O in between.
 * The Node host and the Python host (QuickJS) drive this same machine; neither decides anything.
 */
export function startFunction(rawInvocation: unknown): FunctionMachine {
  const parsed = invocationSchema.safeParse(rawInvocation);
  if (!parsed.success) return finished('', failure(500, 'INVOCATION_INVALID', 'invocation', `The host passed an invalid invocation: ${issueText(parsed.error)}`));
  const invocation = parsed.data;
  const apiBaseUrl = functionApiBaseUrl(invocation.host.cloud, invocation.host.apiBaseUrl);
  if (apiBaseUrl === null) {
    return finished('', failure(500, 'CLOUD_UNKNOWN', 'CS_CLOUD', `CS_CLOUD "${invocation.host.cloud}" names no Falcon cloud; use us-1, us-2, eu-1, us-gov-1 or us-gov-2`));
  }
  const envelope = envelopeSchema.safeParse(invocation.envelope);
  if (!envelope.success) return finished(apiBaseUrl, failure(400, 'ENVELOPE_INVALID', issueField(envelope.error), `The function request envelope is invalid: ${issueText(envelope.error)}`));
  const request = envelope.data;

  let nowMs = invocation.nowMs;
  const context: FunctionContext = {
    executionId: headerValue(request.params.header ?? {}, 'x-cs-executionid').slice(0, 128),
    apiBaseUrl,
    appId: invocation.host.appId,
    entropy: invocation.host.entropy,
    deadlineMs: FUNCTION_LIMITS.maxExecDurationSeconds * 1000 - FUNCTION_LIMITS.deadlineMarginMs,
    nowMs: () => nowMs,
  };
  const routed = route(request.method, request.url, request.body ?? null);
  if (routed.kind === 'refused') return finished(apiBaseUrl, routed.response);
  const handler = routed.entry.handle(request.body, context);
  let done: FunctionResponse | null = null;
  const advance = (event: EngineEvent | null): FunctionStep => {
    if (done !== null) return { kind: 'respond', response: failure(500, 'MACHINE_FINISHED', 'event', 'The invocation has already answered; the host resumed it again') };
    try {
      if (event !== null) nowMs = event.nowMs;
      const next = event === null ? handler.next() : handler.next(event);
      if (!next.done) return { kind: 'io', command: next.value };
      done = next.value;
    } catch (error) {
      // A handler bug must still answer: the FDK closes the connection on an exception, which a workflow sees as a hang.
      done = failure(500, 'HANDLER_CRASHED', routed.entry.name, `The ${routed.entry.name} handler failed unexpectedly (${error instanceof Error ? error.message : String(error)}); nothing after the failure was written`);
    }
    return { kind: 'respond', response: done };
  };
  return { apiBaseUrl, first: advance(null), resume: (event) => advance(event) };
}

type Routed = { kind: 'handler'; entry: HandlerEntry } | { kind: 'refused'; response: FunctionResponse };

function route(method: string, url: string, body: unknown): Routed {
  const entry = PAGE_RUN_HANDLERS.find((h) => h.path === url);
  if (entry === undefined) {
    const known = PAGE_RUN_HANDLERS.map((h) => `${h.method} ${h.path}`).join(', ');
    return { kind: 'refused', response: failure(404, 'HANDLER_NOT_FOUND', 'url', `No handler for ${url}; this function serves ${known}`) };
  }
  if (method.trim().toUpperCase() !== entry.method) {
    return { kind: 'refused', response: failure(405, 'METHOD_NOT_ALLOWED', 'method', `${entry.path} takes ${entry.method}, not ${method}`) };
  }
  const bytes = utf8Length(JSON.stringify(body));
  if (bytes > FUNCTION_LIMITS.requestBytes) {
    return { kind: 'refused', response: failure(413, 'REQUEST_TOO_LARGE', 'body', `The request body is ${bytes} bytes; Foundry accepts at most ${FUNCTION_LIMITS.requestBytes}`) };
  }
  return { kind: 'handler', entry };
}

function finished(apiBaseUrl: string, response: FunctionResponse): FunctionMachine {
  const first: FunctionStep = { kind: 'respond', response };
  return { apiBaseUrl, first, resume: () => first };
}

/** Every answer the machine gives itself has the handlers' error shape: stable code, field, message. */
function failure(status: number, errorCode: string, field: string, message: string): FunctionResponse {
  return badRequest(errorCode, field, message, status);
}

function headerValue(headers: Record<string, string[]>, name: string): string {
  for (const [key, values] of Object.entries(headers)) if (key.toLowerCase() === name) return values[0] ?? '';
  return '';
}

function issueField(error: z.ZodError): string {
  const issue = error.issues[0];
  return issue === undefined || issue.path.length === 0 ? '(envelope)' : issue.path.join('.');
}

function issueText(error: z.ZodError): string {
  const issue = error.issues[0];
  return issue === undefined ? 'unknown problem' : `${issue.path.join('.') || '(root)'}: ${issue.message}`;
}
