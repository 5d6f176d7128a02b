import type { z } from 'zod';
import { checkpoints, checkpointsRequestSchema } from './checkpointsHandler.ts';
import { enrichIndicators, enrichRequestSchema } from './enrichHandler.ts';
import type { FunctionHost, FunctionResponse } from './FunctionHost.ts';
import { pageRun, pageRunRequestSchema } from './pageRunHandler.ts';

/** The FDK envelope a Foundry function receives (foundry-platform.md §1.5), reduced to what the handlers read. */
export interface FunctionRequest {
  method: string;
  url: string;
  body: unknown;
}

export interface HandlerEntry {
  /** `functions[].handlers[].name` in manifest.yml, and the last part of a workflow action id. */
  name: string;
  method: 'POST';
  path: string;
  requestSchema: z.ZodTypeAny;
  handle(body: unknown, host: FunctionHost): Promise<FunctionResponse>;
}

/** Foundry's request payload limit (foundry-platform.md §1.4). */
export const MAX_REQUEST_BYTES = 124 * 1024;

export const PAGE_RUN_HANDLERS: readonly HandlerEntry[] = [
  { name: 'page-run', method: 'POST', path: '/page-run', requestSchema: pageRunRequestSchema, handle: pageRun },
  { name: 'checkpoints', method: 'POST', path: '/checkpoints', requestSchema: checkpointsRequestSchema, handle: checkpoints },
  { name: 'enrich', method: 'POST', path: '/enrich', requestSchema: enrichRequestSchema, handle: enrichIndicators },
];

/** Routes by exact method and path, as both FDK routers do. */
export async function invokePageRunFunction(request: FunctionRequest, host: FunctionHost): Promise<FunctionResponse> {
  const entry = PAGE_RUN_HANDLERS.find((h) => h.path === request.url);
  if (entry === undefined) {
    const known = PAGE_RUN_HANDLERS.map((h) => `${h.method} ${h.path}`).join(', ');
    return { code: 404, body: { error_code: 'HANDLER_NOT_FOUND', field: 'url' }, errors: [{ code: 404, message: `No handler for ${request.url}; this function serves ${known}` }] };
  }
  if (request.method.toUpperCase() !== entry.method) {
    return { code: 405, body: { error_code: 'METHOD_NOT_ALLOWED', field: 'method' }, errors: [{ code: 405, message: `${entry.path} takes ${entry.method}, not ${request.method}` }] };
  }
  const bytes = Buffer.byteLength(JSON.stringify(request.body ?? null), 'utf8');
  if (bytes > MAX_REQUEST_BYTES) {
    return { code: 413, body: { error_code: 'REQUEST_TOO_LARGE', field: 'body' }, errors: [{ code: 413, message: `The request body is ${bytes} bytes; Foundry accepts at most ${MAX_REQUEST_BYTES} (field: body)` }] };
  }
  return entry.handle(request.body, host);
}
