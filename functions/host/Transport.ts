/** The host's HTTP seam: undici over real sockets, or the sandbox in-process on a virtual clock. */
export interface TransportRequest {
  /** PUT and DELETE are custom storage's; the engine itself only sends GET and POST. */
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  url: string;
  headers: Record<string, string>;
  body: string | null;
  timeoutMs: number;
}

/**
 * What every host reports for a reset or a timeout, whatever its HTTP library says: the engine keeps the
 * message in the run's timeline, and the Node and Python hosts must leave identical records.
 */
export const TRANSPORT_MESSAGES = {
  reset: 'connection reset by peer',
  timeout: 'no answer within the request timeout',
} as const;

export type TransportResult =
  | { kind: 'response'; status: number; headers: Record<string, string>; body: string }
  | { kind: 'error'; code: 'reset' | 'timeout' | 'network'; message: string };

export type Transport = (request: TransportRequest) => Promise<TransportResult>;

export interface Clock {
  nowMs(): number;
}

export type Sleep = (ms: number) => Promise<void>;
