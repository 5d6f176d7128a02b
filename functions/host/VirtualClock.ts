import type { Clock, Sleep } from './Transport.ts';

/** Virtual time for the sandbox: sleeping advances the clock instantly, so a 45 s wait costs nothing. */
export class VirtualClock implements Clock {
  #nowMs: number;

  constructor(startMs: number) {
    this.#nowMs = startMs;
  }

  nowMs(): number {
    return this.#nowMs;
  }

  advance(ms: number): void {
    if (ms > 0) this.#nowMs += ms;
  }

  readonly sleep: Sleep = async (ms) => {
    this.advance(ms);
  };
}

/** A client clock that runs `offsetMs` away from another clock (the clock-skew profile). */
export function skewedClock(base: Clock, offsetMs: number): Clock {
  return { nowMs: () => base.nowMs() + offsetMs };
}
