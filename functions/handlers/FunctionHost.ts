import type { FalconAuth } from '../cli/FalconAuth.ts';
import type { Clock, Sleep, Transport } from '../cli/Transport.ts';

/**
 * What a handler of the page-run function gets from its host: the Foundry request's token (or the CLI's
 * client credentials), the app id for custom storage, and the clock. The same handlers serve the local
 * workflow runner and the CLI; a Foundry host would supply the same things from the FDK request.
 */
export interface FunctionHost {
  transport: Transport;
  clock: Clock;
  sleep: Sleep;
  auth: Pick<FalconAuth, 'bearer' | 'refresh' | 'baseUrl'>;
  /** Sent as X-CS-APP-ID on custom storage calls; Foundry sets it in the cloud. */
  appId: string;
  /** Wall-clock budget of one invocation (max_exec_duration_seconds minus a margin). */
  deadlineMs: number;
  /** Identifies the Fusion execution that called the handler, empty outside workflows. */
  executionId: string;
}

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
