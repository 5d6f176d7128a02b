import { describe, expect, it } from 'vitest';
import { inProcessSandbox } from '../../functions/cli/inProcessSandbox.ts';
import type { FunctionHost } from '../../functions/handlers/FunctionHost.ts';
import { invokePageRunFunction } from '../../functions/handlers/pageRunFunction.ts';
import { CHECKPOINTS_COLLECTION, checkpointRecordKey } from '../../functions/storage/CheckpointRecord.ts';
import { RUNS_COLLECTION, type RunRecord } from '../../functions/storage/RunRecord.ts';

function setup(profile: 'clean' | 'chaos' = 'clean') {
  const box = inProcessSandbox({ seed: 3, profile, sizes: { alerts: 1200 } });
  const host: FunctionHost = { transport: box.transport, clock: box.clientClock, sleep: box.clock.sleep, auth: box.auth, appId: 'app-under-test', deadlineMs: 55_000, executionId: 'exec-7' };
  const call = (url: string, body: unknown) => invokePageRunFunction({ method: 'POST', url, body }, host);
  return { box, host, call };
}

describe('POST /page-run', () => {
  it('returns items, a checkpoint and has_more, and records the run in pagination_runs', async () => {
    const { box, call } = setup();
    const response = await call('/page-run', { stream: 'alerts', max_pages: 1 });
    expect(response.code).toBe(200);
    expect(response.body['has_more']).toBe('true');
    expect(response.body['checkpoint']).toMatch(/^pg1\./);
    expect((response.body['items'] as unknown[]).length).toBe(response.body['item_count']);
    const keys = box.sandbox.storage.keys(RUNS_COLLECTION);
    expect(keys).toHaveLength(1);
    const record = box.sandbox.storage.object(RUNS_COLLECTION, keys[0] ?? '') as RunRecord;
    expect(record).toMatchObject({ stream: 'alerts', verdict_kind: 'has_more', execution_id: 'exec-7', has_more: 'true' });
  });

  it('treats Fusion\'s "0" for an absent checkpoint as none', async () => {
    const { call } = setup();
    const response = await call('/page-run', { stream: 'alerts', checkpoint: '0', max_pages: 1 });
    expect(response.code).toBe(200);
    expect((response.body['health'] as { timeline: Array<{ kind: string }> }).timeline.map((e) => e.kind)).not.toContain('resumed');
  });

  it('refuses bad input with a 400 that names the field, and writes nothing', async () => {
    const { box, call } = setup();
    for (const [body, field] of [
      [{ stream: 'incidents' }, 'stream'],
      [{ stream: 'alerts', max_pages: 0 }, 'max_pages'],
      [{ stream: 'alerts', surprise: 1 }, '(body)'],
      [{ stream: 'alerts', max_response_bytes: 500_000 }, 'max_response_bytes'],
    ] as const) {
      const response = await call('/page-run', body);
      expect(response.code).toBe(400);
      expect(response.body['field']).toBe(field);
      expect(response.errors[0]?.message).toContain(`field: ${field}`);
    }
    expect(box.sandbox.storage.keys(RUNS_COLLECTION)).toEqual([]);
  });

  it('refuses a tampered checkpoint with 400 CHECKPOINT_TAMPERED', async () => {
    const { call } = setup();
    const first = await call('/page-run', { stream: 'alerts', max_pages: 1 });
    const checkpoint = String(first.body['checkpoint']);
    const tampered = checkpoint.slice(0, -2) + (checkpoint.endsWith('AA') ? 'BB' : 'AA');
    const response = await call('/page-run', { stream: 'alerts', checkpoint: tampered });
    expect(response.code).toBe(400);
    expect(response.body).toMatchObject({ error_code: 'CHECKPOINT_TAMPERED', field: 'checkpoint' });
  });

  it('answers 404 naming the handlers for an unknown path, and 413 for a body over 124 KB', async () => {
    const { call } = setup();
    const missing = await call('/page-runs', {});
    expect(missing.code).toBe(404);
    expect(missing.errors[0]?.message).toContain('POST /page-run');
    const huge = await call('/page-run', { stream: 'alerts', filter: 'x'.repeat(130 * 1024) });
    expect(huge.code).toBe(413);
  });
});

describe('POST /checkpoints', () => {
  it('saves a checkpoint, reads it back, resumes from it, and resets it', async () => {
    const { box, call } = setup();
    const first = await call('/page-run', { stream: 'alerts', max_pages: 1 });
    const checkpoint = String(first.body['checkpoint']);
    const saved = await call('/checkpoints', { action: 'save', stream: 'alerts', checkpoint, run_id: String(first.body['run_id']) });
    expect(saved.code).toBe(200);
    expect(box.sandbox.storage.object(CHECKPOINTS_COLLECTION, checkpointRecordKey('alerts', ''))).toMatchObject({ checkpoint, has_more: 'true' });

    const got = await call('/checkpoints', { action: 'get', stream: 'alerts' });
    expect(got.body).toMatchObject({ found: 'true', checkpoint, has_more: 'true' });

    const resumed = await call('/page-run', { stream: 'alerts', resume_from_collection: 'true', max_pages: 1 });
    expect((resumed.body['health'] as { timeline: Array<{ kind: string }> }).timeline.map((e) => e.kind)).toContain('resumed');
    expect(resumed.body['session_id']).toBe(first.body['session_id']);

    const reset = await call('/checkpoints', { action: 'reset', stream: 'alerts' });
    expect(reset.body).toMatchObject({ found: 'true', checkpoint: '' });
    const after = await call('/checkpoints', { action: 'get', stream: 'alerts' });
    expect(after.body).toMatchObject({ found: 'false', checkpoint: '' });
  });

  it('refuses to save a checkpoint of another stream or filter, or none at all', async () => {
    const { box, call } = setup();
    const first = await call('/page-run', { stream: 'alerts', max_pages: 1 });
    const checkpoint = String(first.body['checkpoint']);
    expect((await call('/checkpoints', { action: 'save', stream: 'alert-ids', checkpoint })).body).toMatchObject({ error_code: 'CHECKPOINT_FOREIGN_STREAM' });
    expect((await call('/checkpoints', { action: 'save', stream: 'alerts', filter: "severity:>50", checkpoint })).body).toMatchObject({ error_code: 'CHECKPOINT_FOREIGN_FILTER' });
    expect((await call('/checkpoints', { action: 'save', stream: 'alerts', checkpoint: '0' })).code).toBe(400);
    expect(box.sandbox.storage.keys(CHECKPOINTS_COLLECTION)).toEqual([]);
  });

  it('custom storage without an app id is refused by the sandbox, and the failure reaches the caller', async () => {
    const { host } = setup();
    const response = await invokePageRunFunction({ method: 'POST', url: '/checkpoints', body: { action: 'get', stream: 'alerts' } }, { ...host, appId: '' });
    expect(response.code).toBe(502);
    expect(response.errors[0]?.message).toContain('X-CS-APP-ID');
  });
});
