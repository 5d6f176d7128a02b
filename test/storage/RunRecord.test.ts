import { describe, expect, it } from 'vitest';
import { runRecordKey } from '../../functions/storage/RunRecord.ts';

describe('runRecordKey', () => {
  const base = { stream: 'alerts', started_at_ms: 1_793_534_400_000, session_id: 'team.a', run_id: 'run-1', execution_id: 'exec-1' };

  it('gives runs that a slug would merge keys of their own', () => {
    // `team.a` and `team_a` used to map to the same key in the same millisecond, so one run record overwrote the other.
    expect(runRecordKey(base)).not.toBe(runRecordKey({ ...base, session_id: 'team_a' }));
    expect(runRecordKey(base)).not.toBe(runRecordKey({ ...base, run_id: 'run-2' }));
    expect(runRecordKey(base)).not.toBe(runRecordKey({ ...base, execution_id: 'exec-2' }));
    expect(runRecordKey(base)).toBe(runRecordKey({ ...base }));
  });

  it('sorts by stream, then start time, and stays short and URL-safe whatever the ids hold', () => {
    const later = runRecordKey({ ...base, started_at_ms: base.started_at_ms + 1 });
    expect(runRecordKey(base) < later).toBe(true);
    const hostile = runRecordKey({ ...base, stream: '../../x', session_id: '/'.repeat(500), run_id: '?&#' });
    expect(hostile).toMatch(/^unknown\.\d{15}\.[0-9a-f]{32}$/);
    expect(runRecordKey(base)).toMatch(/^alerts\.001793534400000\.[0-9a-f]{32}$/);
  });
});
