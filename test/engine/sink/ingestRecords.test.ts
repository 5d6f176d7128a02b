import { describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../../functions/engine/EngineEvent.ts';
import type { IoCommand, IoRequest } from '../../../functions/engine/Io.ts';
import { INGEST_DEFAULTS, INGEST_PATH, ingestRecords, type IngestOutcome, type IngestPlan, type IngestTarget } from '../../../functions/engine/sink/ingestRecords.ts';

const T0 = Date.UTC(2026, 11, 1, 12, 0, 0);
const TARGET: IngestTarget = { stream: 'alerts', sessionId: 'session-1', runId: 'run-1', appId: 'app-1' };

type Answer = { status: number; body?: string; headers?: Record<string, string> } | { error: 'reset' | 'timeout' } | { auth: boolean };

/** Drives the coroutine like a host: answers each http command from the script, sleeps on a virtual clock. */
function drive(records: unknown[], script: Answer[], plan: Partial<IngestPlan> = {}): { outcome: IngestOutcome; sent: IoRequest[]; sleeps: number[]; timeouts: number[]; plan: IngestPlan } {
  let now = T0;
  const full: IngestPlan = { maxBatchBytes: INGEST_DEFAULTS.maxBatchBytes, seed: 7, deadlineAtMs: T0 + 60_000, ...plan };
  const run = ingestRecords(records, TARGET, full, () => now);
  const sent: IoRequest[] = [];
  const sleeps: number[] = [];
  const timeouts: number[] = [];
  let next = run.next();
  let i = 0;
  while (!next.done) {
    const command: IoCommand = next.value;
    let event: EngineEvent;
    if (command.kind === 'sleep') {
      sleeps.push(command.ms);
      now += command.ms;
      event = { kind: 'slept', nowMs: now };
    } else if (command.kind === 'authenticate') {
      const answer = script[i++];
      if (answer === undefined || !('auth' in answer)) throw new Error('unexpected authenticate');
      event = { kind: 'authenticated', nowMs: now, ok: answer.auth };
    } else {
      sent.push(command.request);
      timeouts.push(command.timeoutMs);
      now += 100;
      const answer = script[i++] ?? { status: 200, body: '{"meta":{},"resources":[],"errors":[]}' };
      if ('auth' in answer) throw new Error('expected an http answer in the script');
      event =
        'error' in answer
          ? { kind: 'http-error', nowMs: now, code: answer.error, message: answer.error }
          : { kind: 'http-response', nowMs: now, status: answer.status, headers: { Date: new Date(now).toUTCString(), ...answer.headers }, body: answer.body ?? '{"meta":{},"errors":[]}' };
    }
    next = run.next(event);
  }
  return { outcome: next.value, sent, sleeps, timeouts, plan: full };
}

/** The events of one multipart ingest body: its data_file part, a JSON array. */
function eventsOf(request: IoRequest): Array<Record<string, unknown>> {
  const boundary = /boundary=(\S+)/.exec(request.headers['Content-Type'] ?? '')?.[1];
  if (boundary === undefined || request.body === null) throw new Error('not a multipart request');
  const part = request.body.split(`--${boundary}`).find((p) => p.includes('name="data_file"'));
  if (part === undefined) throw new Error('no data_file part');
  const content = part.slice(part.indexOf('\r\n\r\n') + 4, part.lastIndexOf('\r\n'));
  return JSON.parse(content) as Array<Record<string, unknown>>;
}

const alerts = (n: number, payloadChars = 10): Array<Record<string, unknown>> =>
  Array.from({ length: n }, (_, i) => ({ composite_id: `a${i}`, created_timestamp: '2026-11-01T00:00:00Z', payload: 'x'.repeat(payloadChars) }));

describe('ingestRecords', () => {
  it('posts the page as one multipart call to the app repository, each event naming its record and session', () => {
    const { outcome, sent } = drive(alerts(3), [{ status: 200 }]);
    expect(outcome).toMatchObject({ ok: true, report: { calls: 1, retries: 0, events: 3 } });
    expect(sent).toHaveLength(1);
    const request = sent[0] as IoRequest;
    expect(request).toMatchObject({ method: 'POST', path: INGEST_PATH });
    expect(request.headers['X-CS-APP-ID']).toBe('app-1');
    expect(request.body).toContain('name="tag_source"\r\n\r\npagination-guard\r\n');
    expect(eventsOf(request)).toEqual(
      alerts(3).map((record) => ({ pg_event_id: `alerts:${String(record['composite_id'])}`, pg_session: 'session-1', pg_stream: 'alerts', pg_run: 'run-1', record })),
    );
  });

  it('splits a page by the byte budget, and sends nothing for an empty page', () => {
    const { outcome, sent } = drive(alerts(10, 400), [], { maxBatchBytes: 2_000 });
    expect(sent.length).toBeGreaterThan(2);
    for (const request of sent) expect((request.body ?? '').length).toBeLessThan(2_600);
    expect(sent.flatMap(eventsOf).map((e) => e['pg_event_id'])).toEqual(alerts(10).map((r) => `alerts:${String(r['composite_id'])}`));
    expect(outcome).toMatchObject({ ok: true, report: { events: 10, calls: sent.length } });
    expect(drive([], []).sent).toHaveLength(0);
  });

  it('a 413 halves the batch, and later batches stay under the size that was refused', () => {
    const { outcome, sent, plan } = drive(alerts(8, 100), [{ status: 413 }]);
    expect(outcome).toMatchObject({ ok: true, report: { events: 8, retries: 1 } });
    expect(sent.map((r) => eventsOf(r).length)).toEqual([8, 4, 4]);
    expect(plan.maxBatchBytes).toBeLessThan(INGEST_DEFAULTS.maxBatchBytes);
  });

  it('one record refused as too large alone → INGEST_RECORD_TOO_LARGE, final', () => {
    const { outcome } = drive(alerts(1, 100), [{ status: 413 }]);
    expect(outcome).toMatchObject({ ok: false, error: { code: 'INGEST_RECORD_TOO_LARGE', category: 'api' } });
  });

  it('5xx and connections lost after sending are sent again with backoff: the same events (the saved search deduplicates)', () => {
    const { outcome, sent, sleeps } = drive(alerts(2), [{ status: 503 }, { error: 'timeout' }, { error: 'reset' }, { status: 200 }]);
    expect(outcome).toMatchObject({ ok: true, report: { calls: 4, retries: 3, events: 2 } });
    expect(sleeps).toHaveLength(3);
    expect(new Set(sent.map((r) => JSON.stringify(eventsOf(r)))).size).toBe(1);
  });

  it('a 200 with errors inside may not have stored anything: sent again', () => {
    const { outcome, sent } = drive(alerts(1), [{ status: 200, body: '{"meta":{},"errors":[{"code":500,"message":"ingest failed"}]}' }, { status: 200 }]);
    expect(outcome.ok).toBe(true);
    expect(sent).toHaveLength(2);
  });

  it('429 waits what X-Ratelimit-Retryafter says, on the server clock', () => {
    const retryAt = Math.floor((T0 + 100) / 1000) + 12;
    const { outcome, sleeps } = drive(alerts(1), [{ status: 429, headers: { 'X-Ratelimit-Retryafter': String(retryAt) } }, { status: 200 }]);
    expect(outcome.ok).toBe(true);
    expect(sleeps[0]).toBeGreaterThanOrEqual(11_000);
    expect(sleeps[0]).toBeLessThanOrEqual(12_000);
  });

  it('retries used up → INGEST_FAILED, retryable', () => {
    const { outcome, sent } = drive(alerts(1), Array.from({ length: 10 }, () => ({ status: 502 })));
    expect(sent).toHaveLength(INGEST_DEFAULTS.maxRetries + 1);
    expect(outcome).toMatchObject({ ok: false, error: { code: 'INGEST_FAILED' } });
  });

  it('a wait that would end past the deadline is not taken: INGEST_FAILED, and request timeouts never outlast the deadline', () => {
    const { outcome, sleeps, timeouts } = drive(alerts(1), [{ status: 429, headers: { 'X-Ratelimit-Retryafter': '45' } }], { deadlineAtMs: T0 + 20_000 });
    expect(sleeps).toEqual([]);
    expect(outcome).toMatchObject({ ok: false, error: { code: 'INGEST_FAILED' } });
    expect(timeouts[0]).toBeLessThanOrEqual(20_000);
  });

  it('403 → INGEST_REFUSED naming the scope; 400 → INGEST_REFUSED with the server message', () => {
    const scope = drive(alerts(1), [{ status: 403, body: '{"meta":{},"errors":[{"code":403,"message":"access denied, authorization failed"}]}' }]).outcome;
    expect(scope).toMatchObject({ ok: false, error: { code: 'INGEST_REFUSED', context: { status: 403 } } });
    if (!scope.ok) expect(scope.error.message).toContain('app-logs:write');
    const bad = drive(alerts(1), [{ status: 400, body: '{"meta":{},"errors":[{"code":400,"message":"unknown form field"}]}' }]).outcome;
    if (bad.ok) throw new Error('expected a refusal');
    expect(bad.error.message).toContain('unknown form field');
  });

  it('401: one refresh and the same call again; a token that cannot be refreshed → INGEST_FAILED (the next invocation has a new one)', () => {
    const refreshed = drive(alerts(1), [{ status: 401 }, { auth: true }, { status: 200 }]);
    expect(refreshed.outcome).toMatchObject({ ok: true, report: { calls: 2, retries: 1 } });
    const expired = drive(alerts(1), [{ status: 401 }, { auth: false }]);
    expect(expired.outcome).toMatchObject({ ok: false, error: { code: 'INGEST_FAILED' } });
  });

  it('a record without its id is refused before any call', () => {
    const { outcome, sent } = drive([{ created_timestamp: 'x' }], []);
    expect(sent).toHaveLength(0);
    expect(outcome).toMatchObject({ ok: false, error: { code: 'PROTOCOL' } });
  });
});
