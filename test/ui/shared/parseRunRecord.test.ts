import { beforeAll, describe, expect, it } from 'vitest';
import { runSandboxExport } from '../../../sandbox/runSandboxExport.ts';
import { toRunRecord, type RunRecord } from '../../../functions/storage/RunRecord.ts';
import { parseRunRecord } from '../../../ui/shared/parseRunRecord.ts';
import { runRecord } from '../support/runRecordFixture.ts';

describe(parseRunRecord.name, () => {
  let written: RunRecord[] = [];

  beforeAll(async () => {
    // What the page-run function writes: records of a real sandbox export, through JSON like the collection stores them.
    const report = await runSandboxExport({ stream: 'hosts', profile: 'chaos' });
    written = report.runs.map((result) => JSON.parse(JSON.stringify(toRunRecord(result, { executionId: 'exec-9' }))) as RunRecord);
  });

  it('accepts what toRunRecord writes, unchanged', () => {
    expect(written.length).toBeGreaterThan(0);
    for (const record of written) expect(parseRunRecord(record)).toEqual({ kind: 'valid', record });
  });

  it('names the field that is wrong', () => {
    const record = runRecord();
    const broken = { ...record, health: { ...record.health, pages: '3' } };
    expect(parseRunRecord(broken)).toEqual({ kind: 'invalid', issues: ['health.pages: Expected number, received string'] });
  });

  it('rejects event kinds and verdicts the engine does not produce', () => {
    const record = runRecord();
    const broken = {
      ...record,
      verdict_kind: 'partial',
      health: { ...record.health, verdict: 'failed:', timeline: [{ atMs: 1, kind: 'page_fetched', detail: '' }] },
    };
    const parsed = parseRunRecord(broken);
    expect(parsed.kind).toBe('invalid');
    const issues = parsed.kind === 'invalid' ? parsed.issues : [];
    expect(issues).toContain('health.timeline[0].kind: unknown health event kind');
    expect(issues).toContain('health.verdict: expected "complete", "has_more" or "failed:<code>"');
    expect(issues.some((i) => i.startsWith('verdict_kind: Invalid enum value'))).toBe(true);
  });

  it('rejects negative counters, unknown streams and a missing health record', () => {
    const record = runRecord();
    const parsed = parseRunRecord({ ...record, health: { ...record.health, retries: -1, stream: 'printers' } });
    expect(parsed.kind === 'invalid' && parsed.issues.map((i) => i.split(':')[0])).toEqual(['health.stream', 'health.retries']);
    const { health: _health, ...withoutHealth } = record;
    expect(parseRunRecord(withoutHealth)).toEqual({ kind: 'invalid', issues: ['health: Required'] });
    expect(parseRunRecord('not an object')).toEqual({ kind: 'invalid', issues: ['(the object): Expected object, received string'] });
  });
});
