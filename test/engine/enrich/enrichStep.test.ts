import { describe, expect, it } from 'vitest';
import type { HttpRequestSpec } from '../../../functions/engine/EngineCommand.ts';
import type { EngineEvent } from '../../../functions/engine/EngineEvent.ts';
import type { EnrichCommand, EnrichEventKind, EnrichResult } from '../../../functions/engine/enrich/EnrichCommand.ts';
import { enrichStep } from '../../../functions/engine/enrich/enrichStep.ts';
import type { EnrichState } from '../../../functions/engine/enrich/EnrichState.ts';
import { IOC_DEVICE_COUNT_PATH, IOC_DEVICES_PATH } from '../../../functions/falcon/iocEndpoints.ts';
import { ENGINE_DEFAULTS } from '../../../functions/engine/RunInput.ts';

// ---------------------------------------------------------------------------------------------
// Harness: a scripted host on virtual time. Every state is deep-frozen before it goes back into
// `enrichStep`, so any mutation of the caller's state throws in every test below.

const T0 = Date.UTC(2025, 0, 1, 12, 0, 0);
const SHA = (n: number): string => n.toString(16).padStart(64, '0');
const DEV = (n: number): string => `dev${n.toString(16).padStart(29, '0')}`;

interface Body {
  resources?: unknown[] | null;
  pagination?: Record<string, unknown>;
  errors?: Array<{ code: number; message: string }>;
}

function falconBody({ resources = [], pagination, errors = [] }: Body = {}): string {
  const meta = { query_time: 0.01, powered_by: 'ioc-manager', trace_id: 'trace-1', ...(pagination ? { pagination } : {}) };
  return JSON.stringify({ meta, resources, errors });
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

type Cmd<K extends EnrichCommand['kind']> = Extract<EnrichCommand, { kind: K }>;

function expectKind<K extends EnrichCommand['kind']>(command: EnrichCommand, kind: K): Cmd<K> {
  if (command.kind !== kind) throw new Error(`expected a ${kind} command, got ${JSON.stringify(command).slice(0, 400)}`);
  return command as Cmd<K>;
}

const url = (request: HttpRequestSpec): URL => new URL(request.path, 'https://api.test');

type Reply = { status: number; body?: Body | string; headers?: Record<string, string>; latencyMs?: number } | { error: 'reset' | 'timeout' | 'network' };
type Server = (request: HttpRequestSpec, run: Run) => Reply;

class Run {
  state: EnrichState | null = null;
  local: number;
  readonly serverAheadMs: number;
  readonly commands: EnrichCommand[] = [];

  constructor({ serverAheadMs = 0 }: { serverAheadMs?: number } = {}) {
    this.local = T0;
    this.serverAheadMs = serverAheadMs;
  }

  get server(): number {
    return this.local + this.serverAheadMs;
  }

  get last(): EnrichCommand {
    const command = this.commands.at(-1);
    if (!command) throw new Error('no command yet');
    return command;
  }

  get http(): Array<Cmd<'http'>> {
    return this.commands.filter((c): c is Cmd<'http'> => c.kind === 'http');
  }

  get timeline(): EnrichEventKind[] {
    return (this.state?.timeline ?? []).map((e) => e.kind);
  }

  event(event: EngineEvent): EnrichCommand {
    const out = enrichStep(this.state === null ? null : deepFreeze(this.state), event);
    this.state = out.state;
    this.commands.push(out.command);
    return out.command;
  }

  start(input: Record<string, unknown>): EnrichCommand {
    return this.event({ kind: 'start', nowMs: this.local, input: { runId: 'run-1', ...input } });
  }

  respond(status: number, body: Body | string = {}, headers: Record<string, string> = {}, latencyMs = 100): EnrichCommand {
    expectKind(this.last, 'http');
    this.local += latencyMs;
    return this.event({
      kind: 'http-response',
      nowMs: this.local,
      status,
      headers: { 'Content-Type': 'application/json', Date: new Date(this.server).toUTCString(), 'X-Ratelimit-Limit': '6000', 'X-Ratelimit-Remaining': '5999', ...headers },
      body: typeof body === 'string' ? body : falconBody(body),
    });
  }

  /** Answers every command until the lookup ends; `server` plays Falcon. */
  drive(server: Server, maxCommands = 500): EnrichResult {
    for (let i = 0; i < maxCommands; i++) {
      const command = this.last;
      if (command.kind === 'done') return command.result;
      if (command.kind === 'sleep') {
        this.local += command.ms;
        this.event({ kind: 'slept', nowMs: this.local });
      } else if (command.kind === 'authenticate') {
        this.local += 50;
        this.event({ kind: 'authenticated', nowMs: this.local, ok: true });
      } else {
        const reply = server(command.request, this);
        if ('error' in reply) {
          this.local += 100;
          this.event({ kind: 'http-error', nowMs: this.local, code: reply.error, message: `socket ${reply.error}` });
        } else this.respond(reply.status, reply.body ?? {}, reply.headers ?? {}, reply.latencyMs ?? 100);
      }
    }
    throw new Error(`the lookup did not end within ${maxCommands} commands`);
  }
}

const doneResult = (command: EnrichCommand): EnrichResult => expectKind(command, 'done').result;

interface FakeIndicator {
  devices: string[];
  /** What device-count answers: the number of devices unless overridden. */
  count?: Reply;
}

/**
 * A fake IOC service: device-count, and a devices query whose token is the next position. `page` lets a
 * test alter one devices page (drop its token, shorten it) by the position it starts at.
 */
function iocServer(
  indicators: Record<string, FakeIndicator>,
  options: { page?: (value: string, position: number, ids: string[], next: string | null, served: number) => Reply | null } = {},
): Server {
  const served = new Map<string, number>();
  return (request) => {
    const q = url(request).searchParams;
    const value = q.get('value') ?? '';
    const type = q.get('type') ?? '';
    const indicator = indicators[value];
    if (!indicator) throw new Error(`no fake indicator ${value}`);
    if (url(request).pathname === IOC_DEVICE_COUNT_PATH) {
      return indicator.count ?? { status: 200, body: { resources: [{ id: `${type}:${value}`, type, value, device_count: indicator.devices.length }] } };
    }
    expect(url(request).pathname).toBe(IOC_DEVICES_PATH);
    const limit = Number(q.get('limit'));
    const position = Number(q.get('offset') ?? '0');
    const ids = indicator.devices.slice(position, position + limit);
    const end = position + ids.length;
    const next = end < indicator.devices.length ? String(end) : null;
    const count = (served.get(`${value}@${position}`) ?? 0) + 1;
    served.set(`${value}@${position}`, count);
    const altered = options.page?.(value, position, ids, next, count);
    if (altered) return altered;
    return { status: 200, body: { resources: ids, pagination: { limit, ...(next ? { offset: next } : {}) } } };
  };
}

const devices = (n: number, from = 0): string[] => Array.from({ length: n }, (_, i) => DEV(from + i));
const one = (value = SHA(1)): Record<string, unknown> => ({ indicators: [{ type: 'sha256', value }] });

// ---------------------------------------------------------------------------------------------

describe('enrichStep: bad input and protocol', () => {
  it('an unknown IOC type → INPUT_INVALID naming the field, no http command', () => {
    const run = new Run();
    const result = doneResult(run.start({ indicators: [{ type: 'url', value: 'https://x.test/' }] }));
    expect(result.error).toMatchObject({ code: 'INPUT_INVALID', category: 'input', context: { field: 'indicators.0.type' } });
    expect(result).toMatchObject({ verdict: 'failed:INPUT_INVALID', hasMore: 'false', indicators: [] });
    expect(run.commands).toHaveLength(1);
  });

  it('an empty list, an unknown budget key and a page limit above 100 → INPUT_INVALID', () => {
    expect(doneResult(new Run().start({ indicators: [] })).error?.context).toEqual({ field: 'indicators' });
    expect(doneResult(new Run().start({ ...one(), budget: { maxPages: 3 } })).error?.message).toContain('maxPages');
    expect(doneResult(new Run().start({ ...one(), options: { pageLimit: 101 } })).error?.context).toEqual({ field: 'options.pageLimit' });
  });

  it('an event before start, or one the last command did not ask for → PROTOCOL', () => {
    expect(doneResult(enrichStep(null, { kind: 'slept', nowMs: T0 }).command).error?.code).toBe('PROTOCOL');
    const run = new Run();
    run.start(one());
    const result = doneResult(run.event({ kind: 'slept', nowMs: T0 }));
    expect(result.error).toMatchObject({ code: 'PROTOCOL', context: { event: 'slept', phase: 'await-http' } });
    expect(doneResult(run.event({ kind: 'emitted', nowMs: T0 })).error?.code).toBe('PROTOCOL');
  });
});

describe('enrichStep: counts and device pages', () => {
  it('asks device-count, then pages the devices with limit and the offset token as strings until the count', () => {
    const run = new Run();
    const first = expectKind(run.start(one()), 'http');
    expect(first.purpose).toBe('device-count');
    expect(first.request.path).toBe(`${IOC_DEVICE_COUNT_PATH}?type=sha256&value=${SHA(1)}`);
    const result = run.drive(iocServer({ [SHA(1)]: { devices: devices(250) } }));
    expect(result).toMatchObject({ verdict: 'complete', hasMore: 'false', apiCalls: 4, anomalies: 0 });
    expect(result.indicators).toEqual([
      { type: 'sha256', value: SHA(1), status: 'complete', deviceCount: 250, limitExceeded: false, deviceIds: devices(250), reason: '', detail: '' },
    ]);
    const pages = run.http.slice(1).map((c) => Object.fromEntries(url(c.request).searchParams));
    expect(pages).toEqual([
      { type: 'sha256', value: SHA(1), limit: '100' },
      { type: 'sha256', value: SHA(1), limit: '100', offset: '100' },
      { type: 'sha256', value: SHA(1), limit: '100', offset: '200' },
    ]);
  });

  it('a count of 0 is the whole answer: no devices query', () => {
    const run = new Run();
    run.start(one());
    const result = run.drive(iocServer({ [SHA(1)]: { devices: [] } }));
    expect(result.indicators[0]).toMatchObject({ status: 'complete', deviceCount: 0, deviceIds: [] });
    expect(run.http).toHaveLength(1);
  });

  it('a 404 naming the indicator reads as "no device saw it"; the gateway\'s bare 404 fails the run', () => {
    const notFound = (message: string): FakeIndicator => ({ devices: [], count: { status: 404, body: { resources: [], errors: [{ code: 404, message }] } } });
    const run = new Run();
    run.start(one());
    const result = run.drive(iocServer({ [SHA(1)]: notFound(`sha256:${SHA(1)} - Resource Not Found`) }));
    expect(result.indicators[0]).toMatchObject({ status: 'complete', deviceCount: 0, deviceIds: [], reason: '' });
    expect(run.timeline).toContain('count_not_found');

    const gateway = new Run();
    gateway.start(one());
    const failed = gateway.drive(iocServer({ [SHA(1)]: notFound('Not Found') }));
    expect(failed).toMatchObject({ verdict: 'failed:ENDPOINT_NOT_FOUND', hasMore: 'false' });
    expect(failed.indicators[0]).toMatchObject({ status: 'pending', reason: 'run_failed' });
  });

  it('a short page with a token is not the end, and duplicate ids across pages are dropped', () => {
    const run = new Run();
    run.start(one());
    const all = devices(180);
    const result = run.drive(
      iocServer({ [SHA(1)]: { devices: all } }, {
        page: (_v, position) => {
          if (position === 0) return { status: 200, body: { resources: all.slice(0, 40), pagination: { limit: 100, offset: '40' } } };
          if (position === 40) return { status: 200, body: { resources: [all[0], ...all.slice(40, 140)], pagination: { limit: 100, offset: '140' } } };
          return null;
        },
      }),
    );
    expect(result.indicators[0]).toMatchObject({ status: 'complete', deviceCount: 180 });
    expect(result.indicators[0]?.deviceIds).toEqual(all);
    expect(run.http).toHaveLength(4);
  });

  it('a page without a token before the count is token_missing_before_count: one restart from the first page completes it', () => {
    const run = new Run();
    run.start(one());
    const all = devices(250);
    const result = run.drive(
      iocServer({ [SHA(1)]: { devices: all } }, {
        page: (_v, position, ids, _next, served) => (position === 100 && served === 1 ? { status: 200, body: { resources: ids.slice(0, 50), pagination: { limit: 100 } } } : null),
      }),
    );
    expect(result.indicators[0]).toMatchObject({ status: 'complete', deviceCount: 250, reason: '' });
    expect(new Set(result.indicators[0]?.deviceIds).size).toBe(250);
    expect(result).toMatchObject({ restarts: 1, anomalies: 1 });
    expect(run.timeline).toEqual(expect.arrayContaining(['token_missing_before_count', 'devices_restart', 'complete']));
    const offsets = run.http.slice(1).map((c) => url(c.request).searchParams.get('offset'));
    expect(offsets).toEqual([null, '100', null, '100', '200']);
  });

  it('a chain that keeps ending early is reported incomplete after maxRestarts, never complete', () => {
    const run = new Run();
    run.start({ ...one(), options: { maxRestarts: 1 } });
    const result = run.drive(
      iocServer({ [SHA(1)]: { devices: devices(250) } }, { page: (_v, position, ids) => (position === 100 ? { status: 200, body: { resources: ids, pagination: { limit: 100 } } } : null) }),
    );
    expect(result).toMatchObject({ verdict: 'complete', hasMore: 'false', restarts: 1, anomalies: 2 });
    expect(result.indicators[0]).toMatchObject({ status: 'incomplete', reason: 'token_missing_before_count', deviceCount: 250 });
    expect(result.indicators[0]?.deviceIds).toHaveLength(200);
    expect(result.indicators[0]?.detail).toContain('200 of 250');
  });

  it('the same token back with nothing new is token_repeated, handled like a lost token', () => {
    const run = new Run();
    run.start({ ...one(), options: { maxRestarts: 0 } });
    const all = devices(150);
    const result = run.drive(
      iocServer({ [SHA(1)]: { devices: all } }, {
        page: (_v, position) => (position === 100 ? { status: 200, body: { resources: all.slice(0, 10), pagination: { limit: 100, offset: '100' } } } : null),
      }),
    );
    expect(run.timeline).toContain('token_repeated');
    expect(result.indicators[0]).toMatchObject({ status: 'incomplete', reason: 'token_missing_before_count' });
  });

  it('a refused token (400 with an offset) restarts from the first page', () => {
    const run = new Run();
    run.start(one());
    const result = run.drive(
      iocServer({ [SHA(1)]: { devices: devices(150) } }, {
        page: (_v, position, _ids, _next, served) => (position === 100 && served === 1 ? { status: 400, body: { errors: [{ code: 400, message: 'invalid offset' }] } } : null),
      }),
    );
    expect(run.timeline).toEqual(expect.arrayContaining(['token_refused', 'devices_restart']));
    expect(result.indicators[0]).toMatchObject({ status: 'complete', deviceCount: 150 });
  });

  it('a count without device_count: devices are paged, and the answer is incomplete unless none came back', () => {
    const noCount = (value: string): Reply => ({ status: 200, body: { resources: [{ type: 'sha256', value }] } });
    const run = new Run();
    run.start({ indicators: [{ type: 'sha256', value: SHA(1) }, { type: 'sha256', value: SHA(2) }] });
    const result = run.drive(iocServer({ [SHA(1)]: { devices: devices(120), count: noCount(SHA(1)) }, [SHA(2)]: { devices: [], count: noCount(SHA(2)) } }));
    expect(result.indicators[0]).toMatchObject({ status: 'incomplete', reason: 'count_missing', deviceCount: null });
    expect(result.indicators[0]?.deviceIds).toHaveLength(120);
    expect(result.indicators[1]).toMatchObject({ status: 'complete', deviceCount: 0, deviceIds: [] });
    expect(result.anomalies).toBe(2);
  });

  it('limit_exceeded makes the count a floor: every page is read and the answer is incomplete', () => {
    const run = new Run();
    run.start(one());
    const result = run.drive(
      iocServer({ [SHA(1)]: { devices: devices(130), count: { status: 200, body: { resources: [{ type: 'sha256', value: SHA(1), device_count: 100, limit_exceeded: true }] } } } }),
    );
    expect(result.indicators[0]).toMatchObject({ status: 'incomplete', reason: 'count_lower_bound', deviceCount: 100, limitExceeded: true });
    expect(result.indicators[0]?.deviceIds).toHaveLength(130);
  });

  it('a 400 on device-count rejects that indicator with the API message and goes on with the next', () => {
    const run = new Run();
    run.start({ indicators: [{ type: 'domain', value: 'bad..name' }, { type: 'sha256', value: SHA(2) }] });
    const result = run.drive(
      iocServer({
        'bad..name': { devices: [], count: { status: 400, body: { errors: [{ code: 400, message: 'Invalid value for type domain' }] } } },
        [SHA(2)]: { devices: devices(3) },
      }),
    );
    expect(result.verdict).toBe('complete');
    expect(result.indicators[0]).toMatchObject({ status: 'rejected', reason: 'indicator_rejected', detail: 'Invalid value for type domain', deviceCount: null });
    expect(result.indicators[1]).toMatchObject({ status: 'complete', deviceCount: 3 });
  });

  it('records instead of ids on the devices query → SCHEMA_MISMATCH', () => {
    const run = new Run();
    run.start(one());
    const result = run.drive(iocServer({ [SHA(1)]: { devices: devices(2) } }, { page: () => ({ status: 200, body: { resources: [{ device_id: 'x' }] } }) }));
    expect(result.verdict).toBe('failed:SCHEMA_MISMATCH');
  });
});

describe('enrichStep: budgets', () => {
  it('maxDeviceIdsPerIndicator caps the ids: final, capped_max_devices; 0 asks for counts only', () => {
    const run = new Run();
    run.start({ ...one(), budget: { maxDeviceIdsPerIndicator: 150 } });
    const result = run.drive(iocServer({ [SHA(1)]: { devices: devices(250) } }));
    expect(result.indicators[0]).toMatchObject({ status: 'capped', reason: 'capped_max_devices', deviceCount: 250 });
    expect(result.indicators[0]?.deviceIds).toEqual(devices(150));
    expect(result.hasMore).toBe('false');

    const exact = new Run();
    exact.start({ ...one(), budget: { maxDeviceIdsPerIndicator: 100 } });
    expect(exact.drive(iocServer({ [SHA(1)]: { devices: devices(100) } })).indicators[0]).toMatchObject({ status: 'complete' });

    const counts = new Run();
    counts.start({ ...one(), budget: { maxDeviceIdsPerIndicator: 0 } });
    const counted = counts.drive(iocServer({ [SHA(1)]: { devices: devices(250) } }));
    expect(counted.indicators[0]).toMatchObject({ status: 'capped', reason: 'capped_max_devices', deviceCount: 250, deviceIds: [] });
    expect(counts.http).toHaveLength(1);
  });

  it('the response budget: a later chain that would not fit waits for the next run; the first one is cut to fit', () => {
    const idBytes = JSON.stringify(DEV(0)).length + 1;
    const run = new Run();
    run.start({ indicators: [{ type: 'sha256', value: SHA(1) }, { type: 'sha256', value: SHA(2) }, { type: 'sha256', value: SHA(3) }], budget: { maxDeviceIdBytes: 150 * idBytes } });
    const result = run.drive(iocServer({ [SHA(1)]: { devices: devices(120) }, [SHA(2)]: { devices: devices(120, 500) }, [SHA(3)]: { devices: [] } }));
    expect(result).toMatchObject({ verdict: 'has_more', hasMore: 'true' });
    expect(result.indicators.map((r) => [r.status, r.reason])).toEqual([
      ['complete', ''],
      ['pending', 'stopped_response_size'],
      ['pending', 'stopped_response_size'],
    ]);
    expect(result.indicators[1]?.deviceCount).toBe(120);

    const alone = new Run();
    alone.start({ ...one(), budget: { maxDeviceIdBytes: 150 * idBytes } });
    const cut = alone.drive(iocServer({ [SHA(1)]: { devices: devices(250) } }));
    expect(cut.indicators[0]).toMatchObject({ status: 'capped', reason: 'capped_response_size', deviceCount: 250 });
    expect(cut.indicators[0]?.deviceIds).toHaveLength(150);
  });

  it('the deadline stops before a call that would not finish: has_more, partial ids of the current one, the rest pending', () => {
    const run = new Run();
    run.start({ indicators: [{ type: 'sha256', value: SHA(1) }, { type: 'sha256', value: SHA(2) }], budget: { deadlineMs: 3_500 } });
    const base = iocServer({ [SHA(1)]: { devices: devices(250) }, [SHA(2)]: { devices: devices(5) } });
    const result = run.drive((request, r) => {
      const reply = base(request, r);
      return 'error' in reply ? reply : { ...reply, latencyMs: 1_000 };
    });
    expect(result).toMatchObject({ verdict: 'has_more', hasMore: 'true' });
    expect(result.indicators[0]).toMatchObject({ status: 'pending', reason: 'stopped_deadline', deviceCount: 250 });
    expect(result.indicators[0]?.deviceIds.length).toBeGreaterThan(0);
    expect(result.indicators[1]).toMatchObject({ status: 'pending', reason: 'stopped_deadline', deviceIds: [], detail: 'not started' });
    expect(run.local - T0).toBeLessThanOrEqual(3_500);
    for (const c of run.http) expect(c.timeoutMs).toBeLessThanOrEqual(3_500);
  });

  it('maxCalls stops the run with stopped_max_calls', () => {
    const run = new Run();
    run.start({ ...one(), budget: { maxCalls: 2 } });
    const result = run.drive(iocServer({ [SHA(1)]: { devices: devices(250) } }));
    expect(result).toMatchObject({ verdict: 'has_more', apiCalls: 2 });
    expect(result.indicators[0]).toMatchObject({ status: 'pending', reason: 'stopped_max_calls' });
    expect(result.indicators[0]?.deviceIds).toHaveLength(100);
  });
});

describe('enrichStep: rate limits, retries and auth', () => {
  const server = iocServer({ [SHA(1)]: { devices: devices(5) } });

  it('reads Retryafter (epoch seconds) on the server clock when the local clock is 5 minutes behind', () => {
    const run = new Run({ serverAheadMs: 300_000 });
    run.start(one());
    const retryAt = Math.ceil((run.server + 100 + 10_000) / 1000);
    const sleep = expectKind(run.respond(429, { errors: [{ code: 429, message: 'API rate limit exceeded.' }] }, { 'X-Ratelimit-Retryafter': String(retryAt), 'X-Ratelimit-Remaining': '0' }), 'sleep');
    expect(sleep.reason).toBe('rate-limit');
    expect(sleep.ms).toBeGreaterThan(9_000);
    expect(sleep.ms).toBeLessThan(11_000);
    const result = run.drive(server);
    expect(result.indicators[0]).toMatchObject({ status: 'complete', deviceCount: 5 });
    expect(run.http[0]?.request).toEqual(run.http[1]?.request);
  });

  it('a wait that does not fit the deadline stops the run: stopped_rate_limit_wait', () => {
    const run = new Run();
    run.start({ ...one(), budget: { deadlineMs: 25_000 } });
    const retryAt = Math.ceil((run.server + 100 + 45_000) / 1000);
    const result = doneResult(run.respond(429, {}, { 'X-Ratelimit-Retryafter': String(retryAt) }));
    expect(result).toMatchObject({ verdict: 'has_more', hasMore: 'true' });
    expect(result.indicators[0]).toMatchObject({ status: 'pending', reason: 'stopped_rate_limit_wait' });
  });

  it('fails RATE_LIMIT_EXHAUSTED after more consecutive 429s than maxRateLimitWaits', () => {
    const run = new Run();
    run.start({ ...one(), options: { maxRateLimitWaits: 2 } });
    const result = run.drive(() => ({ status: 429, body: {} }));
    expect(result.verdict).toBe('failed:RATE_LIMIT_EXHAUSTED');
    expect(run.http).toHaveLength(3);
  });

  it('slows down when X-Ratelimit-Remaining runs low', () => {
    const run = new Run();
    run.start(one());
    const sleep = expectKind(run.respond(200, { resources: [{ type: 'sha256', value: SHA(1), device_count: 5 }] }, { 'X-Ratelimit-Remaining': '3' }), 'sleep');
    expect(sleep).toEqual({ kind: 'sleep', ms: ENGINE_DEFAULTS.verySlowDownMs, reason: 'slow-down' });
  });

  it('5xx JSON, an HTML 502, errors inside a 200 and resets are retried with seeded full-jitter backoff', () => {
    const replies: Reply[] = [
      { status: 503, body: { errors: [{ code: 503, message: 'Service Unavailable' }] } },
      { status: 502, body: '<html><head><title>502 Bad Gateway</title></head></html>' },
      { status: 200, body: { resources: [], errors: [{ code: 500, message: 'failed to get id=x' }] } },
      { error: 'reset' },
    ];
    const run = new Run();
    run.start({ ...one(), options: { seed: 7 } });
    const result = run.drive((request, r) => replies.shift() ?? server(request, r));
    expect(result).toMatchObject({ verdict: 'complete', retries: 4, apiCalls: 6 });
    expect(result.indicators[0]).toMatchObject({ status: 'complete', deviceCount: 5 });
    expect(run.timeline).toEqual(expect.arrayContaining(['retry', 'non_json_body', 'errors_in_200']));
    const backoffs = run.commands.filter((c): c is Cmd<'sleep'> => c.kind === 'sleep').map((c) => c.ms);
    backoffs.forEach((ms, i) => expect(ms).toBeLessThanOrEqual(ENGINE_DEFAULTS.backoffBaseMs * 2 ** (i + 1)));

    const again = new Run();
    again.start({ ...one(), options: { seed: 7 } });
    const replay: Reply[] = [...[0, 1, 2, 3].map(() => ({ status: 503, body: {} }))];
    again.drive((request, r) => replay.shift() ?? server(request, r));
    expect(again.commands.filter((c) => c.kind === 'sleep').map((c) => (c as Cmd<'sleep'>).ms)).toEqual(backoffs);
  });

  it('consecutive resets beyond maxRetries → failed RETRIES_EXHAUSTED, the indicator pending', () => {
    const run = new Run();
    run.start({ ...one(), options: { maxRetries: 2 } });
    const result = run.drive(() => ({ error: 'reset' }));
    expect(result.error).toMatchObject({ code: 'RETRIES_EXHAUSTED', context: { attempts: 3 }, cause: { code: 'reset' } });
    expect(result.indicators[0]).toMatchObject({ status: 'pending', reason: 'run_failed' });
  });

  it('a 200 with a non-retryable error inside → failed ERRORS_IN_200, never an empty success', () => {
    const run = new Run();
    run.start(one());
    const result = doneResult(run.respond(200, { resources: [], errors: [{ code: 400, message: 'bad' }] }));
    expect(result.verdict).toBe('failed:ERRORS_IN_200');
  });

  it('401 → authenticate, then the same request again; a second 401 in a row → AUTH_FAILED', () => {
    const run = new Run();
    run.start(one());
    expectKind(run.respond(401, { errors: [{ code: 401, message: 'access denied, invalid bearer token' }] }), 'authenticate');
    run.local += 50;
    const again = expectKind(run.event({ kind: 'authenticated', nowMs: run.local, ok: true }), 'http');
    expect(again.request).toEqual(run.http[0]?.request);
    const result = doneResult(run.respond(401, {}));
    expect(result).toMatchObject({ verdict: 'failed:AUTH_FAILED', authRefreshes: 1 });
  });

  it('a 401 after a connection reset and its backoff refreshes again (the refreshed token was never tried)', () => {
    const run = new Run();
    run.start(one());
    run.respond(401, {});
    expectKind(run.event({ kind: 'authenticated', nowMs: run.local, ok: true }), 'http');
    expectKind(run.event({ kind: 'http-error', nowMs: run.local, code: 'reset', message: 'connection reset by peer' }), 'sleep');
    expectKind(run.event({ kind: 'slept', nowMs: run.local + 5_000 }), 'http');
    expectKind(run.respond(401, {}), 'authenticate');
  });

  it('a host that cannot get a token → AUTH_FAILED with its message', () => {
    const run = new Run();
    run.start(one());
    run.respond(401, {});
    const result = doneResult(run.event({ kind: 'authenticated', nowMs: run.local, ok: false, message: 'client authentication failed' }));
    expect(result.error?.message).toContain('client authentication failed');
  });

  it('403 → failed SCOPE_MISSING naming the scope and the path', () => {
    const run = new Run();
    run.start(one());
    const result = doneResult(run.respond(403, { errors: [{ code: 403, message: 'access denied, authorization failed' }] }));
    expect(result.error).toMatchObject({ code: 'SCOPE_MISSING', context: { scope: 'IOC Management: Read', path: IOC_DEVICE_COUNT_PATH } });
    expect(result.error?.message).toContain('IOC Management: Read');
  });
});
