import { describe, expect, it } from 'vitest';
import { createFormatter } from '../../../ui/shared/createFormatter.ts';
import { runRow, runRows } from '../../../ui/shared/runRow.ts';
import { runRecord } from '../support/runRecordFixture.ts';

const format = createFormatter({ locale: 'en-us', timeZone: 'UTC' });

describe(runRow.name, () => {
  it('shows this run against the export total, and the export calls against the export optimum', () => {
    const row = runRow('k1', runRecord(), format);
    expect(row).toMatchObject({
      key: 'k1',
      runId: 'run-2',
      stream: 'alerts',
      startedText: 'Nov 2, 2026, 10:40:00 AM UTC',
      durationText: '24.9 s',
      itemsOfText: 'of 25,000',
      exportItemsText: '5,995 of 25,000',
      optimalCallsText: '25',
      callRatioText: '0.32×',
    });
    expect(row.items).toEqual({ value: 3000, text: '3,000', notable: false });
    expect(row.runCalls).toEqual({ value: 4, text: '4', notable: false });
    expect(row.exportCalls).toEqual({ value: 8, text: '8', notable: false });
    expect(row.rateLimitWait).toEqual({ value: 20_600, text: '20.6 s', notable: true });
    expect(row.tokenExpiries).toEqual({ value: 1, text: '1', notable: true });
    expect(row.tokenMissingMidRun).toEqual({ value: 0, text: '0', notable: false });
    expect(row.verdict.kind).toBe('has_more');
    expect(row.timeline.markers).toHaveLength(3);
  });

  it('flags an export that spent more calls than the optimum', () => {
    const row = runRow('k', runRecord({ health: { exportApiCalls: 34, optimalCalls: 25 } }), format);
    expect(row.exportCalls.notable).toBe(true);
    expect(row.callRatioText).toBe('1.36×');
  });

  it('says when the total is unknown instead of inventing one', () => {
    const row = runRow('k', runRecord({ health: { totalAtStart: null, optimalCalls: null, items: 0, exportItems: 0 } }), format);
    expect([row.items.text, row.itemsOfText, row.exportItemsText]).toEqual(['0', '(total unknown)', '0 (total unknown)']);
    expect(row.optimalCallsText).toBe('—');
    expect(row.callRatioText).toBeNull();
    expect(row.exportCalls.notable).toBe(false);
  });
});

describe(runRows.name, () => {
  const entries = [
    { key: 'a2', record: runRecord({ record: { stream: 'alerts', started_at_ms: 2000 } }) },
    { key: 'h1', record: runRecord({ record: { stream: 'hosts', started_at_ms: 500 } }) },
    { key: 'a1', record: runRecord({ record: { stream: 'alerts', started_at_ms: 1000 } }) },
    { key: 'a3', record: runRecord({ record: { stream: 'alerts', started_at_ms: 3000 } }) },
  ];

  it('groups by stream and reads an execution oldest first', () => {
    expect(runRows(entries, format, 'oldest-first').map((r) => r.key)).toEqual(['a1', 'a2', 'a3', 'h1']);
  });

  it('puts the latest run first on the runs page', () => {
    expect(runRows(entries, format, 'newest-first').map((r) => r.key)).toEqual(['a3', 'a2', 'a1', 'h1']);
  });
});
