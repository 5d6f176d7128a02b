import type { z } from 'zod';

/** The first zod issue as a field path and a sentence, for a 400 that names what to fix. */
export function firstIssue(error: z.ZodError): { field: string; message: string } {
  const issue = error.issues[0];
  if (issue === undefined) return { field: '(body)', message: 'the request body is invalid' };
  const field = issue.path.length === 0 ? '(body)' : issue.path.join('.');
  return { field, message: `${field}: ${issue.message}` };
}
