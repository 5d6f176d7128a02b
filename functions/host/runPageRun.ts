import type { RunResult } from '../engine/EngineCommand.ts';
import type { EngineEvent } from '../engine/EngineEvent.ts';
import type { HealthEvent, HealthRecord } from '../engine/HealthRecord.ts';
import type { RunInput } from '../engine/RunInput.ts';
import { pageRunSteps } from '../engine/pageRunSteps.ts';
import { performIo, type IoHost } from './performIo.ts';

export interface PageRunHost extends IoHost {
  /** Receives each page's records, the checkpoint that is valid once they are stored, and the run's health so far. */
  sink(items: unknown[], checkpoint: string, health: HealthRecord): Promise<void>;
  onEvent?(event: HealthEvent, health: HealthRecord): void;
}

/**
 * The Node host: performs the engine's commands and nothing else. Every decision (what to request,
 * when to wait, when to stop) is the engine's.
 */
export async function runPageRun(input: RunInput, host: PageRunHost): Promise<RunResult> {
  let reported = 0;
  const observe = host.onEvent
    ? (health: HealthRecord) => {
        // The timeline keeps its head and tail when it overflows; report what is new since the last step.
        const timeline = health.timeline;
        for (const e of timeline.slice(Math.min(reported, timeline.length))) host.onEvent?.(e, health);
        reported = timeline.length;
      }
    : undefined;
  const run = pageRunSteps(input, host.clock.nowMs(), observe);
  let next = run.next();
  while (!next.done) {
    const command = next.value;
    let event: EngineEvent;
    if (command.kind === 'emit') {
      await host.sink(command.items, command.checkpoint, command.health);
      event = { kind: 'emitted', nowMs: host.clock.nowMs() };
    } else {
      event = await performIo(command, host);
    }
    next = run.next(event);
  }
  return next.value;
}
