import type { RunResult } from '../engine/EngineCommand.ts';
import type { EngineEvent } from '../engine/EngineEvent.ts';
import type { EngineState } from '../engine/EngineState.ts';
import type { HealthEvent, HealthRecord } from '../engine/HealthRecord.ts';
import type { RunInput } from '../engine/RunInput.ts';
import { step } from '../engine/step.ts';
import type { FalconAuth } from './FalconAuth.ts';
import type { Clock, Sleep, Transport } from './Transport.ts';

export interface PageRunHost {
  transport: Transport;
  clock: Clock;
  sleep: Sleep;
  auth: Pick<FalconAuth, 'bearer' | 'refresh' | 'baseUrl'>;
  /** Receives each page's records, the checkpoint that is valid once they are stored, and the run's health so far. */
  sink(items: unknown[], checkpoint: string, health: HealthRecord): Promise<void>;
  onEvent?(event: HealthEvent, health: HealthRecord): void;
}

/**
 * The Node host: performs the engine's commands and nothing else. Every decision (what to request,
 * when to wait, when to stop) is the engine's.
 */
export async function runPageRun(input: RunInput, host: PageRunHost): Promise<RunResult> {
  let state: EngineState | null = null;
  let event: EngineEvent = { kind: 'start', nowMs: host.clock.nowMs(), input };
  let reported = 0;
  for (;;) {
    const out = step(state, event);
    state = out.state;
    if (host.onEvent && state.health) {
      const timeline = state.health.timeline;
      // The timeline keeps its head and tail when it overflows; report what is new since the last step.
      const start = Math.min(reported, timeline.length);
      for (const e of timeline.slice(start)) host.onEvent(e, state.health);
      reported = timeline.length;
    }
    const command = out.command;
    switch (command.kind) {
      case 'done':
        return command.result;
      case 'http': {
        let bearer: string;
        try {
          bearer = await host.auth.bearer();
        } catch (error) {
          // A renewal that fails is a failed request as far as the engine is concerned: it retries or stops.
          event = { kind: 'http-error', nowMs: host.clock.nowMs(), code: 'network', message: error instanceof Error ? error.message : String(error) };
          break;
        }
        const answer = await host.transport({
          method: command.request.method,
          url: host.auth.baseUrl + command.request.path,
          headers: { ...command.request.headers, Authorization: `Bearer ${bearer}` },
          body: command.request.body,
          timeoutMs: command.timeoutMs,
        });
        const nowMs = host.clock.nowMs();
        event =
          answer.kind === 'response'
            ? { kind: 'http-response', nowMs, status: answer.status, headers: answer.headers, body: answer.body }
            : { kind: 'http-error', nowMs, code: answer.code, message: answer.message };
        break;
      }
      case 'sleep':
        await host.sleep(command.ms);
        event = { kind: 'slept', nowMs: host.clock.nowMs() };
        break;
      case 'emit':
        await host.sink(command.items, command.checkpoint, state.health);
        event = { kind: 'emitted', nowMs: host.clock.nowMs() };
        break;
      case 'authenticate': {
        const refreshed = await host.auth.refresh();
        event = refreshed.ok
          ? { kind: 'authenticated', nowMs: host.clock.nowMs(), ok: true }
          : { kind: 'authenticated', nowMs: host.clock.nowMs(), ok: false, retryable: refreshed.retryable, message: refreshed.message };
        break;
      }
    }
  }
}
