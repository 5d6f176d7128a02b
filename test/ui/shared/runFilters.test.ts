import { describe, expect, it } from 'vitest';
import { executionFilter, parseFilters, rangeStartMs, searchFilter, withinTimeRange } from '../../../ui/shared/runFilters.ts';

describe(searchFilter.name, () => {
  it('sends exact-match terms on indexed fields only', () => {
    expect(searchFilter({ stream: 'all', verdictKind: 'all', timeRange: 'last-24h' })).toBe('');
    expect(searchFilter({ stream: 'hosts', verdictKind: 'all', timeRange: 'all' })).toBe("stream:'hosts'");
    expect(searchFilter({ stream: 'all', verdictKind: 'failed', timeRange: 'all' })).toBe("verdict_kind:'failed'");
    expect(searchFilter({ stream: 'intel-indicators', verdictKind: 'has_more', timeRange: 'last-hour' })).toBe("stream:'intel-indicators'+verdict_kind:'has_more'");
  });
});

describe(executionFilter.name, () => {
  it('quotes the execution id so it cannot break out of the term', () => {
    expect(executionFilter('4f2c')).toBe("execution_id:'4f2c'");
    expect(executionFilter("x'+stream:'alerts")).toBe("execution_id:'x\\'+stream:\\'alerts'");
  });
});

describe(parseFilters.name, () => {
  it('keeps known values and replaces anything else with the default', () => {
    expect(parseFilters({ stream: 'iocs', verdictKind: 'complete', timeRange: 'last-30d' })).toEqual({ stream: 'iocs', verdictKind: 'complete', timeRange: 'last-30d' });
    expect(parseFilters({ stream: "alerts'", verdictKind: 'maybe', timeRange: 'forever' })).toEqual({ stream: 'all', verdictKind: 'all', timeRange: 'last-7d' });
    expect(parseFilters({})).toEqual({ stream: 'all', verdictKind: 'all', timeRange: 'last-7d' });
  });
});

describe(withinTimeRange.name, () => {
  const now = Date.UTC(2026, 10, 26, 12);

  it('bounds the range by the run end, so a run that reaches into the window counts', () => {
    expect(rangeStartMs('last-hour', now)).toBe(now - 3_600_000);
    expect(withinTimeRange({ started_at_ms: now - 3_700_000, ended_at_ms: now - 3_600_000 }, 'last-hour', now)).toBe(true);
    expect(withinTimeRange({ started_at_ms: now - 3_700_000, ended_at_ms: now - 3_600_001 }, 'last-hour', now)).toBe(false);
  });

  it('admits everything for all recorded runs', () => {
    expect(rangeStartMs('all', now)).toBeNull();
    expect(withinTimeRange({ started_at_ms: 0, ended_at_ms: 0 }, 'all', now)).toBe(true);
  });
});
