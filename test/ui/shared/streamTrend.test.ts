import { describe, expect, it } from 'vitest';
import type { HealthRecord } from '../../../functions/engine/HealthRecord.ts';
import type { VerdictKind } from '../../../functions/storage/RunRecord.ts';
import { createFormatter } from '../../../ui/shared/createFormatter.ts';
import { streamTrends, TREND_POINTS } from '../../../ui/shared/streamTrend.ts';
import { runRecord } from '../support/runRecordFixture.ts';

const format = createFormatter({ locale: 'en-us', timeZone: 'UTC' });

function run(key: string, stream: string, startedAtMs: number, health: Partial<HealthRecord>, kind: VerdictKind = 'has_more') {
  return { key, record: runRecord({ record: { stream, started_at_ms: startedAtMs, ended_at_ms: startedAtMs + 10, verdict_kind: kind, verdict: kind === 'failed' ? 'failed:X' : kind }, health }) };
}

describe(streamTrends.name, () => {
  it('gives one trend per stream, points oldest first, with the latest run summarised', () => {
    const trends = streamTrends(
      [
        run('a2', 'alerts', 2000, { exportItems: 25_134, totalAtStart: 25_000, apiCalls: 5, exportApiCalls: 34, optimalCalls: 25 }, 'complete'),
        run('a1', 'alerts', 1000, { exportItems: 3000, totalAtStart: 25_000, apiCalls: 4, tokenMissingMidRun: 1, retries: 2, rateLimitWaitMs: 45_500 }),
        run('v1', 'vulnerabilities', 1500, { exportItems: 0, totalAtStart: null, apiCalls: 1, optimalCalls: null, tokenExpiries: 0, watermarkRestarts: 0, rateLimitWaitMs: 0, retries: 0 }, 'failed'),
      ],
      format,
    );
    expect(trends.map((t) => t.stream)).toEqual(['alerts', 'vulnerabilities']);
    const [alerts, vulns] = trends;
    expect(alerts?.points.map((p) => [p.key, p.completenessText, p.calls, p.verdictKind])).toEqual([
      ['a1', '12%', 4, 'has_more'],
      ['a2', '100.5%', 5, 'complete'],
    ]);
    expect(alerts?.points[1]?.completeness).toBeCloseTo(1.00536, 5);
    expect(alerts?.maxCalls).toBe(5);
    expect(alerts?.latest).toMatchObject({ exportItemsText: '25,134 of 25,000', exportCallsText: '34', optimalCallsText: '25', callRatioText: '1.36×' });
    expect(alerts?.latest.verdict.kind).toBe('complete');
    expect(alerts?.totals.tokenMissingMidRun.text).toBe('1');
    expect(alerts?.totals.retries.value).toBe(3);
    expect(alerts?.totals.rateLimitWait).toEqual({ value: 66_100, text: '1 min 6 s', notable: true });
    expect(alerts?.totals.failedRuns).toEqual({ value: 0, text: '0', notable: false });
    expect(vulns?.points[0]?.completeness).toBeNull();
    expect(vulns?.points[0]?.completenessText).toBe('unknown');
    expect(vulns?.totals.failedRuns).toEqual({ value: 1, text: '1', notable: true });
    expect(vulns?.latest.exportItemsText).toBe('0 (total unknown)');
  });

  it('counts an export of nothing as complete', () => {
    const [trend] = streamTrends([run('e', 'iocs', 1, { totalAtStart: 0, exportItems: 0 }, 'complete')], format);
    expect(trend?.points[0]?.completenessText).toBe('100%');
  });

  it('charts only the most recent runs but sums them all', () => {
    const runs = Array.from({ length: TREND_POINTS + 5 }, (_, i) => run(`r${String(i).padStart(2, '0')}`, 'hosts', i * 100, { apiCalls: i, retries: 1 }));
    const [trend] = streamTrends(runs, format);
    expect(trend?.runCount).toBe(TREND_POINTS + 5);
    expect(trend?.points).toHaveLength(TREND_POINTS);
    expect(trend?.points[0]?.key).toBe('r05');
    expect(trend?.totals.retries.value).toBe(TREND_POINTS + 5);
    expect(trend?.maxCalls).toBe(TREND_POINTS + 4);
    expect(trend?.summary).toContain(`the last ${TREND_POINTS} of ${TREND_POINTS + 5} runs`);
  });
});
