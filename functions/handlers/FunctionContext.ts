/**
 * What a handler knows about its invocation, all of it plain data from the FDK request and the host's
 * environment. Time is the latest event's: the machine never reads a clock.
 */
export interface FunctionContext {
  /** The Fusion execution that called the handler (`X-Cs-Executionid`), empty outside workflows. */
  executionId: string;
  /** The Falcon API origin the host sends every request to. */
  apiBaseUrl: string;
  /** Sent as X-CS-APP-ID on custom storage calls when set; Foundry sets it itself in the cloud. */
  appId: string;
  /** Wall-clock budget of this invocation (the function's execution limit minus a margin). */
  deadlineMs: number;
  /** 256 random bits from the host (hex), for a signing key made on first use; never answered or logged. */
  entropy: string;
  /** Host time of the latest event, local clock (ms). */
  nowMs(): number;
}
