import type { RunResult } from '../engine/EngineCommand.ts';
import type { HealthEvent, HealthRecord } from '../engine/HealthRecord.ts';
import type { Clock } from '../host/Transport.ts';

const QUIET: ReadonlySet<HealthEvent['kind']> = new Set(['run_started', 'resumed', 'page']);

/** Progress on stderr: pages, items of total, rate, ETA, and named events as they happen. */
export class ProgressReporter {
  #pages = 0;
  #items = 0;
  #total: number | null = null;
  readonly #startedAtMs: number;

  constructor(
    private readonly out: NodeJS.WritableStream,
    private readonly clock: Clock,
  ) {
    this.#startedAtMs = clock.nowMs();
  }

  event(event: HealthEvent): void {
    if (QUIET.has(event.kind)) return;
    this.out.write(`  ! ${event.kind}: ${event.detail}\n`);
  }

  page(items: number, health: HealthRecord): void {
    // The export's total, minus what earlier runs of it exported, is what this run has left to do.
    this.#total = health.totalAtStart === null ? null : Math.max(0, health.totalAtStart - (health.exportItems - health.items));
    this.#pages++;
    this.#items += items;
    const elapsedS = Math.max((this.clock.nowMs() - this.#startedAtMs) / 1000, 0.001);
    const rate = this.#items / elapsedS;
    const of = this.#total !== null ? ` of ${this.#total}` : '';
    const eta = this.#total !== null && rate > 0 ? `, ETA ${Math.max(0, (this.#total - this.#items) / rate).toFixed(0)} s` : '';
    this.out.write(`page ${this.#pages}: ${this.#items}${of} records, ${rate.toFixed(0)}/s${eta}\n`);
  }

  summary(result: RunResult): void {
    const h = result.health;
    const lines = [
      `verdict ${result.verdict} (has_more ${result.hasMore})`,
      `records ${h.items} this run, ${h.exportItems} in the export; total at start ${h.totalAtStart ?? 'unknown'}`,
      `API calls ${h.apiCalls} this run, ${h.exportApiCalls} in the export, optimal ${h.optimalCalls ?? 'unknown'}`,
      `retries ${h.retries}, rate-limit wait ${h.rateLimitWaitMs} ms, auth refreshes ${h.authRefreshes}, errors inside 200 ${h.errorsIn200}`,
      `token_missing_mid_run ${h.tokenMissingMidRun}, token expiries ${h.tokenExpiries}, watermark restarts ${h.watermarkRestarts}, depth-cap re-windows ${h.depthCapRewindows}, duplicates dropped ${h.duplicatesDropped}`,
    ];
    if (result.error) lines.push(`error ${result.error.code}: ${result.error.message}`);
    this.out.write(lines.map((l) => `# ${l}`).join('\n') + '\n');
  }
}
