import { assertNever } from '../assertNever.ts';
import type { Cursor } from '../Checkpoint.ts';
import { serverNow } from '../core/serverNow.ts';
import type { RunningState } from '../EngineState.ts';
import { ENGINE_DEFAULTS } from '../RunInput.ts';
import { PAGE_RUN } from './pageRunMachine.ts';

/** Whether the cursor would expire before the next request could use it (on the server's clock). */
export function cursorExpired(s: RunningState, cursor: Cursor): boolean {
  const margin = ENGINE_DEFAULTS.cursorExpiryMarginMs + s.run.latencyEstimateMs;
  const expiresAt = cursorExpiresAt(s, cursor);
  return expiresAt !== null && serverNow(PAGE_RUN, s) + margin > expiresAt;
}

/** When a cursor expires on the server's clock; null for cursors that do not (offsets, Next-Page links). */
export function cursorExpiresAt(s: RunningState, cursor: Cursor | null): number | null {
  if (!cursor) return null;
  switch (cursor.kind) {
    case 'offset':
    case 'next-page':
      return null;
    case 'scroll':
      return cursor.expiresAtServerMs;
    case 'after':
      return cursor.obtainedAtServerMs + s.input.cursorTtlMs;
    default:
      return assertNever(cursor, 'cursor');
  }
}
