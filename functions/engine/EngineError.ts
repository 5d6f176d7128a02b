/**
 * Every way a run can fail, with a stable `code`. `category` tells a host how to answer: `input`
 * errors are the caller's (HTTP 400 / exit 2, nothing written), `api` errors come from Falcon.
 */
export type EngineErrorCode =
  | 'INPUT_INVALID'
  | 'STREAM_UNKNOWN'
  /** The stream's API was retired (detections); the message names its replacement. */
  | 'STREAM_DECOMMISSIONED'
  | 'FILTER_INVALID'
  | 'CHECKPOINT_MALFORMED'
  | 'CHECKPOINT_TAMPERED'
  | 'CHECKPOINT_FOREIGN_KEY'
  | 'CHECKPOINT_VERSION'
  | 'CHECKPOINT_FOREIGN_STREAM'
  | 'CHECKPOINT_FOREIGN_FILTER'
  | 'CHECKPOINT_FOREIGN_SESSION'
  | 'AUTH_FAILED'
  | 'SCOPE_MISSING'
  | 'FILTER_REJECTED'
  | 'ENDPOINT_NOT_FOUND'
  | 'RETRIES_EXHAUSTED'
  | 'RATE_LIMIT_EXHAUSTED'
  | 'ERRORS_IN_200'
  | 'NON_JSON_BODY'
  | 'SCHEMA_MISMATCH'
  | 'NO_PROGRESS'
  | 'RECORD_TOO_LARGE'
  | 'UNEXPECTED_STATUS'
  | 'API_REDIRECTED'
  | 'ORDER_VIOLATED'
  /** The sink did not acknowledge a page's records after its retries (5xx, 429, timeouts, resets): another run may get through. */
  | 'INGEST_FAILED'
  /** The sink refused a page's records for good (4xx: a missing scope, a malformed request). */
  | 'INGEST_REFUSED'
  /** One record alone is larger than what the sink accepts in one call. */
  | 'INGEST_RECORD_TOO_LARGE'
  | 'PROTOCOL';

export type ErrorCategory = 'input' | 'api' | 'internal';

export type ErrorContext = Record<string, string | number | boolean | null>;

export interface EngineError {
  code: EngineErrorCode;
  category: ErrorCategory;
  message: string;
  context: ErrorContext;
  cause?: { code: string; message: string };
}

export function categoryOf(code: EngineErrorCode): ErrorCategory {
  switch (code) {
    case 'INPUT_INVALID':
    case 'STREAM_UNKNOWN':
    case 'STREAM_DECOMMISSIONED':
    case 'FILTER_INVALID':
    case 'CHECKPOINT_MALFORMED':
    case 'CHECKPOINT_TAMPERED':
    case 'CHECKPOINT_FOREIGN_KEY':
    case 'CHECKPOINT_VERSION':
    case 'CHECKPOINT_FOREIGN_STREAM':
    case 'CHECKPOINT_FOREIGN_FILTER':
    case 'CHECKPOINT_FOREIGN_SESSION':
      return 'input';
    case 'AUTH_FAILED':
    case 'SCOPE_MISSING':
    case 'FILTER_REJECTED':
    case 'ENDPOINT_NOT_FOUND':
    case 'RETRIES_EXHAUSTED':
    case 'RATE_LIMIT_EXHAUSTED':
    case 'ERRORS_IN_200':
    case 'NON_JSON_BODY':
    case 'SCHEMA_MISMATCH':
    case 'NO_PROGRESS':
    case 'RECORD_TOO_LARGE':
    case 'UNEXPECTED_STATUS':
    case 'API_REDIRECTED':
    case 'ORDER_VIOLATED':
    case 'INGEST_FAILED':
    case 'INGEST_REFUSED':
    case 'INGEST_RECORD_TOO_LARGE':
      return 'api';
    case 'PROTOCOL':
      return 'internal';
  }
}

/**
 * Failures that another run may get past without anyone changing anything: the API was busy, flaky or
 * answered garbage for a while, or (in a Foundry function) the invocation's token expired.
 */
export function retryableFailure(code: EngineErrorCode): boolean {
  switch (code) {
    case 'AUTH_FAILED':
    case 'RETRIES_EXHAUSTED':
    case 'RATE_LIMIT_EXHAUSTED':
    case 'ERRORS_IN_200':
    case 'NON_JSON_BODY':
    case 'UNEXPECTED_STATUS':
    case 'NO_PROGRESS':
    case 'INGEST_FAILED':
      return true;
    default:
      return false;
  }
}

export function engineError(
  code: EngineErrorCode,
  message: string,
  context: ErrorContext = {},
  cause?: { code: string; message: string },
): EngineError {
  return cause ? { code, category: categoryOf(code), message, context, cause } : { code, category: categoryOf(code), message, context };
}
