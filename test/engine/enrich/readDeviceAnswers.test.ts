import { describe, expect, it } from 'vitest';
import { readDeviceCount, readDevicePage } from '../../../functions/engine/enrich/readDeviceAnswers.ts';
import { envelopeSchema, type Envelope } from '../../../functions/falcon/envelope.ts';

const envelope = (resources: unknown[], pagination?: Record<string, unknown>): Envelope =>
  envelopeSchema.parse({ meta: { query_time: 0.01, trace_id: 't', ...(pagination ? { pagination } : {}) }, resources, errors: [] });

describe('readDeviceCount', () => {
  it('reads device_count and limit_exceeded of the resource that matches type and value (case-insensitive)', () => {
    const answer = readDeviceCount(
      envelope([
        { type: 'md5', value: 'AB', device_count: 9 },
        { id: 'sha256:ab', type: 'sha256', value: 'AB', device_count: 4, limit_exceeded: true },
      ]),
      'sha256',
      'ab',
    );
    expect(answer).toEqual({ kind: 'count', count: 4, limitExceeded: true });
  });

  it('falls back to the first resource; a count of 0 is a count', () => {
    expect(readDeviceCount(envelope([{ device_count: 0 }]), 'sha256', 'x')).toEqual({ kind: 'count', count: 0, limitExceeded: false });
  });

  it('no resource, no device_count, or a count that is not a non-negative integer → missing, never 0', () => {
    expect(readDeviceCount(envelope([]), 'sha256', 'x')).toMatchObject({ kind: 'missing', why: expect.stringContaining('without a resource') });
    expect(readDeviceCount(envelope([{ type: 'sha256', value: 'x' }]), 'sha256', 'x')).toMatchObject({ kind: 'missing', why: expect.stringContaining('without device_count') });
    expect(readDeviceCount(envelope([{ device_count: '4' }]), 'sha256', 'x')).toMatchObject({ kind: 'missing' });
    expect(readDeviceCount(envelope([{ device_count: -1 }]), 'sha256', 'x')).toMatchObject({ kind: 'missing' });
  });
});

describe('readDevicePage', () => {
  it('returns the ids and the string offset token', () => {
    expect(readDevicePage(envelope(['a', 'b'], { limit: 2, offset: 'tok' }))).toEqual({ ok: true, ids: ['a', 'b'], next: 'tok' });
  });

  it('takes `after` when the offset is empty; an empty or numeric offset and no after is no token', () => {
    expect(readDevicePage(envelope(['a'], { limit: 1, offset: '', after: 'aft' }))).toMatchObject({ next: 'aft' });
    expect(readDevicePage(envelope(['a'], { limit: 1, offset: '' }))).toMatchObject({ next: null });
    expect(readDevicePage(envelope(['a'], { limit: 1, offset: 3 }))).toMatchObject({ next: null });
    expect(readDevicePage(envelope([]))).toEqual({ ok: true, ids: [], next: null });
  });

  it('records where ids were expected → not ok', () => {
    expect(readDevicePage(envelope([{ device_id: 'a' }]))).toMatchObject({ ok: false });
  });
});
