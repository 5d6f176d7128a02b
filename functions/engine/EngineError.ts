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

const CATEGORY_OF: Readonly<Record<EngineErrorCode, ErrorCategory>> = {
  INPUT_INVALID: 'input',
  STREAM_UNKNOWN: 'input',
  STREAM_DECOMMISSIONED: 'input',
  FILTER_INVALID: 'input',
  CHECKPOINT_MALFORMED: 'input',
  CHECKPOINT_TAMPERED: 'input',
  CHECKPOINT_FOREIGN_KEY: 'input',
  CHECKPOINT_VERSION: 'input',
  CHECKPOINT_FOREIGN_STREAM: 'input',
  CHECKPOINT_FOREIGN_FILTER: 'input',
  CHECKPOINT_FOREIGN_SESSION: 'input',
  AUTH_FAILED: 'api',
  SCOPE_MISSING: 'api',
  FILTER_REJECTED: 'api',
  ENDPOINT_NOT_FOUND: 'api',
  RETRIES_EXHAUSTED: 'api',
  RATE_LIMIT_EXHAUSTED: 'api',
  ERRORS_IN_200: 'api',
  NON_JSON_BODY: 'api',
  SCHEMA_MISMATCH: 'api',
  NO_PROGRESS: 'api',
  RECORD_TOO_LARGE: 'api',
  UNEXPECTED_STATUS: 'api',
  API_REDIRECTED: 'api',
  ORDER_VIOLATED: 'api',
  INGEST_FAILED: 'api',
  INGEST_REFUSED: 'api',
  INGEST_RECORD_TOO_LARGE: 'api',
  PROTOCOL: 'internal',
};

export function categoryOf(code: EngineErrorCode): ErrorCategory {
  return CATEGORY_OF[code];
}

/**
 * Failures that another run may get past without anyone changing anything: the API was busy, flaky or
 * answered garbage for a while, or (in a Foundry function) the invocation's token expired.
 */
const RETRYABLE: ReadonlySet<EngineErrorCode> = new Set<EngineErrorCode>([
  'AUTH_FAILED',
  'RETRIES_EXHAUSTED',
  'RATE_LIMIT_EXHAUSTED',
  'ERRORS_IN_200',
  'NON_JSON_BODY',
  'UNEXPECTED_STATUS',
  'NO_PROGRESS',
  'INGEST_FAILED',
]);

export function retryableFailure(code: EngineErrorCode): boolean {
  return RETRYABLE.has(code);
}

export function engineError(
  code: EngineErrorCode,
  message: string,
  context: ErrorContext = {},
  cause?: { code: string; message: string },
): EngineError {
  return cause ? { code, category: categoryOf(code), message, context, cause } : { code, category: categoryOf(code), message, context };
}
