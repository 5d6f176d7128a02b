import { describe, expect, it } from 'vitest';
import { ascendingSort, isStreamName, maxPageSize, STREAM_NAMES, STREAMS, retiredStreamMessage } from '../../functions/falcon/streams.ts';

describe('the stream catalog', () => {
  it('covers every pagination style of falcon-api.md §1', () => {
    const styles = new Set(STREAM_NAMES.map((name) => STREAMS[name].style));
    expect([...styles].sort()).toEqual(['after-body', 'after-query', 'marker', 'offset', 'scroll']);
  });

  it.each(STREAM_NAMES)('%s asks for pages the API serves and names its own key', (name) => {
    const spec = STREAMS[name];
    expect(spec.name).toBe(name);
    expect(spec.pageLimit).toBeGreaterThan(0);
    expect(spec.pageLimit).toBeLessThanOrEqual(spec.maxLimit);
    if (spec.depthCap !== null) expect(spec.pageLimit).toBeLessThanOrEqual(spec.depthCap);
    expect(maxPageSize(spec)).toBeGreaterThanOrEqual(spec.pageLimit);
    expect(spec.path.startsWith('/')).toBe(true);
    // Offset and scroll streams return ids, which only an entities call turns into records with a watermark.
    expect(spec.hydrate !== null).toBe(spec.style === 'offset' || spec.style === 'scroll');
    expect(ascendingSort(spec)).toBe(`${spec.watermarkField}${spec.sortSeparator}asc`);
  });

  it('keeps the documented limits', () => {
    expect(STREAMS['alert-ids'].depthCap).toBe(10_000);
    expect(STREAMS['alert-ids'].depthCapStatus).toBe(500);
    expect(STREAMS['intel-indicators'].depthCap).toBe(49_999);
    expect(STREAMS.alerts.maxLimit).toBe(1000);
    expect(STREAMS.vulnerabilities.documentedCursorTtlMs).toBe(120_000);
    expect(STREAMS.vulnerabilities.filterRequired).toBe(true);
    expect(STREAMS['hosts-scroll'].hydrate?.maxIds).toBe(5000);
    // The combined route returns full records, its token as `next`, sent back as `offset`.
    expect(STREAMS.hosts).toMatchObject({ path: '/devices/combined/devices/v1', style: 'after-query', hydrate: null, afterToken: { param: 'offset', field: 'next' } });
    expect(STREAMS.hosts.sortSeparator).toBe('.');
    expect(STREAMS.alerts.sortSeparator).toBe('|');
  });

  it('refuses the decommissioned detections stream by name, saying what replaced it', () => {
    expect(isStreamName('detections')).toBe(false);
    expect(retiredStreamMessage('detections')).toBe(
      'The detections API (GET /detects/queries/detects/v1 and POST /detects/entities/summaries/GET/v1) was decommissioned on September 30, 2025; export "alerts" instead, which replaced it.',
    );
    expect(retiredStreamMessage('alerts')).toBeNull();
    expect(retiredStreamMessage('toString')).toBeNull();
  });

  it('recognises stream names and nothing else', () => {
    expect(isStreamName('alerts')).toBe(true);
    expect(isStreamName('toString')).toBe(false);
    expect(isStreamName('Alerts')).toBe(false);
  });
});
