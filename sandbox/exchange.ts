/** The sandbox's transport-neutral request and response (re-exported by FalconSandbox.ts). */

/** Server clock: virtual in tests, Date.now on the server. */
export interface SandboxClock {
  nowMs(): number;
}

export interface SandboxRequest {
  method: string;
  /** Absolute, e.g. http://127.0.0.1:8787/alerts/queries/alerts/v2?limit=10 */
  url: string;
  /** Any casing. */
  headers: Record<string, string>;
  body?: string;
  /** Worker or IP identity for the per-IP buckets. @default 'default' */
  clientKey?: string;
}

/**
 * `latencyMs` is deterministic; the in-process harness advances its virtual clock by it. Of the network
 * errors, `reset` is a dropped connection, and `timeout` says the request was processed and no answer came
 * back: the unknown-outcome case, where a retry may do the work twice. Over a socket both kill the connection.
 */
export type SandboxResponse =
  | { kind: 'http'; status: number; headers: Record<string, string>; body: string; latencyMs: number }
  | { kind: 'network-error'; code: 'reset' | 'timeout'; latencyMs: number };
