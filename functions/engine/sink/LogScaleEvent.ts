import type { StreamName } from '../../falcon/streams.ts';

/**
 * One exported record as an event of the app's LogScale repository. Ingest is at least once (an answer
 * lost after the events landed is sent again), so every event names itself: `pg_event_id` is the same
 * for the same record of the same stream, and the app's saved search keeps one event per id and session.
 */
export interface LogScaleEvent {
  pg_event_id: string;
  pg_session: string;
  pg_stream: StreamName;
  pg_run: string;
  record: unknown;
}

function eventIdOf(stream: StreamName, recordId: string): string {
  return `${stream}:${recordId}`;
}

export function toLogScaleEvent(stream: StreamName, sessionId: string, runId: string, recordId: string, record: unknown): LogScaleEvent {
  return { pg_event_id: eventIdOf(stream, recordId), pg_session: sessionId, pg_stream: stream, pg_run: runId, record };
}
