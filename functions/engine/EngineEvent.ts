import type { EngineError } from './EngineError.ts';

/** What a sink did with one emitted page: calls made, retries among them, events and bytes acknowledged. */
export interface SinkReport {
  calls: number;
  retries: number;
  events: number;
  bytes: number;
  /** One line per retry, for the run's timeline. */
  notes: string[];
}

/** What a host tells the engine. `nowMs` is the host's local clock; the engine never reads a clock itself. */
export type EngineEvent =
  | { kind: 'start'; nowMs: number; input: unknown }
  | { kind: 'http-response'; nowMs: number; status: number; headers: Record<string, string>; body: string }
  | { kind: 'http-error'; nowMs: number; code: 'reset' | 'timeout' | 'network'; message: string }
  | { kind: 'slept'; nowMs: number }
  /** The page's records are stored; `sink` reports what storing them took, when a sink call did it. */
  | { kind: 'emitted'; nowMs: number; sink?: SinkReport }
  /** The page's records could not be stored: the run ends at the last acknowledged checkpoint. */
  | { kind: 'emit-failed'; nowMs: number; error: EngineError; sink?: SinkReport }
  | { kind: 'authenticated'; nowMs: number; ok: boolean; retryable?: boolean; message?: string };
