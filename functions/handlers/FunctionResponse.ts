/** The FDK's APIError: an HTTP status and a message that names the field and the fix. */
export interface FunctionError {
  code: number;
  message: string;
}

/** The FDK's response: `{code, body, errors}` (foundry-platform.md §1.2). */
export interface FunctionResponse {
  code: number;
  body: Record<string, unknown>;
  errors: FunctionError[];
}

/** A 4xx whose body also carries the stable error code and the offending field, for workflows to branch on. */
export function badRequest(errorCode: string, field: string, message: string, status = 400): FunctionResponse {
  return { code: status, body: { error_code: errorCode, field }, errors: [{ code: status, message: `${message} (field: ${field})` }] };
}
