import { describe, expect, it } from 'vitest';
import { createFormatter } from '../../../ui/shared/createFormatter.ts';
import { timelineModel } from '../../../ui/shared/timelineModel.ts';
import { runRecord } from '../support/runRecordFixture.ts';

const format = createFormatter({ locale: 'en-us', timeZone: 'UTC' });

describe(timelineModel.name, () => {
  it('places events at their offset from the run start', () => {
    const { health } = runRecord({
      health: {
        startedAtMs: 1000,
        endedAtMs: 2000,
        timeline: [
          { atMs: 1000, kind: 'run_started', detail: '' },
          { atMs: 1250, kind: 'retry', detail: 'HTTP 503' },
          { atMs: 2000, kind: 'complete', detail: 'done' },
        ],
      },
    });
    const model = timelineModel(health, format);
    expect(model.durationMs).toBe(1000);
    expect(model.markers.map((m) => [m.kind, m.position, m.offsetText, m.lane, m.tone])).toEqual([
      ['run_started', 0, '+0 ms', 0, 'lifecycle'],
      ['retry', 0.25, '+250 ms', 0, 'error'],
      ['complete', 1, '+1 s', 0, 'complete'],
    ]);
  });

  it('draws pages as ticks on the axis, not as markers', () => {
    const { health } = runRecord({
      health: {
        startedAtMs: 0,
        endedAtMs: 4000,
        pages: 2,
        timeline: [
          { atMs: 0, kind: 'run_started', detail: '' },
          { atMs: 1000, kind: 'page', detail: '500 new record(s)' },
          { atMs: 3000, kind: 'page', detail: '20 new record(s), 1 already exported' },
          { atMs: 4000, kind: 'complete', detail: 'done' },
        ],
      },
    });
    const model = timelineModel(health, format);
    expect(model.pageTicks).toEqual([
      { offsetText: '+1 s', position: 0.25, detail: '500 new record(s)' },
      { offsetText: '+3 s', position: 0.75, detail: '20 new record(s), 1 already exported' },
    ]);
    expect(model.markers.map((m) => m.kind)).toEqual(['run_started', 'complete']);
    expect(model.summary).not.toContain('page at');
  });

  it('stacks events of the same moment in lanes, keeping the engine order', () => {
    const model = timelineModel(runRecord().health, format);
    expect(model.markers.map((m) => [m.kind, m.lane])).toEqual([
      ['resumed', 0],
      ['rate_limited', 0],
      ['watermark_restart', 1],
    ]);
    expect(model.lanes).toBe(2);
  });

  it('caps the lanes so a burst of events stays inside the drawing', () => {
    const timeline = Array.from({ length: 7 }, (_, i) => ({ atMs: 500, kind: 'retry' as const, detail: `attempt ${i}` }));
    const model = timelineModel(runRecord({ health: { startedAtMs: 0, endedAtMs: 1000, timeline } }).health, format);
    expect(model.lanes).toBe(4);
    expect(Math.max(...model.markers.map((m) => m.lane))).toBe(3);
  });

  it('handles a run of zero length and an open end', () => {
    const { health } = runRecord({ health: { startedAtMs: 5, endedAtMs: null, timeline: [{ atMs: 5, kind: 'failed', detail: 'SCOPE_MISSING: denied' }] } });
    const model = timelineModel(health, format);
    expect(model.durationMs).toBe(0);
    expect(model.markers[0]).toMatchObject({ position: 0, offsetText: '+0 ms', label: 'failed' });
  });

  it('summarises pages, events and dropped events for screen readers', () => {
    const model = timelineModel(runRecord({ health: { timelineDropped: 12 } }).health, format);
    expect(model.summary).toBe(
      'Run of 24.9 s, 3 pages, 3 events: resumed from checkpoint at +0 ms, rate limited at +24.9 s, watermark restart at +24.9 s (12 more events not kept).',
    );
    expect(model.dropped).toBe(12);
  });
});
