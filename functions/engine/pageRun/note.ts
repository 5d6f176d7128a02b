import type { RunContext } from '../EngineState.ts';
import { appendEvent, type HealthEventKind } from '../HealthRecord.ts';

export function note(s: RunContext, kind: HealthEventKind, detail: string): void {
  s.health = appendEvent(s.health, { atMs: s.run.nowMs, kind, detail });
}
