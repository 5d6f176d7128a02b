/** What a host tells the engine. `nowMs` is the host's local clock; the engine never reads a clock itself. */
export type EngineEvent =
  | { kind: 'start'; nowMs: number; input: unknown }
  | { kind: 'http-response'; nowMs: number; status: number; headers: Record<string, string>; body: string }
  | { kind: 'http-error'; nowMs: number; code: 'reset' | 'timeout' | 'network'; message: string }
  | { kind: 'slept'; nowMs: number }
  | { kind: 'emitted'; nowMs: number }
  | { kind: 'authenticated'; nowMs: number; ok: boolean; retryable?: boolean; message?: string };
