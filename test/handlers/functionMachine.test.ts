import { describe, expect, it } from 'vitest';
import { inProcessSandbox } from '../../sandbox/inProcessSandbox.ts';
import { foundryToken, invokeFunction, type NodeFunctionHost } from '../../functions/host/invokeFunction.ts';
import { startFunction } from '../../functions/handlers/functionMachine.ts';
import { resumeFunctionJson, startFunctionJson } from '../../functions/handlers/embeddedFunction.ts';
import { CHECKPOINTS_COLLECTION, checkpointRecordKey } from '../../functions/storage/CheckpointRecord.ts';
import { RUNS_COLLECTION, type RunRecord } from '../../functions/storage/RunRecord.ts';

function setup(profile: 'clean' | 'chaos' = 'clean') {
  const box = inProcessSandbox({ seed: 3, profile, sizes: { alerts: 1200 } });
  const host: NodeFunctionHost = { transport: box.transport, clock: box.clientClock, sleep: box.clock.sleep, auth: box.auth, appId: 'app-under-test' };
  const call = (url: string, body: unknown) => invokeFunction({ method: 'POST', url, body, params: { header: { 'X-Cs-Executionid': ['exec-7'] } } }, host);
  return { box, host, call };
}

describe('POST /page-run with sink "logscale"', () => {
  const setupIngest = (profile: 'clean' | 'ingest-flaky' | 'ingest-lost-ack' = 'clean', knobs: Record<string, unknown> = {}) => {
    const box = inProcessSandbox({ seed: 3, profile, sizes: { alerts: 1200 }, knobs });
    const host: NodeFunctionHost = { transport: box.transport, clock: box.clientClock, sleep: box.clock.sleep, auth: box.auth, appId: 'app-under-test' };
    const call = (body: unknown) => invokeFunction({ method: 'POST', url: '/page-run', body, params: { header: { 'X-Cs-Executionid': ['exec-7'] } } }, host);
    return { box, call };
  };
  const recordIds = (box: ReturnType<typeof inProcessSandbox>, session: string) =>
    box.sandbox.logscale.exportRecords(session, 'app-under-test').map((event) => String((event['record'] as { composite_id: string }).composite_id));

  it('stores every page in the app repository and answers only the checkpoint and counts', async () => {
    const { box, call } = setupIngest();
    const response = await call({ stream: 'alerts', sink: 'logscale' });
    expect(response.code).toBe(200);
    expect(response.body).toMatchObject({ sink: 'logscale', items: [], item_count: 0, verdict: 'complete', ingested_events: 1200, ingest_retries: 0 });
    expect(Number(response.body['ingest_calls'])).toBeGreaterThanOrEqual(2);
    const session = String(response.body['session_id']);
    const ids = recordIds(box, session);
    expect(ids).toHaveLength(1200);
    expect(new Set(ids)).toEqual(box.sandbox.matchingIds('alerts'));
    const events = box.sandbox.logscale.events('app-under-test');
    expect(events.every((e) => e.tagSource === 'pagination-guard' && e.event['pg_run'] === response.body['run_id'] && e.event['pg_stream'] === 'alerts')).toBe(true);
    expect(JSON.stringify(response.body).length).toBeLessThan(40_000);
  });

  it('a lost ingest answer sends the events again: copies in the repository, none after the saved search', async () => {
    const { box, call } = setupIngest('ingest-lost-ack');
    const atStart = box.sandbox.matchingIds('alerts');
    const response = await call({ stream: 'alerts', sink: 'logscale' });
    expect(response.body).toMatchObject({ verdict: 'complete' });
    expect(Number(response.body['ingest_retries'])).toBeGreaterThan(0);
    const session = String(response.body['session_id']);
    const ids = recordIds(box, session);
    expect(box.sandbox.logscale.events('app-under-test').length).toBeGreaterThan(ids.length);
    // The profile's live changes: every record there at the start and still there at the end, each once.
    const atEnd = box.sandbox.matchingIds('alerts');
    expect(new Set(ids).size).toBe(ids.length);
    expect([...atStart].filter((id) => atEnd.has(id) && !ids.includes(id))).toEqual([]);
  });

  it('an ingest that keeps failing ends failed and retryable at the last stored page; the next run stores the rest once', async () => {
    const { box, call } = setupIngest('clean', { ingest5xxRate: 1, maxConsecutiveFaults: 6 });
    const failed = await call({ stream: 'alerts', sink: 'logscale' });
    expect(failed.body).toMatchObject({ verdict: 'failed:INGEST_FAILED', resume_safe: 'true', stop_reason: 'failed:INGEST_FAILED:retryable', ingested_events: 0 });
    expect(box.sandbox.logscale.events()).toEqual([]);
    // The repository recovers before the next scheduled run.
    box.sandbox.knobs.ingest5xxRate = 0;
    const next = await call({ stream: 'alerts', sink: 'logscale', checkpoint: failed.body['checkpoint'], session_id: failed.body['session_id'] });
    expect(next.body).toMatchObject({ verdict: 'complete', session_id: failed.body['session_id'] });
    expect(new Set(recordIds(box, String(next.body['session_id'])))).toEqual(box.sandbox.matchingIds('alerts'));
  });

  it('refuses max_response_bytes with sink "logscale", naming the field', async () => {
    const { call } = setupIngest();
    const response = await call({ stream: 'alerts', sink: 'logscale', max_response_bytes: 50_000 });
    expect(response).toMatchObject({ code: 400, body: { error_code: 'INPUT_INVALID', field: 'max_response_bytes' } });
    expect((await call({ stream: 'alerts', sink: 'kafka' })).body).toMatchObject({ field: 'sink' });
  });
});

describe('POST /page-run', () => {
  it('returns items, a checkpoint and has_more, and records the run in pagination_runs', async () => {
    const { box, call } = setup();
    const response = await call('/page-run', { stream: 'alerts', max_pages: 1 });
    expect(response.code).toBe(200);
    expect(response.body['has_more']).toBe('true');
    expect(response.body['checkpoint']).toMatch(/^pg2\./);
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
    const retired = await call('/page-run', { stream: 'detections' });
    expect(retired).toMatchObject({ code: 400, body: { field: 'stream' } });
    expect(retired.errors[0]?.message).toContain('decommissioned on September 30, 2025; export "alerts" instead');
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

    const unconfirmed = await call('/checkpoints', { action: 'reset', stream: 'alerts' });
    expect(unconfirmed).toMatchObject({ code: 400, body: { error_code: 'CONFIRMATION_REQUIRED', field: 'confirm' } });
    const reset = await call('/checkpoints', { action: 'reset', stream: 'alerts', confirm: 'reset' });
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
    const response = await invokeFunction({ method: 'POST', url: '/checkpoints', body: { action: 'get', stream: 'alerts' } }, { ...host, appId: '' });
    expect(response.code).toBe(502);
    expect(response.errors[0]?.message).toContain('X-CS-APP-ID');
  });
});

describe('the function machine', () => {
  const invocation = (envelope: unknown, host: Record<string, string> = { apiBaseUrl: 'http://sandbox.test' }) => ({ nowMs: 1_000, envelope, host: { entropy: 'e'.repeat(64), ...host } });

  it.each([
    [{ url: '/page-run', body: {} }, 'method'],
    [{ method: 'POST', body: {} }, 'url'],
    [{ method: 'POST', url: '/page-run', params: { header: { 'X-Cs-Executionid': 'exec-1' } } }, 'params.header.X-Cs-Executionid'],
    ['not an envelope', '(envelope)'],
  ])('refuses the envelope %j with a 400 naming %s, before any I/O', (envelope, field) => {
    const machine = startFunction(invocation(envelope));
    expect(machine.first).toMatchObject({ kind: 'respond', response: { code: 400, body: { error_code: 'ENVELOPE_INVALID', field } } });
  });

  it('names the cloud it does not know instead of sending the token somewhere', () => {
    const machine = startFunction(invocation({ method: 'POST', url: '/page-run', body: { stream: 'alerts' } }, { cloud: 'mars-1' }));
    expect(machine.first).toMatchObject({ kind: 'respond', response: { code: 500, body: { error_code: 'CLOUD_UNKNOWN', field: 'CS_CLOUD' } } });
  });

  it('refuses a sandbox override that is not an origin', () => {
    const machine = startFunction(invocation({ method: 'POST', url: '/page-run', body: {} }, { apiBaseUrl: 'http://evil.test/path?x' }));
    expect(machine.first).toMatchObject({ kind: 'respond', response: { code: 500, body: { error_code: 'INVOCATION_INVALID' } } });
  });

  it('answers a handler failure with 500 HANDLER_CRASHED instead of throwing to its host', () => {
    const machine = startFunction(invocation({ method: 'POST', url: '/page-run', body: { stream: 'alerts' } }));
    expect(machine.first.kind).toBe('io');
    // A host that hands over a body that is not a string breaks the handler's error path.
    const answer = machine.resume({ kind: 'http-response', nowMs: 2_000, status: 500, headers: {}, body: 42 as unknown as string });
    expect(answer).toMatchObject({ kind: 'respond', response: { code: 500, body: { error_code: 'HANDLER_CRASHED', field: 'page-run' } } });
    expect(machine.resume({ kind: 'slept', nowMs: 3_000 })).toMatchObject({ kind: 'respond', response: { body: { error_code: 'MACHINE_FINISHED' } } });
  });

  it('speaks JSON strings to embedded hosts and refuses events it cannot read', () => {
    const started = JSON.parse(startFunctionJson(JSON.stringify(invocation({ method: 'POST', url: '/page-run', body: { stream: 'alerts' } })))) as { id: number; apiBaseUrl: string; step: { kind: string } };
    expect(started).toMatchObject({ apiBaseUrl: 'http://sandbox.test', step: { kind: 'io' } });
    const refused = JSON.parse(resumeFunctionJson(started.id, '{"kind":"http-response","nowMs":"soon"}', null)) as { step: unknown };
    expect(refused.step).toMatchObject({ kind: 'respond', response: { code: 500, body: { error_code: 'EVENT_INVALID' } } });
    // The refused invocation is gone: resuming it again is an unknown invocation, not a second answer.
    expect(JSON.parse(resumeFunctionJson(started.id, '{"kind":"slept","nowMs":1}', null))).toMatchObject({ step: { response: { body: { error_code: 'INVOCATION_UNKNOWN' } } } });
    expect(JSON.parse(startFunctionJson('{not json'))).toMatchObject({ step: { kind: 'respond', response: { code: 500, body: { error_code: 'INVOCATION_INVALID' } } } });
  });

  it('with Foundry\'s token, a 401 mid-run ends it as AUTH_FAILED with the checkpoint of the pages it returned', async () => {
    // Tokens that die 200 ms (virtual) after they are issued: after the key read and one page.
    const box = inProcessSandbox({ seed: 3, profile: 'clean', sizes: { alerts: 3000 }, knobs: { tokenLifetimeMs: 200 } });
    const token = await box.auth.bearer();
    const host: NodeFunctionHost = { transport: box.transport, clock: box.clientClock, sleep: box.clock.sleep, auth: foundryToken(token, box.auth.baseUrl), appId: 'app-under-test' };
    const body = { stream: 'alerts', record_run: 'false', fields: ['severity'], max_response_bytes: 100_000 };
    const run = await invokeFunction({ method: 'POST', url: '/page-run', body }, host);
    expect(run.code).toBe(200);
    expect(run.body).toMatchObject({ verdict: 'failed:AUTH_FAILED', error_code: 'AUTH_FAILED', resume_safe: 'true', stop_reason: 'failed:AUTH_FAILED:retryable' });
    expect(String(run.body['error_message'])).toContain('cannot be refreshed');
    expect(Number(run.body['item_count'])).toBeGreaterThan(0);
    // The next invocation, with a new token, goes on from that checkpoint and repeats none of the records.
    const next = await invokeFunction(
      { method: 'POST', url: '/page-run', body: { ...body, checkpoint: run.body['checkpoint'] } },
      { ...host, auth: foundryToken((await box.auth.refresh(), await box.auth.bearer()), box.auth.baseUrl) },
    );
    const ids = (body: Record<string, unknown>) => (body['items'] as Array<{ composite_id: string }>).map((i) => i.composite_id);
    expect(ids(next.body).length).toBeGreaterThan(0);
    expect(ids(next.body).filter((id) => ids(run.body).includes(id))).toEqual([]);
  });

  it('with Foundry\'s expired token, nothing runs: the signing keys cannot be read, and the answer says so', async () => {
    const box = inProcessSandbox({ seed: 3, profile: 'auth-expiry', sizes: { alerts: 1200 } });
    const token = await box.auth.bearer();
    box.clock.advance(5_000);
    const host: NodeFunctionHost = { transport: box.transport, clock: box.clientClock, sleep: box.clock.sleep, auth: foundryToken(token, box.auth.baseUrl), appId: 'app-under-test' };
    const run = await invokeFunction({ method: 'POST', url: '/page-run', body: { stream: 'alerts' } }, host);
    expect(run).toMatchObject({ code: 503, body: { error_code: 'KEY_STORE_UNAVAILABLE' } });
    expect(run.errors[0]?.message).toContain('401');
  });
});
