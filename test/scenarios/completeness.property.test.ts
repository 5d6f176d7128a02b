import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runSandboxExport } from '../../sandbox/runSandboxExport.ts';
import { STREAM_NAMES, STREAMS } from '../../functions/falcon/streams.ts';

/**
 * DESIGN.md's completeness definition under random fault schedules: every record that matched when the
 * export started and still exists when it ended is exported, and no id is exported twice.
 *
 * The schedules include a server that lies while answering 200 (entities answers that withhold ids, totals
 * that shrink, halve or cap, cursors that vanish with an agreeing total, scroll pages lost after the scroll
 * moved on, records an `after` cursor holds back and serves behind their order, on the next page or never
 * when the cursor is then abandoned), and inserts faster than the slowest export reads: an export is bounded by its start, so it
 * ends anyway and the newer records belong to the next incremental run.
 */
const schedule = fc.record({
  stream: fc.constantFrom(...STREAM_NAMES),
  seed: fc.integer({ min: 1, max: 1_000_000 }),
  size: fc.integer({ min: 0, max: 400 }),
  pageLimit: fc.integer({ min: 5, max: 60 }),
  runDeadlineMs: fc.integer({ min: 3_000, max: 60_000 }),
  knobs: fc.record({
    mutationsPerMinute: fc.record({ inserts: fc.integer({ min: 0, max: 120 }), deletes: fc.integer({ min: 0, max: 120 }) }),
    sparseFinalPage: fc.boolean(),
    phantomStealEvery: fc.option(fc.integer({ min: 1, max: 4 }), { nil: null }),
    injected429Every: fc.option(fc.integer({ min: 3, max: 8 }), { nil: null }),
    injected429RetryAfterMs: fc.integer({ min: 0, max: 60_000 }),
    retryAfterMode: fc.constantFrom('epoch-seconds' as const, 'epoch-ms' as const, 'absent' as const),
    cursorTtlMs: fc.integer({ min: 5_000, max: 120_000 }),
    expireCursorEvery: fc.option(fc.integer({ min: 2, max: 8 }), { nil: null }),
    nextPageHeader: fc.boolean(),
    offsetSemantics: fc.constantFrom('echo' as const, 'next' as const),
    clientClockSkewMs: fc.integer({ min: -300_000, max: 300_000 }),
    errorsIn200Rate: fc.double({ min: 0, max: 0.1, noNaN: true }),
    html5xxRate: fc.double({ min: 0, max: 0.1, noNaN: true }),
    json5xxRate: fc.double({ min: 0, max: 0.1, noNaN: true }),
    resetRate: fc.double({ min: 0, max: 0.05, noNaN: true }),
    tokenLifetimeMs: fc.integer({ min: 2_000, max: 1_799_000 }),
    entitiesWithholdRate: fc.double({ min: 0, max: 0.3, noNaN: true }),
    totalLie: fc.constantFrom(null, 'shrink' as const, 'halve' as const, 'cap' as const),
    totalCap: fc.integer({ min: 1, max: 300 }),
    vanishingCursorRate: fc.double({ min: 0, max: 0.3, noNaN: true }),
    scrollLossRate: fc.double({ min: 0, max: 0.3, noNaN: true }),
    emptiedPageRate: fc.double({ min: 0, max: 0.3, noNaN: true }),
    outOfOrderRate: fc.double({ min: 0, max: 0.5, noNaN: true }),
  })
    // Two lies on one page defeat any client (README, Known limits): a page short of a held-back record
    // whose cursor also vanishes with an agreeing total looks exactly like the end. A record held back for a
    // page that then comes back empty is read again, but with kills, byte budgets and restarts on top the
    // property still finds schedules that lose one (README, Known limits). Held-back records, or the other lies.
    .map((knobs) => (knobs.outOfOrderRate > 0.25 ? { ...knobs, vanishingCursorRate: 0, emptiedPageRate: 0 } : { ...knobs, outOfOrderRate: 0 })),
  depthCap: fc.integer({ min: 1, max: 6 }),
  // A Foundry function returns at most 120 KB; small budgets cut pages short of the API's limit.
  maxResponseBytes: fc.option(fc.integer({ min: 3_000, max: 100_000 }), { nil: undefined }),
  // A crash between writing a page and saving its checkpoint, every few pages.
  killEvery: fc.option(fc.integer({ min: 2, max: 9 }), { nil: undefined }),
});

describe('completeness under random fault schedules', () => {
  it('exports every surviving record exactly once', async () => {
    await fc.assert(
      fc.asyncProperty(schedule, async (c) => {
        const spec = STREAMS[c.stream];
        const depthCaps = spec.style === 'offset' ? { [c.stream]: c.pageLimit * c.depthCap } : {};
        const report = await runSandboxExport({
          stream: c.stream,
          profile: 'clean',
          seed: c.seed,
          pageLimit: c.pageLimit,
          runDeadlineMs: c.runDeadlineMs,
          // A bound on liveness, not a target: the slowest schedules (one 1.7 KB alert per 3 KB run, a minute
          // of 429 wait every third call spread over 3 s runs, a kill every second page) need about 2 000 runs.
          maxRuns: 5_000,
          ...(c.maxResponseBytes === undefined ? {} : { maxResponseBytes: c.maxResponseBytes }),
          ...(c.killEvery === undefined ? {} : { killEvery: c.killEvery }),
          sizes: { alerts: c.size, iocs: c.size, intel: c.size, hosts: c.size, vulnerabilities: c.size },
          knobs: { ...c.knobs, depthCaps },
        });
        // A server that breaks its own order where no page can vouch for a record gets the classified
        // stop ("when in doubt") instead of a complete; nothing else may keep an export from completing.
        if (c.knobs.outOfOrderRate > 0 && report.finalVerdict === 'failed:ORDER_VIOLATED') {
          expect(report.duplicates).toBe(0);
          return;
        }
        expect(report.finalVerdict).toBe('complete');
        expect(report.missingIds).toEqual([]);
        expect(report.duplicates).toBe(0);
      }),
      // PG_PROPERTY_RUNS sets the number of schedules; PG_PROPERTY_SEED and PG_PROPERTY_PATH replay a counterexample fast-check printed.
      { numRuns: Number(process.env['PG_PROPERTY_RUNS'] ?? 500), ...(process.env['PG_PROPERTY_SEED'] ? { seed: Number(process.env['PG_PROPERTY_SEED']), path: process.env['PG_PROPERTY_PATH'] } : {}) },
    );
  });
});
