import type { IngestEvent } from './parseIngestData.ts';

/** One stored event and what its ingest call said about it. */
export interface IngestedEvent {
  /** The app's repository: the call's X-CS-APP-ID, or 'default'. */
  repository: string;
  event: IngestEvent;
  tags: string[];
  tagSource: string;
  testData: boolean;
  /** Server clock when the call was taken. */
  ingestedAtMs: number;
}

/** What one ingest call stores, for every event it carried. */
export interface IngestBatch {
  events: readonly IngestEvent[];
  tags: readonly string[];
  tagSource: string;
  testData: boolean;
}

/**
 * The LogScale repositories of the sandbox: every event ever ingested, in order, per app repository. It
 * is the ground truth of what an exporter wrote, duplicates from retried calls included; the export
 * helpers read it the way the app's saved search does.
 */
export class LogScaleStore {
  readonly #events: IngestedEvent[] = [];

  /** Stores the events of one call, in their order. */
  append(repository: string, batch: IngestBatch, nowMs: number): void {
    for (const event of batch.events) {
      this.#events.push({ repository, event, tags: [...batch.tags], tagSource: batch.tagSource, testData: batch.testData, ingestedAtMs: nowMs });
    }
  }

  /** Every stored event, in ingest order; of one repository, or of all of them. */
  events(repository?: string): IngestedEvent[] {
    return repository === undefined ? [...this.#events] : this.#events.filter((e) => e.repository === repository);
  }

  /** The repositories that hold at least one event, in the order they were first written. */
  repositories(): string[] {
    return [...new Set(this.#events.map((e) => e.repository))];
  }

  /**
   * What the app's saved search returns for one export session: the events whose `pg_session` is
   * `session`, one per `pg_event_id`, keeping the last one written (a retried call whose first answer
   * was lost wrote the same events twice). Events without a string `pg_event_id` are left out, as a
   * group-by on that field leaves them out. Ordered by where each kept copy was written.
   */
  exportRecords(session: string, repository?: string): IngestEvent[] {
    const kept = new Map<string, { index: number; event: IngestEvent }>();
    this.events(repository).forEach(({ event }, index) => {
      const id = event['pg_event_id'];
      if (event['pg_session'] === session && typeof id === 'string') kept.set(id, { index, event });
    });
    return [...kept.values()].sort((a, b) => a.index - b.index).map((k) => k.event);
  }
}
