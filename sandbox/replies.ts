import type { ApiError } from '../functions/falcon/envelope.ts';
import type { SandboxResponse } from './exchange.ts';
import type { JsonValue } from './fql/compileFql.ts';

/** What every reply to one request shares: the server instant, its trace id, region and rate-limit state. */
export interface ReplyContext {
  nowMs: number;
  traceId: string;
  region: string;
  rateLimit: { limit: number; remaining: number } | null;
}

export interface EnvelopeParts {
  poweredBy: string;
  pagination?: Record<string, JsonValue>;
  /** `'absent'` leaves the key out, as gateway error bodies do. */
  resources: JsonValue[] | null | 'absent';
  errors?: ApiError[];
}

const BASE_LATENCY_MS = 40;
const LATENCY_PER_RESOURCE_MS = 0.02;

/** Deterministic latency: a base plus a little per returned resource. */
export function latencyFor(resourceCount: number): number {
  return Math.round(BASE_LATENCY_MS + LATENCY_PER_RESOURCE_MS * resourceCount);
}

function commonHeaders(ctx: ReplyContext, contentType: string | null): Record<string, string> {
  const headers: Record<string, string> = {};
  if (contentType !== null) headers['Content-Type'] = contentType;
  headers['Date'] = new Date(ctx.nowMs).toUTCString();
  headers['Server'] = 'nginx';
  headers['X-Cs-Region'] = ctx.region;
  headers['X-Cs-Traceid'] = ctx.traceId;
  if (ctx.rateLimit !== null) {
    headers['X-Ratelimit-Limit'] = String(ctx.rateLimit.limit);
    headers['X-Ratelimit-Remaining'] = String(ctx.rateLimit.remaining);
  }
  return headers;
}

/** The Falcon envelope: `{meta: {query_time, pagination?, powered_by, trace_id}, resources, errors}`. */
export function envelopeReply(
  ctx: ReplyContext,
  status: number,
  parts: EnvelopeParts,
  extraHeaders: Record<string, string> = {},
): SandboxResponse {
  const count = Array.isArray(parts.resources) ? parts.resources.length : 0;
  const latencyMs = latencyFor(count);
  const meta: Record<string, JsonValue> = { query_time: queryTime(latencyMs) };
  if (parts.pagination !== undefined) meta['pagination'] = parts.pagination;
  meta['powered_by'] = parts.poweredBy;
  meta['trace_id'] = ctx.traceId;
  const body: Record<string, JsonValue> = { meta };
  if (parts.resources !== 'absent') body['resources'] = parts.resources;
  body['errors'] = (parts.errors ?? []).map(errorJson);
  return jsonReply(ctx, status, body, latencyMs, extraHeaders);
}

/** An error envelope: one `{code, message}` entry, no resources unless asked. */
export function errorReply(
  ctx: ReplyContext,
  status: number,
  poweredBy: string,
  message: string,
  options: { resources?: JsonValue[] | null | 'absent'; pagination?: Record<string, JsonValue>; headers?: Record<string, string> } = {},
): SandboxResponse {
  const parts: EnvelopeParts = { poweredBy, resources: options.resources ?? 'absent', errors: [{ code: status, message }] };
  if (options.pagination !== undefined) parts.pagination = options.pagination;
  return envelopeReply(ctx, status, parts, options.headers);
}

export function jsonReply(
  ctx: ReplyContext,
  status: number,
  body: JsonValue,
  latencyMs: number = latencyFor(0),
  extraHeaders: Record<string, string> = {},
): SandboxResponse {
  return {
    kind: 'http',
    status,
    headers: { ...commonHeaders(ctx, 'application/json'), ...extraHeaders },
    body: JSON.stringify(body),
    latencyMs,
  };
}

/** No body at all (the 308 of a wrong-cloud token request). */
export function emptyReply(ctx: ReplyContext, status: number, extraHeaders: Record<string, string>): SandboxResponse {
  return { kind: 'http', status, headers: { ...commonHeaders(ctx, null), ...extraHeaders }, body: '', latencyMs: latencyFor(0) };
}

const STATUS_TEXT: Readonly<Record<number, string>> = {
  413: 'Request Entity Too Large',
  414: 'Request-URI Too Large',
  502: 'Bad Gateway',
  503: 'Service Temporarily Unavailable',
  504: 'Gateway Time-out',
};

/** The page nginx serves in front of the API when a backend fails or a body is too large: not JSON. */
export function nginxHtmlReply(ctx: ReplyContext, status: 413 | 414 | 502 | 503 | 504): SandboxResponse {
  const title = `${status} ${STATUS_TEXT[status] ?? 'Error'}`;
  const body = `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n<center><h1>${title}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`;
  return {
    kind: 'http',
    status,
    headers: { 'Content-Type': 'text/html', Date: new Date(ctx.nowMs).toUTCString(), Server: 'nginx' },
    body,
    latencyMs: latencyFor(0),
  };
}

function errorJson(error: ApiError): JsonValue {
  const json: Record<string, JsonValue> = { code: error.code, message: error.message };
  if (error.id !== undefined) json['id'] = error.id;
  return json;
}

/** Seconds, as Falcon reports it; a fixed share of the simulated latency. */
function queryTime(latencyMs: number): number {
  return Number(((latencyMs * 0.6) / 1000).toFixed(9));
}
