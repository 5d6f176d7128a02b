import type { z } from 'zod';
import { badRequest, type FunctionResponse } from './FunctionResponse.ts';

/**
 * Validates a handler's request body at the boundary. A refusal is the 400 that names the first
 * offending field, e.g. "The page-run request is invalid: max_pages: ... (field: max_pages)".
 */
export function parseRequest<S extends z.ZodTypeAny>(schema: S, body: unknown, handler: string): { ok: true; data: z.output<S> } | { ok: false; response: FunctionResponse } {
  const parsed = schema.safeParse(body);
  if (parsed.success) return { ok: true, data: parsed.data as z.output<S> };
  const issue = parsed.error.issues[0];
  const field = issue === undefined || issue.path.length === 0 ? '(body)' : issue.path.join('.');
  const message = issue === undefined ? 'the request body is invalid' : `${field}: ${issue.message}`;
  return { ok: false, response: badRequest('INPUT_INVALID', field, `The ${handler} request is invalid: ${message}`) };
}
