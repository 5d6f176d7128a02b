import type { FaultKnobs } from './profiles.ts';
import type { Random } from './random.ts';

export type TransportFault =
  | { kind: 'reset' }
  | { kind: 'html'; status: 502 | 503 | 504 }
  | { kind: 'json'; status: 500 | 503 };

/** An injected LogScale ingest fault, named after what the client sees and what was stored. */
export type IngestFault =
  | { kind: 'reset' }
  | { kind: 'json'; status: 500 | 503 }
  | { kind: 'rate-limited' }
  | { kind: 'lost-ack' };

/**
 * Decides the injected faults of a profile. Every decision is seeded, and a request signature (method,
 * path, query, body: i.e. the same page with the same cursor) is never failed more than
 * `maxConsecutiveFaults` times in a row, so a client with four attempts always gets through.
 */
export class FaultPlan {
  readonly #consecutive = new Map<string, number>();
  readonly #listCalls = new Map<string, number>();
  #cursorCalls = 0;

  constructor(
    readonly knobs: FaultKnobs,
    readonly random: Random,
  ) {}

  /** Whether this signature may be failed once more. */
  mayFail(signature: string): boolean {
    return (this.#consecutive.get(signature) ?? 0) < this.knobs.maxConsecutiveFaults;
  }

  recordFault(signature: string): void {
    this.#consecutive.set(signature, (this.#consecutive.get(signature) ?? 0) + 1);
  }

  recordSuccess(signature: string): void {
    this.#consecutive.delete(signature);
  }

  /** Connection resets, nginx HTML 5xx and JSON 5xx, drawn in that order. */
  transportFault(signature: string): TransportFault | null {
    const { resetRate, html5xxRate, json5xxRate } = this.knobs;
    if (!this.mayFail(signature)) return null;
    if (this.random.chance(resetRate)) return { kind: 'reset' };
    if (this.random.chance(html5xxRate)) return { kind: 'html', status: this.random.pick([502, 503, 504] as const) };
    if (this.random.chance(json5xxRate)) return { kind: 'json', status: this.random.pick([500, 503] as const) };
    return null;
  }

  /** Every Nth call to a list endpoint answers 429 (counted per endpoint path). */
  injected429(path: string, signature: string): boolean {
    const every = this.knobs.injected429Every;
    if (every === null) return false;
    const calls = (this.#listCalls.get(path) ?? 0) + 1;
    this.#listCalls.set(path, calls);
    return calls % every === 0 && this.mayFail(signature);
  }

  /** Every Nth request that carries a cursor token finds its context gone. */
  expireCursor(signature: string): boolean {
    const every = this.knobs.expireCursorEvery;
    if (every === null) return false;
    this.#cursorCalls++;
    return this.#cursorCalls % every === 0 && this.mayFail(signature);
  }

  /**
   * Ingest faults: resets, JSON 5xx, 429s and lost acknowledgements, drawn in that order. Only the lost
   * acknowledgement stores the call's events. Call it on a plan of its own random stream (FalconSandbox's
   * 'ingest'), so that ingest calls leave the draws of the other faults unchanged.
   */
  ingestFault(signature: string): IngestFault | null {
    const { ingestResetRate, ingest5xxRate, ingest429Rate, ingestLostAckRate } = this.knobs;
    if (!this.mayFail(signature)) return null;
    if (this.random.chance(ingestResetRate)) return { kind: 'reset' };
    if (this.random.chance(ingest5xxRate)) return { kind: 'json', status: this.random.pick([500, 503] as const) };
    if (this.random.chance(ingest429Rate)) return { kind: 'rate-limited' };
    if (this.random.chance(ingestLostAckRate)) return { kind: 'lost-ack' };
    return null;
  }

  errorsIn200(signature: string): boolean {
    return this.knobs.errorsIn200Rate > 0 && this.mayFail(signature) && this.random.chance(this.knobs.errorsIn200Rate);
  }
}
