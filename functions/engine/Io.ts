import { assertNever } from './assertNever.ts';
import type { EngineEvent } from './EngineEvent.ts';

/** A request relative to the API origin; the host adds the origin and the bearer token, nothing else. */
export interface IoRequest {
  /** PUT and DELETE are custom storage's; the engine itself only sends GET and POST. */
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  headers: Record<string, string>;
  body: string | null;
}

/** What the function machine and the engines under it ask a host to do: I/O, and nothing else. */
export type IoCommand = { kind: 'http'; request: IoRequest; timeoutMs: number } | { kind: 'sleep'; ms: number } | { kind: 'authenticate' };

/** What a host performs of a machine's I/O command: its purpose and reason stay the machine's own. */
export function ioCommandOf(command: IoCommand): IoCommand {
  switch (command.kind) {
    case 'http':
      return { kind: 'http', request: command.request, timeoutMs: command.timeoutMs };
    case 'sleep':
      return { kind: 'sleep', ms: command.ms };
    case 'authenticate':
      return { kind: 'authenticate' };
    default:
      return assertNever(command, 'I/O command');
  }
}

/**
 * A sans-I/O coroutine: it yields one I/O command at a time and is resumed with the event that reports
 * its outcome. It lives for one function invocation and is never persisted (the engine's own state is
 * plain data; these only sequence engine runs and collection calls around it).
 */
export type Io<T> = Generator<IoCommand, T, EngineEvent>;
