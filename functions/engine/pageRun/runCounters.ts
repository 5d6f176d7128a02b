import type { ExportCounters } from '../Checkpoint.ts';
import type { RunContext } from '../EngineState.ts';
import type { HealthRecord } from '../HealthRecord.ts';

/** A counter of the run's health record; those the export keeps across runs are in the checkpoint too. */
export type RunCounter = {
  [K in keyof HealthRecord]: HealthRecord[K] extends number ? K : never;
}[keyof HealthRecord];

const IN_CHECKPOINT: ReadonlySet<RunCounter> = new Set<keyof ExportCounters & RunCounter>([
  'items',
  'apiCalls',
  'pages',
  'tokenMissingMidRun',
  'tokenExpiries',
  'watermarkRestarts',
  'depthCapRewindows',
  'duplicatesDropped',
]);

/** Moves a counter in the checkpoint (the whole export) and in the health record (this run) together. */
export function count(s: RunContext, counter: RunCounter, by = 1): void {
  if (IN_CHECKPOINT.has(counter)) s.cp.counters[counter as keyof ExportCounters] += by;
  s.health[counter] += by;
}

/**
 * Takes back a page the host could not store. The checkpoint's page and duplicate counters are not
 * taken back: the run resumes from the last acknowledged checkpoint, which never counted them; its
 * item counter is, because the health's export total is read from it.
 */
export function uncountPage(s: RunContext, page: { items: number; dropped: number }): void {
  s.health.items -= page.items;
  s.health.pages -= 1;
  s.health.duplicatesDropped -= page.dropped;
  s.cp.counters.items -= page.items;
}
