import { describe, expect, it } from 'vitest';
import type { EngineCommand, HttpRequestSpec, RunResult } from '../../functions/engine/EngineCommand.ts';
import type { EngineEvent } from '../../functions/engine/EngineEvent.ts';
import type { EngineState } from '../../functions/engine/EngineState.ts';
import type { HealthEventKind } from '../../functions/engine/HealthRecord.ts';
import { ENGINE_DEFAULTS } from '../../functions/engine/RunInput.ts';
import { optimalCalls, step } from '../../functions/engine/step.ts';
import { OTHER_INSTALL_KEYS, TEST_CHECKPOINT_KEYS } from '../support/checkpointKeys.ts';
import { STREAMS } from '../../functions/falcon/streams.ts';

// ---------------------------------------------------------------------------------------------
// Harness: a scripted host. Every state is deep-frozen before it goes back into `step`, so any
// mutation of the caller's state throws in every test below.

/** A local clock on a whole second, so the Date header (1 s resolution) is exact when nothing has elapsed. */
const T0 = Date.UTC(2025, 0, 1, 12, 0, 0);
const DATA_EPOCH = Date.UTC(2024, 11, 1);

/** The n-th watermark value: an ISO timestamp n seconds after the data epoch. */
const ts = (n: number): string => new Date(DATA_EPOCH + n * 1000).toISOString();

type Alert = { composite_id: string; created_timestamp: string; status?: string; payload?: string };
const alert = (id: string, n: number, extra: Partial<Alert> = {}): Alert => ({ composite_id: id, created_timestamp: ts(n), ...extra });
const host = (id: string, n: number): Record<string, unknown> => ({ device_id: id, first_seen: ts(n), hostname: `${id}.corp` });

interface PageSpec {
  resources?: unknown[] | null;
  pagination?: Record<string, unknown>;
  errors?: Array<{ code: number; message: string; id?: string }>;
}

/** A Falcon envelope: meta with trace id and optional pagination, resources, errors. */
function falconBody({ resources = [], pagination, errors = [] }: PageSpec = {}): string {
  const meta = { query_time: 0.012, powered_by: 'test-api', trace_id: 'trace-1', ...(pagination ? { pagination } : {}) };
  return JSON.stringify({ meta, resources, errors });
}

function falconHeaders(serverMs: number, extra: Record<string, string> = {}): Record<string, string> {
  return {
    'Content-Type': 'application/json',
    Date: new Date(serverMs).toUTCString(),
    'X-Cs-Traceid': 'trace-1',
    'X-Ratelimit-Limit': '6000',
    'X-Ratelimit-Remaining': '5999',
    ...extra,
  };
}

const HTML_502 = '<html><head><title>502 Bad Gateway</title></head><body><center>nginx</center></body></html>';

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

type Cmd<K extends EngineCommand['kind']> = Extract<EngineCommand, { kind: K }>;

function expectKind<K extends EngineCommand['kind']>(command: EngineCommand, kind: K): Cmd<K> {
  if (command.kind !== kind) throw new Error(`expected a ${kind} command, got ${JSON.stringify(command).slice(0, 600)}`);
  return command as Cmd<K>;
}

const jsonBody = (request: HttpRequestSpec): Record<string, unknown> => JSON.parse(request.body ?? 'null') as Record<string, unknown>;
const query = (request: HttpRequestSpec): URLSearchParams => new URL(request.path, 'https://api.test').searchParams;
const pathOf = (request: HttpRequestSpec): string => new URL(request.path, 'https://api.test').pathname;

/** The filter of a query from the watermark: `from` upwards, up to the export's bound (its start time on the server). */
function watermarkFilter(run: Run, field: string, from: string): string {
  const bound = run.state && run.state.phase !== 'refused' ? run.state.cp.boundServerMs : null;
  if (bound === null || bound === undefined) throw new Error('the export has no bound yet');
  return `${field}:>='${from}'+${field}:<='${new Date(bound).toISOString()}'`;
}

type Reply =
  | { status: number; body: PageSpec | string; headers?: Record<string, string>; latencyMs?: number }
  | { error: 'reset' | 'timeout' | 'network'; latencyMs?: number };
type Server = (request: HttpRequestSpec, run: Run) => Reply;
type Timed<T> = T | ((serverMs: number) => T);

class Run {
  state: EngineState | null = null;
  local: number;
  readonly serverAheadMs: number;
  readonly commands: EngineCommand[] = [];
  /** Server time at which each http command was issued, by index in `commands`. */
  readonly issuedAtServer = new Map<number, number>();
  readonly issuedAtLocal = new Map<number, number>();

  constructor({ at = T0, serverAheadMs = 0 }: { at?: number; serverAheadMs?: number } = {}) {
    this.local = at;
    this.serverAheadMs = serverAheadMs;
  }

  get server(): number {
    return this.local + this.serverAheadMs;
  }

  get last(): EngineCommand {
    const command = this.commands[this.commands.length - 1];
    if (!command) throw new Error('no command yet');
    return command;
  }

  get emitted(): Array<Record<string, unknown>> {
    return this.commands.flatMap((c) => (c.kind === 'emit' ? (c.items as Array<Record<string, unknown>>) : []));
  }

  get http(): Array<Cmd<'http'>> {
    return this.commands.filter((c): c is Cmd<'http'> => c.kind === 'http');
  }

  get timeline(): HealthEventKind[] {
    return (this.state?.health.timeline ?? []).map((e) => e.kind);
  }

  event(event: EngineEvent): EngineCommand {
    const out = step(this.state === null ? null : deepFreeze(this.state), event);
    this.state = out.state;
    this.commands.push(out.command);
    if (out.command.kind === 'http') {
      this.issuedAtServer.set(this.commands.length - 1, this.server);
      this.issuedAtLocal.set(this.commands.length - 1, this.local);
    }
    return out.command;
  }

  start(input: Record<string, unknown>): EngineCommand {
    return this.event({ kind: 'start', nowMs: this.local, input: { runId: 'run-1', checkpointKeys: TEST_CHECKPOINT_KEYS, ...input } });
  }

  respond(status: number, body: Timed<PageSpec | string> = {}, headers: Timed<Record<string, string>> = {}, latencyMs = 100): EngineCommand {
    expectKind(this.last, 'http');
    this.local += latencyMs;
    const b = typeof body === 'function' ? body(this.server) : body;
    const h = typeof headers === 'function' ? headers(this.server) : headers;
    return this.event({
      kind: 'http-response',
      nowMs: this.local,
      status,
      headers: falconHeaders(this.server, h),
      body: typeof b === 'string' ? b : falconBody(b),
    });
  }

  page(body: Timed<PageSpec>, headers: Timed<Record<string, string>> = {}): EngineCommand {
    return this.respond(200, body, headers);
  }

  httpError(code: 'reset' | 'timeout' | 'network', latencyMs = 100): EngineCommand {
    expectKind(this.last, 'http');
    this.local += latencyMs;
    return this.event({ kind: 'http-error', nowMs: this.local, code, message: `socket ${code}` });
  }

  slept(): EngineCommand {
    this.local += expectKind(this.last, 'sleep').ms;
    return this.event({ kind: 'slept', nowMs: this.local });
  }

  ack(afterMs = 0): EngineCommand {
    expectKind(this.last, 'emit');
    this.local += afterMs;
    return this.event({ kind: 'emitted', nowMs: this.local });
  }

  authenticated(ok: boolean, message?: string, retryable?: boolean): EngineCommand {
    expectKind(this.last, 'authenticate');
    this.local += 50;
    return this.event({ kind: 'authenticated', nowMs: this.local, ok, ...(message ? { message } : {}), ...(retryable ? { retryable } : {}) });
  }

  /**
   * After the last page of a cursor chain: the fresh query from the watermark that ends the export. It is
   * answered with `boundary` (the records at the watermark, already exported) and the run's result is returned.
   */
  proveEnd(boundary: unknown[], limit = 1000): RunResult {
    expectKind(this.ack(), 'http');
    expect(this.timeline).toContain('end_unproven');
    expectKind(this.page({ resources: boundary, pagination: { limit, total: boundary.length } }), 'emit');
    return doneResult(this.ack());
  }

  /** Answers every command until the run ends; `server` plays Falcon. */
  drive(server: Server, maxCommands = 2000): RunResult {
    for (let i = 0; i < maxCommands; i++) {
      const command = this.last;
      if (command.kind === 'done') return command.result;
      if (command.kind === 'sleep') this.slept();
      else if (command.kind === 'emit') this.ack();
      else if (command.kind === 'authenticate') this.authenticated(true);
      else {
        const reply = server(command.request, this);
        if ('error' in reply) this.httpError(reply.error, reply.latencyMs);
        else this.respond(reply.status, reply.body, reply.headers ?? {}, reply.latencyMs);
      }
    }
    throw new Error(`the run did not end within ${maxCommands} commands`);
  }
}

/** Ends a scripted run: the engine's final command must be `done`. */
const doneResult = (command: EngineCommand): RunResult => expectKind(command, 'done').result;

// ---------------------------------------------------------------------------------------------
// A fake Falcon for longer runs: evaluates the engine's FQL (comparisons, equality, `+`, `,`, parentheses)
// over a fixed record set, so the server answers exactly what the engine asked for.

function splitTop(text: string, separator: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quoted = false;
  let current = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text.charAt(i);
    if (quoted) {
      current += ch;
      if (ch === '\\') current += text.charAt(++i);
      else if (ch === "'") quoted = false;
      continue;
    }
    if (ch === "'") quoted = true;
    else if (ch === '(') depth++;
    else if (ch === ')') depth--;
    else if (ch === separator && depth === 0) {
      parts.push(current);
      current = '';
      continue;
    }
    current += ch;
  }
  parts.push(current);
  return parts;
}

function matchesFql(filter: string, record: Record<string, unknown>): boolean {
  const text = filter.trim();
  if (text === '') return true;
  const alternatives = splitTop(text, ',');
  if (alternatives.length > 1) return alternatives.some((a) => matchesFql(a, record));
  const terms = splitTop(text, '+');
  if (terms.length > 1) return terms.every((t) => matchesFql(t, record));
  if (text.startsWith('(') && text.endsWith(')')) return matchesFql(text.slice(1, -1), record);
  const m = /^(\w+):(>=|<=|)'((?:[^'\\]|\\.)*)'$/.exec(text);
  if (!m) throw new Error(`the fake Falcon cannot evaluate ${JSON.stringify(text)}`);
  const actual = String(record[m[1] as string]);
  const wanted = (m[3] as string).replace(/\\(.)/g, '$1');
  return m[2] === '>=' ? actual >= wanted : m[2] === '<=' ? actual <= wanted : actual === wanted;
}

function sortedMatches<T extends Record<string, unknown>>(records: readonly T[], filter: string, field: string, idField: string): T[] {
  return records
    .filter((r) => matchesFql(filter, r))
    .sort((a, b) => String(a[field]).localeCompare(String(b[field])) || String(a[idField]).localeCompare(String(b[idField])));
}

/** POST /alerts/combined/alerts/v1: the `after` token remembers its query and position, like a search context. */
function alertsServer(records: readonly Alert[]): Server {
  return (request) => {
    expect(request.method).toBe('POST');
    expect(request.path).toBe('/alerts/combined/alerts/v1');
    const body = jsonBody(request) as { limit: number; sort: string; filter?: string; after?: string };
    expect(body.sort).toBe('created_timestamp|asc');
    const at = body.after
      ? (JSON.parse(Buffer.from(body.after, 'base64url').toString('utf8')) as { filter: string; start: number })
      : { filter: body.filter ?? '', start: 0 };
    const matching = sortedMatches(records, at.filter, 'created_timestamp', 'composite_id');
    const page = matching.slice(at.start, at.start + body.limit);
    const end = at.start + page.length;
    const after = end < matching.length ? Buffer.from(JSON.stringify({ filter: at.filter, start: end })).toString('base64url') : undefined;
    return { status: 200, body: { resources: page, pagination: { limit: body.limit, total: matching.length, ...(after ? { after } : {}) } } };
  };
}

/** GET /alerts/queries/alerts/v2 (offset, capped) + POST /alerts/entities/alerts/v2. */
function alertIdsServer(records: readonly Alert[], options: { depthCap?: number; fail?: (offset: number) => boolean } = {}): Server {
  const byId = new Map(records.map((r) => [r.composite_id, r]));
  const depthCap = options.depthCap ?? 10_000;
  return (request) => {
    if (request.method === 'POST') {
      expect(request.path).toBe('/alerts/entities/alerts/v2');
      const ids = jsonBody(request).composite_ids as string[];
      expect(ids.length).toBeLessThanOrEqual(1000);
      return { status: 200, body: { resources: ids.map((id) => byId.get(id)) } };
    }
    expect(pathOf(request)).toBe('/alerts/queries/alerts/v2');
    const q = query(request);
    const limit = Number(q.get('limit'));
    const offset = Number(q.get('offset') ?? '0');
    if (offset + limit > depthCap || options.fail?.(offset)) return { status: 500, body: { errors: [{ code: 500, message: 'Internal Server Error' }] } };
    const matching = sortedMatches(records, q.get('filter') ?? '', 'created_timestamp', 'composite_id');
    const ids = matching.slice(offset, offset + limit).map((r) => r.composite_id);
    return { status: 200, body: { resources: ids, pagination: { offset, limit, total: matching.length } } };
  };
}

function ids(items: ReadonlyArray<Record<string, unknown>>, field = 'composite_id'): string[] {
  return items.map((item) => String(item[field]));
}

function expectExactlyOnce(exported: string[], expected: string[]): void {
  expect(new Set(exported).size, 'duplicates').toBe(exported.length);
  expect([...exported].sort()).toEqual([...expected].sort());
}

/** A real checkpoint: one page of a short alerts export. */
function alertsCheckpoint(input: Record<string, unknown>): string {
  const run = new Run();
  run.start({ stream: 'alerts', ...input });
  return expectKind(run.page({ resources: [alert('a1', 1)], pagination: { total: 2, limit: 1000, after: 'tok-1' } }), 'emit').checkpoint;
}

// ---------------------------------------------------------------------------------------------

describe('step: bad input', () => {
  it('unknown stream → done with STREAM_UNKNOWN (input), no http command, no checkpoint', () => {
    const run = new Run();
    const result = doneResult(run.start({ stream: 'firehose' }));
    expect(result.error).toMatchObject({ code: 'STREAM_UNKNOWN', category: 'input', context: { field: 'stream' } });
    expect(result.error?.message).toContain('alerts');
    expect(result).toMatchObject({ verdict: 'failed:STREAM_UNKNOWN', hasMore: 'false', checkpoint: null });
    expect(run.commands).toHaveLength(1);
  });

  it('the decommissioned detections stream → STREAM_DECOMMISSIONED (input) naming alerts, with no request', () => {
    const run = new Run();
    const result = doneResult(run.start({ stream: 'detections' }));
    expect(result.error).toMatchObject({ code: 'STREAM_DECOMMISSIONED', category: 'input', context: { field: 'stream' } });
    expect(result.error?.message).toContain('decommissioned on September 30, 2025; export "alerts" instead');
    expect(run.http).toHaveLength(0);
  });

  it('a budget of the wrong type → INPUT_INVALID naming the field', () => {
    const result = doneResult(new Run().start({ stream: 'alerts', budget: { maxPages: '3' } }));
    expect(result.error).toMatchObject({ code: 'INPUT_INVALID', category: 'input', context: { field: 'budget.maxPages' } });
    expect(result.error?.message).toContain('budget.maxPages');
  });

  it('an unknown option → INPUT_INVALID naming the key', () => {
    const result = doneResult(new Run().start({ stream: 'alerts', options: { pagelimit: 5 } }));
    expect(result.error?.code).toBe('INPUT_INVALID');
    expect(result.error?.message).toContain('pagelimit');
  });

  it('a missing runId and a non-object input → INPUT_INVALID', () => {
    expect(doneResult(new Run().start({ stream: 'alerts', runId: undefined })).error?.context).toEqual({ field: 'runId' });
    const out = step(null, { kind: 'start', nowMs: T0, input: 'alerts' });
    expect(doneResult(out.command).error).toMatchObject({ code: 'INPUT_INVALID', context: { field: '(input)' } });
  });

  it('a filter with an unbalanced quote → FILTER_INVALID with the position', () => {
    const result = doneResult(new Run().start({ stream: 'alerts', filter: "status:'new" }));
    expect(result.error).toMatchObject({ code: 'FILTER_INVALID', category: 'input', context: { field: 'filter', position: 7 } });
  });

  it('a filter with a control character → FILTER_INVALID', () => {
    expect(doneResult(new Run().start({ stream: 'alerts', filter: 'status:1\nx' })).error?.code).toBe('FILTER_INVALID');
  });

  it.each([['__proto__.polluted'], ['a.constructor.prototype.x'], ['prototype'], ['a..b'], ['.a']])('a projection path %j → INPUT_INVALID naming fields', (path) => {
    const result = doneResult(new Run().start({ stream: 'alerts', fields: ['severity', path] }));
    expect(result.error).toMatchObject({ code: 'INPUT_INVALID', context: { field: 'fields.1' } });
    expect(result.resume).toEqual({ safe: false, reason: 'input_refused' });
  });

  it('no signing keys, or a short one → INPUT_INVALID: the engine has no key of its own', () => {
    const out = step(null, { kind: 'start', nowMs: T0, input: { stream: 'alerts', runId: 'r' } });
    expect(doneResult(out.command).error).toMatchObject({ code: 'INPUT_INVALID', context: { field: 'checkpointKeys' } });
    expect(doneResult(new Run().start({ stream: 'alerts', checkpointKeys: { current: 'short' } })).error?.context).toEqual({ field: 'checkpointKeys.current' });
  });
});

describe('step: projections', () => {
  it('names projected fields that no record had (a typo), once the run ends', () => {
    const run = new Run();
    run.start({ stream: 'alerts', fields: ['status', 'sevrity'] });
    run.page({ resources: [alert('a', 1, { status: 'new' }), alert('b', 2, { status: 'closed' })], pagination: { limit: 1000, total: 2 } });
    const result = run.proveEnd([alert('b', 2, { status: 'closed' })]);
    expect(result.health.timeline.find((e) => e.kind === 'fields_absent')?.detail).toBe('sevrity appeared in none of the 2 records; check the field names');
  });

  it('reads only a record\'s own fields and builds copies without a prototype', () => {
    const run = new Run();
    run.start({ stream: 'alerts', fields: ['severity', 'device.hostname', 'polluted'] });
    const hostile = JSON.parse(`{"composite_id":"a1","created_timestamp":"${ts(1)}","severity":50,"__proto__":{"polluted":"yes"},"device":{"hostname":"h1","__proto__":{"x":1}}}`) as Record<string, unknown>;
    const emitted = expectKind(run.page({ resources: [hostile], pagination: { total: 1, limit: 100 } }), 'emit');
    const item = emitted.items[0] as Record<string, unknown>;
    expect(Object.getPrototypeOf(item)).toBeNull();
    expect(JSON.parse(JSON.stringify(item))).toEqual({ composite_id: 'a1', severity: 50, device: { hostname: 'h1' } });
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });
});

describe('step: checkpoints from another export', () => {
  const input = { filter: "status:'new'", sessionId: 'S1' };
  let made: string | null = null;
  const checkpoint = (): string => (made ??= alertsCheckpoint(input));

  it('control: the same stream, filter and session resume the live cursor', () => {
    const run = new Run({ at: T0 + 1_000 });
    const request = expectKind(run.start({ stream: 'alerts', ...input, checkpoint: checkpoint() }), 'http').request;
    expect(jsonBody(request).after).toBe('tok-1');
    expect(run.timeline).toContain('resumed');
  });

  it('another stream → CHECKPOINT_FOREIGN_STREAM', () => {
    const result = doneResult(new Run().start({ stream: 'iocs', ...input, checkpoint: checkpoint() }));
    expect(result.error).toMatchObject({ code: 'CHECKPOINT_FOREIGN_STREAM', category: 'input', context: { field: 'checkpoint' } });
  });

  it('another filter → CHECKPOINT_FOREIGN_FILTER', () => {
    const result = doneResult(new Run().start({ stream: 'alerts', ...input, filter: "status:'closed'", checkpoint: checkpoint() }));
    expect(result.error).toMatchObject({ code: 'CHECKPOINT_FOREIGN_FILTER', category: 'input' });
  });

  it('another session → CHECKPOINT_FOREIGN_SESSION naming the checkpoint session', () => {
    const result = doneResult(new Run().start({ stream: 'alerts', ...input, sessionId: 'S2', checkpoint: checkpoint() }));
    expect(result.error).toMatchObject({ code: 'CHECKPOINT_FOREIGN_SESSION', context: { checkpointSession: 'S1' } });
  });

  it('one edited character → CHECKPOINT_TAMPERED, and another install\'s key → CHECKPOINT_FOREIGN_KEY', () => {
    const text = checkpoint();
    const i = text.lastIndexOf('.') - 10;
    const tampered = text.slice(0, i) + (text.charAt(i) === 'A' ? 'B' : 'A') + text.slice(i + 1);
    expect(doneResult(new Run().start({ stream: 'alerts', ...input, checkpoint: tampered })).error?.code).toBe('CHECKPOINT_TAMPERED');
    expect(doneResult(new Run().start({ stream: 'alerts', ...input, checkpoint: checkpoint(), checkpointKeys: OTHER_INSTALL_KEYS })).error?.code).toBe('CHECKPOINT_FOREIGN_KEY');
  });

  it('another version and garbage → CHECKPOINT_VERSION and CHECKPOINT_MALFORMED', () => {
    const v3 = checkpoint().replace(/^pg2\./, 'pg3.');
    expect(doneResult(new Run().start({ stream: 'alerts', ...input, checkpoint: v3 })).error?.code).toBe('CHECKPOINT_VERSION');
    expect(doneResult(new Run().start({ stream: 'alerts', ...input, checkpoint: 'resume-please' })).error?.code).toBe('CHECKPOINT_MALFORMED');
  });
});

describe('step: alerts (after in the POST body)', () => {
  it('first asks for 1000 records sorted by created_timestamp ascending, without after or filter', () => {
    const request = expectKind(new Run().start({ stream: 'alerts' }), 'http').request;
    expect(request.method).toBe('POST');
    expect(request.path).toBe('/alerts/combined/alerts/v1');
    expect(request.headers['Content-Type']).toBe('application/json');
    expect(jsonBody(request)).toEqual({ limit: 1000, sort: 'created_timestamp|asc' });
  });

  it("sends the user's filter in the body", () => {
    const request = expectKind(new Run().start({ stream: 'alerts', filter: " status:'new' " }), 'http').request;
    expect(jsonBody(request).filter).toBe("status:'new'");
  });

  it('carries the after token of a page into the next request, and completes when after is absent and all were received', () => {
    const run = new Run();
    run.start({ stream: 'alerts' });
    const emit = expectKind(run.page({ resources: [alert('a1', 1), alert('a2', 2)], pagination: { total: 3, limit: 1000, after: 'tok-1' } }), 'emit');
    expect(ids(emit.items as Alert[])).toEqual(['a1', 'a2']);
    const second = expectKind(run.ack(), 'http').request;
    expect(jsonBody(second)).toEqual({ limit: 1000, sort: 'created_timestamp|asc', after: 'tok-1' });
    expectKind(run.page({ resources: [alert('a3', 3)], pagination: { total: 3, limit: 1000 } }), 'emit');
    // The cursor's end is the server's word: one query from the watermark is the data's.
    const result = run.proveEnd([alert('a3', 3)]);
    expect(result).toMatchObject({ verdict: 'complete', hasMore: 'false' });
    expect(result.health).toMatchObject({ items: 3, pages: 3, apiCalls: 3, tokenMissingMidRun: 0, totalAtStart: 3 });
    expect(ids(run.emitted)).toEqual(['a1', 'a2', 'a3']);
  });

  it('a page without after while received < total → token_missing_mid_run and a watermark restart that never re-emits the boundary', () => {
    const run = new Run();
    run.start({ stream: 'alerts' });
    run.page({ resources: [alert('a', 1), alert('b', 2), alert('c', 2)], pagination: { total: 6, limit: 1000, after: 'tok-1' } });
    run.ack();
    // The chain ends after 4 of 6: the token vanished mid-run.
    run.page({ resources: [alert('d', 3)], pagination: { total: 6, limit: 1000 } });
    expect(run.state?.health.tokenMissingMidRun).toBe(1);
    const restart = jsonBody(expectKind(run.ack(), 'http').request);
    expect(restart.after).toBeUndefined();
    // From the gap before d (its page may have skipped records) through d's page, read again in case its
    // cursor held a record back, and on: one range.
    expect(restart.filter).toBe(watermarkFilter(run, 'created_timestamp', ts(2)));
    expect(run.timeline).toContain('token_missing_mid_run');
    expect(run.timeline).toContain('watermark_restart');
    // The restart answers everything from the boundaries on: b, c and d again, plus the two that were missed.
    run.page({ resources: [alert('b', 2), alert('c', 2), alert('e', 2), alert('d', 3), alert('f', 4)], pagination: { total: 5, limit: 1000 } });
    const result = run.proveEnd([alert('f', 4)]);
    expect(result.verdict).toBe('complete');
    expectExactlyOnce(ids(run.emitted), ['a', 'b', 'c', 'd', 'e', 'f']);
    expect(result.health.duplicatesDropped).toBe(4);
  });

  it('asks once more from the watermark when no total confirms the end', () => {
    const run = new Run();
    run.start({ stream: 'alerts' });
    run.page({ resources: [alert('a', 1), alert('b', 2)], pagination: { limit: 1000 } });
    const again = jsonBody(expectKind(run.ack(), 'http').request);
    // From the last page's first record: the query reads that page again in case its cursor held one back.
    expect(again.filter).toBe(watermarkFilter(run, 'created_timestamp', ts(1)));
    run.page({ resources: [alert('b', 2)], pagination: { limit: 1000 } });
    expect(doneResult(run.ack()).verdict).toBe('complete');
    expectExactlyOnce(ids(run.emitted), ['a', 'b']);
  });
});

describe('step: rate limits and clocks', () => {
  const retryAfterSeconds = (seconds: number) => (serverMs: number) => ({ 'X-Ratelimit-Retryafter': String(Math.floor(serverMs / 1000) + seconds) });
  const rateLimited: PageSpec = { errors: [{ code: 429, message: 'API rate limit exceeded.' }] };

  /** Starts an alerts run and stops at the 429 that answers the second request (the one with an after token). */
  function rateLimitedWithLiveCursor(input: Record<string, unknown>, waitSeconds: number): Run {
    const run = new Run();
    run.start({ stream: 'alerts', ...input });
    run.page({ resources: [alert('a1', 1), alert('a2', 2)], pagination: { total: 10, limit: 1000, after: 'tok-1' } });
    expect(jsonBody(expectKind(run.ack(), 'http').request).after).toBe('tok-1');
    run.respond(429, rateLimited, retryAfterSeconds(waitSeconds));
    return run;
  }

  it('a 45 s Retryafter outlives the 30 s after token: sleep ~45 s, abandon the cursor, restart without after', () => {
    const run = rateLimitedWithLiveCursor({}, 45);
    const sleep = expectKind(run.last, 'sleep');
    expect(sleep.reason).toBe('rate-limit');
    // 45 s, less up to the 1 s resolution of the Date header (the engine assumes the middle of that second).
    expect(sleep.ms).toBeGreaterThanOrEqual(44_000);
    expect(sleep.ms).toBeLessThanOrEqual(45_000);
    expect(run.timeline).toContain('cursor_abandoned_for_wait');
    const next = jsonBody(expectKind(run.slept(), 'http').request);
    expect(next.after).toBeUndefined();
    // From the abandoned cursor's last page, not past it: a record that cursor held back is read again.
    expect(next.filter).toBe(watermarkFilter(run, 'created_timestamp', ts(1)));
    expect(run.state?.health.rateLimitWaitMs).toBe(sleep.ms);
  });

  it('a record the abandoned cursor held back is read again by the next query and kept, once', () => {
    const run = new Run();
    run.start({ stream: 'alerts' });
    // 'b' sorts between a and c but is held back, to come first on the page after tok-1.
    run.page({ resources: [alert('a', 1), alert('c', 3)], pagination: { total: 4, limit: 1000, after: 'tok-1' } });
    run.ack();
    run.respond(429, rateLimited, retryAfterSeconds(45));
    expect(run.timeline).toContain('cursor_abandoned_for_wait');
    const next = jsonBody(expectKind(run.slept(), 'http').request);
    expect(next.filter).toBe(watermarkFilter(run, 'created_timestamp', ts(1)));
    run.page({ resources: [alert('a', 1), alert('b', 2), alert('c', 3), alert('d', 4)], pagination: { total: 4, limit: 1000 } });
    expect(run.timeline).toContain('out_of_order');
    expect(run.proveEnd([alert('d', 4)]).verdict).toBe('complete');
    expectExactlyOnce(ids(run.emitted), ['a', 'b', 'c', 'd']);
  });

  it('a 10 s Retryafter keeps the cursor: the same request with after is sent again', () => {
    const run = rateLimitedWithLiveCursor({}, 10);
    const before = run.http[run.http.length - 1]?.request;
    expect(expectKind(run.last, 'sleep').ms).toBeLessThanOrEqual(10_000);
    expect(expectKind(run.slept(), 'http').request).toEqual(before);
    expect(run.timeline).not.toContain('cursor_abandoned_for_wait');
  });

  it('never sends an after token obtained more than 30 s (server time) earlier', () => {
    const run = new Run();
    run.start({ stream: 'alerts' });
    run.page({ resources: [alert('a1', 1)], pagination: { total: 3, limit: 1000, after: 'tok-1' } });
    const obtainedAt = run.server;
    // The host takes 40 s to write the page before it acknowledges.
    const next = jsonBody(expectKind(run.ack(40_000), 'http').request);
    expect(run.server - obtainedAt).toBeGreaterThan(30_000);
    expect(next.after).toBeUndefined();
    expect(run.timeline).toContain('token_expired');
  });

  it('with a 25 s deadline the 45 s wait ends the run has_more with a checkpoint; later runs sleep what fits, then resume on time', () => {
    const run = rateLimitedWithLiveCursor({ budget: { deadlineMs: 25_000 } }, 45);
    const retryAtServer = (Math.floor(run.server / 1000) + 45) * 1000;
    const first = doneResult(run.last);
    expect(first).toMatchObject({ verdict: 'has_more', hasMore: 'true' });
    expect(first.checkpoint).toMatch(/^pg2\./);
    expect(run.timeline).toContain('stopped_rate_limit_wait');

    const second = new Run({ at: run.local + 1_000 });
    const sleep = expectKind(second.start({ stream: 'alerts', checkpoint: first.checkpoint, budget: { deadlineMs: 25_000 } }), 'sleep');
    expect(sleep.reason).toBe('not-before');
    expect(sleep.ms).toBeGreaterThan(0);
    expect(sleep.ms).toBeLessThanOrEqual(25_000);
    const secondResult = doneResult(second.slept());
    expect(secondResult.hasMore).toBe('true');

    const third = new Run({ at: second.local + 1_000 });
    expectKind(third.start({ stream: 'alerts', checkpoint: secondResult.checkpoint, budget: { deadlineMs: 25_000 } }), 'sleep');
    const request = expectKind(third.slept(), 'http').request;
    expect(jsonBody(request).after).toBeUndefined();
    // Within the Date header's resolution, nothing is sent before the Retryafter time.
    expect(third.issuedAtServer.get(third.commands.length - 1)).toBeGreaterThanOrEqual(retryAtServer - 1_000);
  });

  it('reads Retryafter against the server clock when the local clock is 5 minutes behind', () => {
    const run = new Run({ serverAheadMs: 5 * 60_000 });
    const first = expectKind(run.start({ stream: 'alerts' }), 'http').request;
    const sleep = expectKind(run.respond(429, rateLimited, retryAfterSeconds(20)), 'sleep');
    expect(sleep.ms).toBeGreaterThanOrEqual(19_000);
    expect(sleep.ms).toBeLessThanOrEqual(20_000);
    expect(expectKind(run.slept(), 'http').request).toEqual(first);
  });

  it('ages an after token on the server clock when the local clock is 5 minutes behind', () => {
    const fresh = new Run({ serverAheadMs: 5 * 60_000 });
    fresh.start({ stream: 'alerts' });
    fresh.page({ resources: [alert('a1', 1)], pagination: { total: 3, limit: 1000, after: 'tok-1' } });
    expect(jsonBody(expectKind(fresh.ack(5_000), 'http').request).after).toBe('tok-1');

    const stale = new Run({ serverAheadMs: 5 * 60_000 });
    stale.start({ stream: 'alerts' });
    stale.page({ resources: [alert('a1', 1)], pagination: { total: 3, limit: 1000, after: 'tok-1' } });
    expect(jsonBody(expectKind(stale.ack(40_000), 'http').request).after).toBeUndefined();
  });

  it('a 429 without Retryafter backs off (at least 1 s) and sends the same request again', () => {
    const run = new Run();
    const first = expectKind(run.start({ stream: 'alerts' }), 'http').request;
    const sleep = expectKind(run.respond(429, rateLimited), 'sleep');
    expect(sleep.ms).toBeGreaterThanOrEqual(1_000);
    expect(expectKind(run.slept(), 'http').request).toEqual(first);
  });

  it('fails RATE_LIMIT_EXHAUSTED after more consecutive 429s than maxRateLimitWaits', () => {
    const run = new Run();
    run.start({ stream: 'alerts', options: { maxRateLimitWaits: 2 } });
    run.respond(429, rateLimited, retryAfterSeconds(2));
    run.slept();
    run.respond(429, rateLimited, retryAfterSeconds(2));
    run.slept();
    const result = doneResult(run.respond(429, rateLimited, retryAfterSeconds(2)));
    expect(result.error).toMatchObject({ code: 'RATE_LIMIT_EXHAUSTED', category: 'api' });
  });

  it('slows down when X-Ratelimit-Remaining runs low', () => {
    const run = new Run();
    run.start({ stream: 'alerts' });
    run.page({ resources: [alert('a1', 1)], pagination: { total: 2, limit: 1000, after: 'tok-1' } }, { 'X-Ratelimit-Remaining': '3' });
    expect(expectKind(run.ack(), 'sleep')).toEqual({ kind: 'sleep', ms: 500, reason: 'slow-down' });
    expect(jsonBody(expectKind(run.slept(), 'http').request).after).toBe('tok-1');
  });
});

describe('step: hosts (devices scroll + entities)', () => {
  const ns = (ms: number): number => ms * 1_000_000;

  /** First scroll page (h1, h2 of 3), hydrated; stops at the emit. */
  function firstScrollPage(run: Run, expiresInMs: number): void {
    // Pages of two: the scroll's pages below are full, so the scroll goes on until its end signal.
    const first = expectKind(run.start({ stream: 'hosts-scroll', options: { pageLimit: 2 } }), 'http').request;
    expect(first.method).toBe('GET');
    expect(pathOf(first)).toBe('/devices/queries/devices-scroll/v1');
    expect(query(first).get('offset')).toBeNull();
    expect(query(first).get('sort')).toBe('first_seen.asc');
    const hydrate = expectKind(
      run.page((server) => ({ resources: ['h1', 'h2'], pagination: { total: 3, offset: 'scroll-1', expires_at: ns(server + expiresInMs) } })),
      'http',
    );
    expect(hydrate.purpose).toBe('hydrate');
    expect(hydrate.request).toMatchObject({ method: 'POST', path: '/devices/entities/devices/v2' });
    expect(jsonBody(hydrate.request)).toEqual({ ids: ['h1', 'h2'] });
    expectKind(run.page({ resources: [host('h2', 2), host('h1', 1)] }), 'emit');
  }

  it('follows the scroll token, hydrates each page, and completes once a query from the watermark finds nothing left', () => {
    const run = new Run();
    firstScrollPage(run, 120_000);
    const second = expectKind(run.ack(), 'http').request;
    expect(query(second).get('offset')).toBe('scroll-1');
    // total 0 mid-scroll is not the end: a token and records are still coming.
    run.page((server) => ({ resources: ['h3', 'h4'], pagination: { total: 0, offset: 'scroll-1', expires_at: ns(server + 120_000) } }));
    run.page({ resources: [host('h3', 3), host('h4', 4)] });
    const third = expectKind(run.ack(), 'http').request;
    expect(query(third).get('offset')).toBe('scroll-1');
    expectKind(run.page({ resources: [], pagination: { total: 0, offset: '' } }), 'emit');
    // The scroll's end is the server's word; one query from the watermark is the data's.
    const check = expectKind(run.ack(), 'http').request;
    expect(query(check).get('offset')).toBeNull();
    // The scroll's pages are not proven adjacent, so the gaps between them are asked for too.
    expect(query(check).get('filter')).toContain(`first_seen:>='${ts(2)}'`);
    expect(query(check).get('filter')).toContain(watermarkFilter(run, 'first_seen', ts(4)));
    expect(run.timeline).toContain('end_unproven');
    expectKind(run.page({ resources: ['h4'], pagination: { total: 1, offset: 'scroll-2' } }), 'emit');
    const result = doneResult(run.ack());
    expect(result.verdict).toBe('complete');
    expect(result.health).toMatchObject({ totalAtStart: 3, tokenMissingMidRun: 0, watermarkRestarts: 0 });
    expect(ids(run.emitted, 'device_id')).toEqual(['h1', 'h2', 'h3', 'h4']);
  });

  it('a short scroll page that says the scroll ended (the field report\'s truncation) is checked from the watermark, not believed', () => {
    const run = new Run();
    firstScrollPage(run, 120_000);
    run.ack();
    run.page({ resources: ['h3'], pagination: { total: 0, offset: '' } });
    run.page({ resources: [host('h3', 3)] });
    const check = expectKind(run.ack(), 'http').request;
    expect(query(check).get('filter')).toContain(watermarkFilter(run, 'first_seen', ts(3)));
    // The watermark query finds a record the short page left out.
    run.page({ resources: ['h3', 'h5'], pagination: { total: 2, offset: 'scroll-2' } });
    run.page({ resources: [host('h5', 5)] });
    expect(expectKind(run.ack(), 'http').request.path).toContain('first_seen');
    expect(ids(run.emitted, 'device_id')).toEqual(['h1', 'h2', 'h3', 'h5']);
  });

  it('an early end of scroll (fewer than the snapshot total) is token_missing_mid_run, not complete', () => {
    const run = new Run();
    firstScrollPage(run, 120_000);
    run.ack();
    expectKind(run.page({ resources: [], pagination: { total: 0, offset: '' } }), 'emit');
    const restart = expectKind(run.ack(), 'http').request;
    expect(run.state?.health.tokenMissingMidRun).toBe(1);
    expect(query(restart).get('offset')).toBeNull();
    expect(query(restart).get('filter')).toBe(watermarkFilter(run, 'first_seen', ts(2)));
  });

  it('reads expires_at as nanoseconds: a token 10 s from expiry is kept after 2 s and dropped after 15 s', () => {
    const quick = new Run();
    firstScrollPage(quick, 10_000);
    expect(query(expectKind(quick.ack(2_000), 'http').request).get('offset')).toBe('scroll-1');

    const slow = new Run();
    firstScrollPage(slow, 10_000);
    const request = expectKind(slow.ack(15_000), 'http').request;
    expect(query(request).get('offset')).toBeNull();
    expect(query(request).get('filter')).toBe(watermarkFilter(slow, 'first_seen', ts(2)));
    expect(slow.state?.health.tokenExpiries).toBe(1);
  });

  it('a 20 s rate-limit wait during hydration drops a token that expires in 10 s, but still hydrates the page', () => {
    const run = new Run();
    run.start({ stream: 'hosts-scroll', options: { pageLimit: 2 } });
    const hydrate = expectKind(
      run.page((server) => ({ resources: ['h1', 'h2'], pagination: { total: 3, offset: 'scroll-1', expires_at: ns(server + 10_000) } })),
      'http',
    ).request;
    const sleep = expectKind(
      run.respond(429, { errors: [{ code: 429, message: 'API rate limit exceeded.' }] }, (server) => ({
        'X-Ratelimit-Retryafter': String(Math.floor(server / 1000) + 20),
      })),
      'sleep',
    );
    expect(sleep.ms).toBeGreaterThan(10_000);
    expect(expectKind(run.slept(), 'http').request).toEqual(hydrate);
    expectKind(run.page({ resources: [host('h1', 1), host('h2', 2)] }), 'emit');
    const next = expectKind(run.ack(), 'http').request;
    // Dropped before sending, whichever check noticed it first (the wait, or the expiry before the next page).
    expect(run.state?.health.tokenExpiries).toBe(1);
    expect(query(next).get('offset')).toBeNull();
    expect(query(next).get('filter')).toBe(watermarkFilter(run, 'first_seen', ts(2)));
    expect(ids(run.emitted, 'device_id')).toEqual(['h1', 'h2']);
  });

  it('a single 403 on the entities call is retried (the list call of the same scope worked), not reported as a missing scope', () => {
    const run = new Run();
    run.start({ stream: 'hosts-scroll' });
    const hydrate = expectKind(run.page({ resources: ['h1'], pagination: { total: 1, offset: 'scroll-1' } }), 'http').request;
    expectKind(run.respond(403, { errors: [{ code: 403, message: 'access denied, authorization failed' }] }), 'sleep');
    expect(expectKind(run.slept(), 'http').request).toEqual(hydrate);
    expectKind(run.page({ resources: [host('h1', 1)] }), 'emit');
    expect(run.state?.health.retries).toBe(1);
  });

  it('a 403 that persists on the entities call fails without naming a scope the list call proved', () => {
    const run = new Run();
    run.start({ stream: 'hosts-scroll', options: { maxRetries: 1 } });
    run.page({ resources: ['h1'], pagination: { total: 1, offset: 'scroll-1' } });
    run.respond(403, { errors: [{ code: 403, message: 'access denied, authorization failed' }] });
    run.slept();
    const result = doneResult(run.respond(403, { errors: [{ code: 403, message: 'access denied, authorization failed' }] }));
    expect(result.error?.code).toBe('UNEXPECTED_STATUS');
    expect(result.error?.message).toContain('IP allowlist');
  });

  it('a 403 on the list call names the hosts scope and path', () => {
    const run = new Run();
    run.start({ stream: 'hosts-scroll' });
    const result = doneResult(run.respond(403, { errors: [{ code: 403, message: 'access denied, authorization failed' }] }));
    expect(result.error).toMatchObject({ code: 'SCOPE_MISSING', context: { scope: 'Hosts: Read', path: '/devices/queries/devices-scroll/v1' } });
  });

  it.each([307, 308])('a %i on an API call is named as a redirect to the wrong cloud, not as an HTML page', (status) => {
    const run = new Run();
    run.start({ stream: 'hosts-scroll' });
    const result = doneResult(run.respond(status, '', { Location: 'https://api.eu-1.crowdstrike.com/devices/queries/devices-scroll/v1' }));
    expect(result.error).toMatchObject({ code: 'API_REDIRECTED', context: { status, location: 'https://api.eu-1.crowdstrike.com' } });
    expect(result.error?.message).toContain('cloud');
    expect(result.error?.message).not.toContain('HTML');
  });
});

describe('step: a server that lies (complete only when the data proves it)', () => {
  const records = (count: number): Alert[] => Array.from({ length: count }, (_, i) => alert(`x${String(i).padStart(5, '0')}`, i));

  it('an entities answer that leaves ids out is asked again, then re-listed: never complete without every record', () => {
    const data = records(30);
    const inner = alertIdsServer(data);
    let lies = 3;
    const server: Server = (request, run) => {
      if (request.method === 'POST' && lies > 0) {
        lies--;
        // resources without two of the ids it was asked for, and no error naming them.
        const ids = (jsonBody(request).composite_ids as string[]).slice(2);
        return { status: 200, body: { resources: ids.map((id) => data.find((d) => d.composite_id === id)) } };
      }
      return inner(request, run);
    };
    const run = new Run();
    run.start({ stream: 'alert-ids', options: { pageLimit: 10 } });
    const result = run.drive(server);
    expect(result.verdict).toBe('complete');
    expect(run.timeline.filter((k) => k === 'entities_missing').length).toBeGreaterThanOrEqual(2);
    expectExactlyOnce(ids(run.emitted), ids(data));
  });

  it('ids the entities answer reports as not found (deleted meanwhile) are not waited for', () => {
    const data = records(5);
    const inner = alertIdsServer(data);
    const server: Server = (request, run) => {
      if (request.method === 'POST') {
        const asked = jsonBody(request).composite_ids as string[];
        return { status: 200, body: { resources: asked.filter((id) => id !== 'x00002').map((id) => data.find((d) => d.composite_id === id)), errors: [{ code: 404, message: 'not found', id: 'x00002' }] } };
      }
      return inner(request, run);
    };
    const run = new Run();
    run.start({ stream: 'alert-ids', options: { pageLimit: 10 } });
    expect(run.drive(server).verdict).toBe('complete');
    expect(run.timeline).not.toContain('entities_missing');
    expectExactlyOnce(ids(run.emitted), ids(data.filter((d) => d.composite_id !== 'x00002')));
  });

  it('an offset total that shrinks, halves or caps mid-export does not end it: full pages go on until a short one', () => {
    for (const lie of [(n: number) => Math.max(0, n - 25), (n: number) => Math.floor(n / 2), (n: number) => Math.min(n, 20)]) {
      const data = records(60);
      const inner = alertIdsServer(data);
      let pages = 0;
      const server: Server = (request, run) => {
        const reply = inner(request, run);
        if (request.method === 'GET' && 'body' in reply && typeof reply.body === 'object' && ++pages > 1) {
          const body = reply.body as PageSpec;
          return { ...reply, body: { ...body, pagination: { ...body.pagination, total: lie(Number(body.pagination?.['total'])) } } };
        }
        return reply;
      };
      const run = new Run();
      run.start({ stream: 'alert-ids', options: { pageLimit: 10 } });
      expect(run.drive(server).verdict).toBe('complete');
      expectExactlyOnce(ids(run.emitted), ids(data));
    }
  });

  it('an after cursor that vanishes on a full page with an agreeing total is checked from the watermark', () => {
    const run = new Run();
    run.start({ stream: 'alerts', options: { pageLimit: 2 } });
    run.page({ resources: [alert('a', 1), alert('b', 2)], pagination: { limit: 2, total: 2 } });
    const check = jsonBody(expectKind(run.ack(), 'http').request);
    expect(check.filter).toBe(watermarkFilter(run, 'created_timestamp', ts(1)));
    expect(check).not.toHaveProperty('after');
    run.page({ resources: [alert('b', 2), alert('c', 3)], pagination: { limit: 2, total: 2 } });
    expect(ids(run.emitted)).toEqual(['a', 'b', 'c']);
  });

  it('an intel page without Next-Page whose total agrees is checked from the watermark before the export ends', () => {
    const marker = (n: number): string => `${1_700_000_000 + n}0000000000`;
    const indicator = (n: number) => ({ id: `i${n}`, _marker: marker(n), indicator: `x${n}.test` });
    const run = new Run();
    run.start({ stream: 'intel-indicators', options: { pageLimit: 2 } });
    run.page({ resources: [indicator(1), indicator(2)], pagination: { limit: 2, total: 2, offset: 0 } });
    const check = expectKind(run.ack(), 'http').request;
    expect(query(check).get('filter')).toContain(`_marker:>='${marker(2)}'`);
    expectKind(run.page({ resources: [indicator(2)], pagination: { limit: 2, total: 1, offset: 0 } }), 'emit');
    expect(doneResult(run.ack()).verdict).toBe('complete');
  });

  it('a scroll page lost in transit is not asked for again with the same token: the rest comes from the watermark', () => {
    const run = new Run();
    run.start({ stream: 'hosts-scroll', options: { pageLimit: 2 } });
    run.page((server) => ({ resources: ['h1', 'h2'], pagination: { total: 6, offset: 'scroll-1', expires_at: (server + 120_000) * 1_000_000 } }));
    run.page({ resources: [host('h1', 1), host('h2', 2)] });
    expect(query(expectKind(run.ack(), 'http').request).get('offset')).toBe('scroll-1');
    const next = expectKind(run.httpError('reset'), 'http').request;
    expect(query(next).get('offset')).toBeNull();
    expect(query(next).get('filter')).toBe(watermarkFilter(run, 'first_seen', ts(2)));
  });

  it('a cursor that does not advance is left for the watermark, and one that never does ends in NO_PROGRESS, resumable', () => {
    const run = new Run();
    run.start({ stream: 'alerts', options: { pageLimit: 2 } });
    run.page({ resources: [alert('a', 1), alert('b', 2)], pagination: { limit: 2, total: 9, after: 'same' } });
    const result = run.drive(() => {
      // Every answer: the records already exported, and the same token again.
      return { status: 200, body: { resources: [alert('a', 1), alert('b', 2)], pagination: { limit: 2, total: 9, after: 'same' } } };
    });
    expect(run.timeline).toContain('cursor_refused');
    expect(result.error?.code).toBe('NO_PROGRESS');
    expect(result.resume).toMatchObject({ safe: true });
    expect(ids(run.emitted)).toEqual(['a', 'b']);
  });

  // Each page of a chain must bring a new record or a smaller remainder; without this budget a cursor that
  // advances while bringing nothing kept a run asking at the rate limit forever.
  const barrenBound = (ENGINE_DEFAULTS.maxBarrenRestarts + 2) * (ENGINE_DEFAULTS.maxBarrenChainPages + 1);

  /** Two alerts, then a cursor that advances on every call, each page holding `resources`. */
  function advancingCursor(resources: Alert[]): { run: Run; result: RunResult; calls: number } {
    const run = new Run();
    run.start({ stream: 'alerts', options: { pageLimit: 2 } });
    run.page({ resources: [alert('a', 1), alert('b', 2)], pagination: { limit: 2, total: 9, after: 't0' } });
    let calls = 0;
    const result = run.drive(() => {
      calls++;
      return { status: 200, body: { resources, pagination: { limit: 2, total: 9, after: `t${calls}` } } };
    });
    return { run, result, calls };
  }

  it('an after cursor that advances on empty pages is restarted from the watermark, and ends in NO_PROGRESS, resumable, within a bounded number of calls', () => {
    const { run, result, calls } = advancingCursor([]);
    expect(run.timeline).toContain('empty_page_mid_chain');
    expect(result.error?.code).toBe('NO_PROGRESS');
    expect(result.resume).toMatchObject({ safe: true });
    expect(calls).toBeLessThanOrEqual(barrenBound);
    expect(ids(run.emitted)).toEqual(['a', 'b']);
  });

  it('an after cursor that advances while repeating exported records exports them once and ends in NO_PROGRESS', () => {
    const { run, result, calls } = advancingCursor([alert('a', 1), alert('b', 2)]);
    expect(run.timeline).toContain('cursor_barren');
    expect(result.error?.code).toBe('NO_PROGRESS');
    expect(calls).toBeLessThanOrEqual(barrenBound);
    expect(ids(run.emitted)).toEqual(['a', 'b']);
  });

  it('a scroll whose token advances while it lists the same ids hydrates them once and ends in NO_PROGRESS', () => {
    const run = new Run();
    run.start({ stream: 'hosts-scroll', options: { pageLimit: 2 } });
    let calls = 0;
    const result = run.drive((request) => {
      calls++;
      if (request.method === 'POST' || request.path.includes('/entities/')) return { status: 200, body: { resources: [host('h1', 1), host('h2', 2)] } };
      return { status: 200, body: { resources: ['h1', 'h2'], pagination: { total: 9, offset: `scroll-${calls}`, expires_at: (T0 + 3_600_000) * 1_000_000 } } };
    });
    expect(run.timeline).toContain('cursor_barren');
    expect(result.error?.code).toBe('NO_PROGRESS');
    expect(result.resume).toMatchObject({ safe: true });
    expect(ids(run.emitted, 'device_id')).toEqual(['h1', 'h2']);
  });

  it('an empty after page whose cursor goes on is not followed: the chain restarts from the watermark, and every record comes once', () => {
    const data = [alert('a', 1), alert('b', 2), alert('c', 3), alert('d', 4)];
    const run = new Run();
    run.start({ stream: 'alerts', options: { pageLimit: 2 } });
    run.page({ resources: data.slice(0, 2), pagination: { limit: 2, total: 4, after: 't1' } });
    run.ack();
    // The cursor skips whatever this page should have held: following 't2' could never bring it.
    run.page({ resources: [], pagination: { limit: 2, total: 4, after: 't2' } });
    const restart = jsonBody(expectKind(run.ack(), 'http').request);
    expect(restart).not.toHaveProperty('after');
    expect(run.timeline).toContain('empty_page_mid_chain');
    const result = run.drive(alertsServer(data));
    expect(result.verdict).toBe('complete');
    expectExactlyOnce(ids(run.emitted), ['a', 'b', 'c', 'd']);
  });

  it('a record held back for a page that comes back empty, its cursor going on, is read again from the watermark', () => {
    const data = [alert('a', 1), alert('b', 2), alert('c', 3), alert('d', 4), alert('e', 5), alert('f', 6), alert('g', 7)];
    const run = new Run();
    run.start({ stream: 'alerts', options: { pageLimit: 3 } });
    run.page({ resources: data.slice(0, 3), pagination: { limit: 3, total: 7, after: 't1' } });
    run.ack();
    // 'e' is held back from this page, to be served first on the next one...
    run.page({ resources: [alert('d', 4), alert('f', 6)], pagination: { limit: 3, total: 7, after: 't2' } });
    run.ack();
    // ...which comes back empty while the cursor goes on past it; the next page would start with 'e' and
    // seem to vouch for the span of the records lost with the empty page.
    run.page({ resources: [], pagination: { limit: 3, total: 7, after: 't3' } });
    const result = run.drive(alertsServer(data));
    expect(run.timeline).toContain('empty_page_mid_chain');
    expect(result.verdict).toBe('complete');
    expectExactlyOnce(ids(run.emitted), ['a', 'b', 'c', 'd', 'e', 'f', 'g']);
  });

  it('a record behind the previous page that it cannot vouch for makes the export unprovable, never complete', () => {
    const run = new Run();
    run.start({ stream: 'alerts', options: { pageLimit: 2 } });
    run.page({ resources: [alert('c', 3), alert('d', 4)], pagination: { limit: 2, total: 9, after: 't1' } });
    // 'a' sorts before the first page: no page in memory can say whether it was exported.
    run.ack();
    run.page({ resources: [alert('a', 1), alert('e', 5)], pagination: { limit: 2, total: 9, after: 't2' } });
    expect(run.timeline).toContain('out_of_order');
    const result = run.drive(() => ({ status: 200, body: { resources: [], pagination: { limit: 2, total: 0 } } }));
    expect(result.error?.code).toBe('ORDER_VIOLATED');
    expect(result.verdict).not.toBe('complete');
  });

  it('a record served behind its order on the next page of the cursor is kept, once', () => {
    const run = new Run();
    run.start({ stream: 'alerts', options: { pageLimit: 3 } });
    // 'b' is held back from the first page and comes first on the second.
    run.page({ resources: [alert('a', 1), alert('c', 3), alert('d', 4)], pagination: { limit: 3, total: 6, after: 't1' } });
    run.ack();
    run.page({ resources: [alert('b', 2), alert('e', 5), alert('f', 6)], pagination: { limit: 3, total: 6, after: 't2' } });
    expect(run.timeline).toContain('out_of_order');
    expect(ids(run.emitted)).toEqual(['a', 'c', 'd', 'b', 'e', 'f']);
  });

  it('vouches only for the last 256 records of the previous page (the checkpoint carries their ids)', () => {
    const page = Array.from({ length: 400 }, (_, i) => alert(`r${String(i).padStart(3, '0')}`, i + 1));
    const heldBack = (index: number): Run => {
      const run = new Run();
      run.start({ stream: 'alerts', options: { pageLimit: 400 } });
      run.page({ resources: page.filter((_, i) => i !== index), pagination: { limit: 400, total: 401, after: 't1' } });
      run.ack();
      run.page({ resources: [page[index], alert('z', 1000)], pagination: { limit: 400, total: 401 } });
      return run;
    };
    // Held back from within the last 256 records of its page: told apart and kept.
    const near = heldBack(390);
    expect(ids(near.emitted)).toContain('r390');
    expect(near.timeline).toContain('out_of_order');
    // Held back from further up: no remembered id vouches for it, so the export cannot end complete.
    const far = heldBack(10);
    expect(ids(far.emitted)).not.toContain('r010');
    const result = far.drive(() => ({ status: 200, body: { resources: [], pagination: { limit: 400, total: 0 } } }));
    expect(result.error?.code).toBe('ORDER_VIOLATED');
    expect(result.verdict).not.toBe('complete');
  });

  it('bounds the export at its start on the server: records created later belong to the next export', () => {
    const run = new Run();
    run.start({ stream: 'alerts', options: { pageLimit: 2 } });
    const later = new Date(T0 + 3_600_000).toISOString();
    run.page({ resources: [alert('a', 1), { composite_id: 'new', created_timestamp: later }], pagination: { limit: 2, total: 2, after: 'more' } });
    expect(run.timeline).toContain('export_bounded');
    expect(ids(run.emitted)).toEqual(['a']);
    // The page reached past the bound, so nothing is left to export, however many records the cursor still offers.
    expect(doneResult(run.ack()).verdict).toBe('complete');
  });
});

describe('step: alert-ids (offset + entities)', () => {
  it('a 413 HTML page on the entities call halves the batch and still hydrates every id once', () => {
    const data = records(1500);
    const inner = alertIdsServer(data);
    const batches: number[] = [];
    const server: Server = (request, run) => {
      if (request.method === 'POST') {
        const size = (jsonBody(request).composite_ids as string[]).length;
        batches.push(size);
        if (size > 400) return { status: 413, body: '<html><head><title>413 Request Entity Too Large</title></head><body><center>nginx</center></body></html>' };
      }
      return inner(request, run);
    };
    const run = new Run();
    run.start({ stream: 'alert-ids', options: { pageLimit: 1500 } });
    const result = run.drive(server);
    expect(result.verdict).toBe('complete');
    expect(run.timeline).toContain('hydrate_split');
    expect(batches.slice(0, 3)).toEqual([1000, 500, 250]);
    expectExactlyOnce(ids(run.emitted), ids(data));
  });

  const records = (count: number): Alert[] => Array.from({ length: count }, (_, i) => alert(`x${String(i).padStart(5, '0')}`, i));

  it('computes the next offset locally, ignores the offset the response echoes, and overlaps one record', () => {
    const run = new Run();
    const first = expectKind(run.start({ stream: 'alert-ids', options: { pageLimit: 2 } }), 'http').request;
    expect(pathOf(first)).toBe('/alerts/queries/alerts/v2');
    expect(Object.fromEntries(query(first))).toEqual({ limit: '2', offset: '0', sort: 'created_timestamp|asc' });
    const hydrate = expectKind(run.page({ resources: ['x1', 'x2'], pagination: { offset: 999, limit: 2, total: 5 } }), 'http').request;
    expect(hydrate).toMatchObject({ method: 'POST', path: '/alerts/entities/alerts/v2' });
    expect(jsonBody(hydrate)).toEqual({ composite_ids: ['x1', 'x2'] });
    run.page({ resources: [alert('x1', 1), alert('x2', 2)] });
    const second = expectKind(run.ack(), 'http').request;
    // Offset 2 is asked for as offset 1 with one more record: x2 again proves nothing shifted in between.
    expect(query(second).get('offset')).toBe('1');
    expect(query(second).get('limit')).toBe('3');
    const hydrate2 = expectKind(run.page({ resources: ['x2', 'x3', 'x4'], pagination: { offset: 1, limit: 3, total: 5 } }), 'http').request;
    expect(jsonBody(hydrate2)).toEqual({ composite_ids: ['x3', 'x4'] });
  });

  it('re-windows from the watermark when the overlap record is not where it was (a delete shifted the offsets)', () => {
    const run = new Run();
    run.start({ stream: 'alert-ids', options: { pageLimit: 2 } });
    run.page({ resources: ['x1', 'x2'], pagination: { offset: 0, limit: 2, total: 5 } });
    run.page({ resources: [alert('x1', 1), alert('x2', 2)] });
    run.ack();
    const rewindow = expectKind(run.page({ resources: ['x3', 'x4', 'x5'], pagination: { offset: 1, limit: 3, total: 4 } }), 'http').request;
    expect(run.timeline).toContain('window_shifted');
    expect(query(rewindow).get('offset')).toBe('0');
    expect(query(rewindow).get('filter')).toBe(watermarkFilter(run, 'created_timestamp', ts(2)));
    expect(run.emitted).toHaveLength(2);
  });

  it('never asks for offset + limit above the 10,000 cap: re-windows from the watermark instead', () => {
    const data = records(15_000);
    const run = new Run();
    run.start({ stream: 'alert-ids', options: { pageLimit: 4_000 } });
    const result = run.drive(alertIdsServer(data));
    expect(result.verdict).toBe('complete');
    const pages = run.http.filter((c) => c.purpose === 'page').map((c) => query(c.request));
    for (const q of pages) expect(Number(q.get('offset')) + Number(q.get('limit'))).toBeLessThanOrEqual(10_000);
    // The second page of a window asks from 3999 (one record of overlap) for 4001.
    expect(pages.some((q) => q.get('offset') === '3999' && q.get('limit') === '4001')).toBe(true);
    // Half a page or more of room left under the cap: the window reads up to the cap with a clamped limit.
    expect(pages.some((q) => q.get('offset') === '7999' && q.get('limit') === '2001')).toBe(true);
    expect(run.timeline).toContain('depth_cap_rewindow');
    expectExactlyOnce(ids(run.emitted), ids(data));
  });

  it('a 400 with a depth-cap message teaches a smaller cap: the next window asks for no more than it allows', () => {
    const run = new Run();
    const first = expectKind(run.start({ stream: 'alert-ids' }), 'http').request;
    expect(Object.fromEntries(query(first))).toMatchObject({ limit: '10000', offset: '0' });
    const next = expectKind(run.respond(400, { errors: [{ code: 400, message: 'limit + offset must be less than 5000' }] }), 'http').request;
    expect(Object.fromEntries(query(next))).toMatchObject({ limit: '4000', offset: '0' });
    expect(run.state && run.state.phase !== 'refused' ? run.state.cp.learnedDepthCap : null).toBe(4999);
    expect(run.timeline).toContain('depth_cap_hit');
  });

  it('sizes each new window so that its new ids fill whole entities batches', () => {
    const data = records(21_000);
    const run = new Run();
    run.start({ stream: 'alert-ids' });
    const result = run.drive(alertIdsServer(data));
    expect(result.verdict).toBe('complete');
    const pages = run.http.filter((c) => c.purpose === 'page').map((c) => query(c.request));
    const batches = run.http.filter((c) => c.purpose === 'hydrate').map((c) => (jsonBody(c.request).composite_ids as string[]).length);
    // Later windows re-read the one id exported at their watermark, so they ask for 9,001 rather than 10,000.
    expect(pages.map((q) => q.get('limit'))).toEqual(['10000', '9001', '9001']);
    expect(batches).toHaveLength(21);
    expect(batches.every((size) => size === 1000)).toBe(true);
    expect(run.http).toHaveLength(optimalCalls(STREAMS['alert-ids'], data.length));
    expectExactlyOnce(ids(run.emitted), ids(data));
  });

  it('one 500 at offset > 0 is retried; the same 500 again is a depth-cap hit and a new window at offset 0', () => {
    const data = records(7);
    let failures = 0;
    const server = alertIdsServer(data, { fail: (offset) => offset > 0 && failures++ < 2 });
    const run = new Run();
    run.start({ stream: 'alert-ids', options: { pageLimit: 2 } });
    // Page 1 (offset 0), its entities, then page 2 at offset 2 answers 500 twice (with a backoff between).
    for (let i = 0; i < 6; i++) {
      const command = run.last;
      if (command.kind === 'emit') run.ack();
      else if (command.kind === 'sleep') run.slept();
      else {
        const reply = server(expectKind(command, 'http').request, run);
        if ('error' in reply) throw new Error('unexpected');
        run.respond(reply.status, reply.body);
      }
    }
    expect(failures).toBe(2);
    expect(run.timeline).toContain('retry');
    const rewindow = expectKind(run.last, 'http').request;
    expect(query(rewindow).get('offset')).toBe('0');
    expect(query(rewindow).get('filter')).toBe(watermarkFilter(run, 'created_timestamp', ts(1)));
    expect(run.timeline).toContain('depth_cap_hit');
    expect(run.state?.health.depthCapRewindows).toBeGreaterThanOrEqual(1);
    const result = run.drive(server);
    expect(result.verdict).toBe('complete');
    expectExactlyOnce(ids(run.emitted), ids(data));
  });

  // Regression: a learned cap below the number of ties on one timestamp used to re-window forever.
  it('ends when more records share one timestamp than a learned depth cap allows', () => {
    const data = [alert('x0', 0), alert('x1', 1), alert('x2', 1), alert('x3', 1), alert('x4', 2)];
    let failures = 0;
    const run = new Run();
    run.start({ stream: 'alert-ids', options: { pageLimit: 2 } });
    const result = run.drive(alertIdsServer(data, { fail: (offset) => offset > 0 && failures++ === 0 }), 300);
    expect(result.verdict === 'complete' || result.verdict === 'failed:NO_PROGRESS').toBe(true);
  });
});

describe('step: authentication and failures', () => {
  const page1: PageSpec = { resources: [alert('a1', 1)], pagination: { total: 1, limit: 1000 } };

  it('401 → authenticate, then the same request again; a second 401 → AUTH_FAILED', () => {
    const run = new Run();
    const first = expectKind(run.start({ stream: 'alerts' }), 'http').request;
    expectKind(run.respond(401, { errors: [{ code: 401, message: 'access denied, invalid bearer token' }] }), 'authenticate');
    expect(expectKind(run.authenticated(true), 'http').request).toEqual(first);
    const result = doneResult(run.respond(401, { errors: [{ code: 401, message: 'access denied, invalid bearer token' }] }));
    expect(result.error).toMatchObject({ code: 'AUTH_FAILED', category: 'api' });
    expect(result.health.authRefreshes).toBe(1);
  });

  it('401 → authenticate → the host fails to get a token → AUTH_FAILED with its message', () => {
    const run = new Run();
    run.start({ stream: 'alerts' });
    run.respond(401, { errors: [{ code: 401, message: 'access denied, invalid bearer token' }] });
    const result = doneResult(run.authenticated(false, 'Failed to issue access token'));
    expect(result.error?.code).toBe('AUTH_FAILED');
    expect(result.error?.message).toContain('Failed to issue access token');
  });

  it('a retryable failure to get a token → backoff, then the request (and so the token) again, within maxRetries', () => {
    const run = new Run();
    const first = expectKind(run.start({ stream: 'alerts', options: { maxRetries: 1 } }), 'http').request;
    run.respond(401, { errors: [{ code: 401, message: 'access denied, invalid bearer token' }] });
    expect(expectKind(run.authenticated(false, 'token endpoint reset', true), 'sleep').reason).toBe('backoff');
    expect(expectKind(run.slept(), 'http').request).toEqual(first);
    expectKind(run.respond(401, { errors: [{ code: 401, message: 'access denied, invalid bearer token' }] }), 'authenticate');
    const result = doneResult(run.authenticated(false, 'token endpoint reset', true));
    expect(result.error?.code).toBe('AUTH_FAILED');
    expect(result.error?.message).toContain('token endpoint reset');
  });

  it('a 401 after a connection reset and its backoff refreshes again: the refreshed token was never tried and may have expired', () => {
    const run = new Run();
    const first = expectKind(run.start({ stream: 'alerts' }), 'http').request;
    run.respond(401, { errors: [{ code: 401, message: 'access denied, invalid bearer token' }] });
    expectKind(run.authenticated(true), 'http');
    expect(expectKind(run.httpError('reset'), 'sleep').reason).toBe('backoff');
    expect(expectKind(run.slept(), 'http').request).toEqual(first);
    expectKind(run.respond(401, { errors: [{ code: 401, message: 'access denied, invalid bearer token' }] }), 'authenticate');
    expect(run.state?.health.authRefreshes).toBe(2);
  });

  it('a 401 after the refreshed token already worked (here: a 429 in between) refreshes again', () => {
    const run = new Run();
    run.start({ stream: 'alerts' });
    run.respond(401, { errors: [{ code: 401, message: 'access denied, invalid bearer token' }] });
    run.authenticated(true);
    expectKind(run.respond(429, { errors: [{ code: 429, message: 'API rate limit exceeded.' }] }, { 'X-Ratelimit-Retryafter': '2' }), 'sleep');
    run.slept();
    expectKind(run.respond(401, { errors: [{ code: 401, message: 'access denied, invalid bearer token' }] }), 'authenticate');
    expect(run.state?.health.authRefreshes).toBe(2);
  });

  it('401 then success exports normally', () => {
    const run = new Run();
    run.start({ stream: 'alerts' });
    run.respond(401, { errors: [{ code: 401, message: 'access denied, invalid bearer token' }] });
    run.authenticated(true);
    run.page(page1);
    expect(run.proveEnd(page1.resources ?? []).verdict).toBe('complete');
  });

  it("403 → failed SCOPE_MISSING naming the stream's scope", () => {
    const run = new Run();
    run.start({ stream: 'alerts' });
    const result = doneResult(run.respond(403, { errors: [{ code: 403, message: 'access denied, authorization failed' }] }));
    expect(result.verdict).toBe('failed:SCOPE_MISSING');
    expect(result.error?.message).toContain('"Alerts: Read"');
    expect(result.error?.context).toMatchObject({ status: 403, scope: 'Alerts: Read', path: '/alerts/combined/alerts/v1' });
  });

  it('200 with errors [{code: 500}] → backoff and the same request, then success', () => {
    const run = new Run();
    const first = expectKind(run.start({ stream: 'alerts' }), 'http').request;
    const sleep = expectKind(run.page({ resources: [], errors: [{ code: 500, message: 'failed to get id=a1' }], pagination: { total: 1 } }), 'sleep');
    expect(sleep.reason).toBe('backoff');
    expect(expectKind(run.slept(), 'http').request).toEqual(first);
    run.page(page1);
    const result = run.proveEnd(page1.resources ?? []);
    expect(result.verdict).toBe('complete');
    expect(result.health).toMatchObject({ errorsIn200: 1, retries: 1, apiCalls: 3, items: 1 });
    expect(run.timeline).toContain('errors_in_200');
  });

  it('200 with a non-retryable error inside → failed ERRORS_IN_200, never an empty success', () => {
    const run = new Run();
    run.start({ stream: 'alerts' });
    const result = doneResult(run.page({ resources: [], errors: [{ code: 400, message: 'invalid sort' }] }));
    expect(result.error).toMatchObject({ code: 'ERRORS_IN_200', context: { status: 200, code: 400 } });
  });

  it('an HTML 502 → backoff and the same request', () => {
    const run = new Run();
    const first = expectKind(run.start({ stream: 'alerts' }), 'http').request;
    expect(expectKind(run.respond(502, HTML_502, { 'Content-Type': 'text/html' }), 'sleep').reason).toBe('backoff');
    expect(run.timeline).toContain('non_json_body');
    expect(expectKind(run.slept(), 'http').request).toEqual(first);
  });

  it('a non-JSON 200 after maxRetries → failed NON_JSON_BODY', () => {
    const run = new Run();
    run.start({ stream: 'alerts', options: { maxRetries: 1 } });
    expectKind(run.respond(200, HTML_502), 'sleep');
    run.slept();
    const result = doneResult(run.respond(200, HTML_502));
    expect(result.error).toMatchObject({ code: 'NON_JSON_BODY', category: 'api', context: { status: 200, attempts: 2 } });
    expect(result.health.items).toBe(0);
  });

  it('an envelope without meta → failed SCHEMA_MISMATCH', () => {
    const run = new Run();
    run.start({ stream: 'alerts' });
    const result = doneResult(run.respond(200, JSON.stringify({ resources: [alert('a1', 1)] })));
    expect(result.error?.code).toBe('SCHEMA_MISMATCH');
  });

  it('a record without its watermark field → failed SCHEMA_MISMATCH', () => {
    const run = new Run();
    run.start({ stream: 'alerts' });
    const result = doneResult(run.page({ resources: [{ composite_id: 'a1' }], pagination: { total: 1 } }));
    expect(result.error?.code).toBe('SCHEMA_MISMATCH');
    expect(result.error?.message).toContain('created_timestamp');
  });

  it('consecutive resets with maxRetries 2 → failed RETRIES_EXHAUSTED on the third', () => {
    const run = new Run();
    const first = expectKind(run.start({ stream: 'alerts', options: { maxRetries: 2 } }), 'http').request;
    for (let attempt = 1; attempt <= 2; attempt++) {
      expectKind(run.httpError('reset'), 'sleep');
      expect(expectKind(run.slept(), 'http').request).toEqual(first);
    }
    const result = doneResult(run.httpError('reset'));
    expect(result.error).toMatchObject({ code: 'RETRIES_EXHAUSTED', context: { attempts: 3 }, cause: { code: 'reset' } });
    expect(result.health).toMatchObject({ apiCalls: 3, retries: 2 });
  });

  it('backoff grows with the attempt and stays within the full-jitter ceiling', () => {
    const run = new Run();
    run.start({ stream: 'alerts', options: { maxRetries: 5 } });
    const delays: number[] = [];
    for (let attempt = 1; attempt <= 5; attempt++) {
      delays.push(expectKind(run.httpError('timeout'), 'sleep').ms);
      run.slept();
    }
    delays.forEach((ms, i) => {
      expect(ms).toBeGreaterThanOrEqual(1);
      expect(ms).toBeLessThanOrEqual(Math.min(20_000, 500 * 2 ** (i + 1)));
    });
  });

  it('an event that does not answer the last command → failed PROTOCOL', () => {
    expect(doneResult(step(null, { kind: 'slept', nowMs: T0 }).command).error?.code).toBe('PROTOCOL');
    const run = new Run();
    run.start({ stream: 'alerts' });
    expect(doneResult(run.event({ kind: 'emitted', nowMs: T0 })).error).toMatchObject({ code: 'PROTOCOL', category: 'internal' });
  });
});

describe('step: budgets', () => {
  it('a byte budget below one record fails with RECORD_TOO_LARGE naming the fix, instead of stopping empty-handed in every run', () => {
    const run = new Run();
    // The estimate for an alert (900 bytes) says none fits 300: the engine still asks for one, and measures it.
    const first = expectKind(run.start({ stream: 'alerts', budget: { maxResponseBytes: 300 } }), 'http').request;
    expect(jsonBody(first).limit).toBe(1);
    const result = doneResult(run.page({ resources: [alert('a', 1, { payload: 'x'.repeat(400) })], pagination: { limit: 1, total: 5, after: 'next' } }));
    expect(result.error).toMatchObject({ code: 'RECORD_TOO_LARGE', context: { budget: 300 } });
    expect(result.error?.message).toContain('fields');
  });

  it('maxPages 1 → has_more after one page, and the checkpoint continues where it stopped', () => {
    const run = new Run();
    run.start({ stream: 'alerts', budget: { maxPages: 1 } });
    run.page({ resources: [alert('a1', 1)], pagination: { total: 2, limit: 1000, after: 'tok-1' } });
    const result = doneResult(run.ack());
    expect(result).toMatchObject({ verdict: 'has_more', hasMore: 'true' });
    expect(run.timeline).toContain('stopped_max_pages');
    expect(run.http).toHaveLength(1);

    const next = new Run({ at: run.local + 1_000 });
    expect(jsonBody(expectKind(next.start({ stream: 'alerts', checkpoint: result.checkpoint }), 'http').request).after).toBe('tok-1');
    next.page({ resources: [alert('a2', 2)], pagination: { total: 2, limit: 1000 } });
    expect(next.proveEnd([alert('a2', 2)]).verdict).toBe('complete');
    expectExactlyOnce([...ids(run.emitted), ...ids(next.emitted)], ['a1', 'a2']);
  });

  it('maxResponseBytes: emitted bytes never exceed the budget, and a later run exports the rest without loss or duplicates', () => {
    // Pairs of records share a timestamp, so the truncated page ends inside a tie. Records larger than the
    // catalog's typical alert make the first page, sized by that estimate, overflow the budget.
    const data = Array.from({ length: 12 }, (_, i) => alert(`b${String(i).padStart(2, '0')}`, Math.floor(i / 2), { payload: 'x'.repeat(2500) }));
    const budget = 4_000;
    const run = new Run();
    run.start({ stream: 'alerts', budget: { maxResponseBytes: budget } });
    const first = run.drive(alertsServer(data));
    expect(first.verdict).toBe('has_more');
    const lineBytes = (items: unknown[]): number => items.reduce<number>((sum, item) => sum + Buffer.byteLength(JSON.stringify(item)) + 1, 0);
    const emits = run.commands.filter((c): c is Cmd<'emit'> => c.kind === 'emit');
    for (const emit of emits) expect(emit.bytes).toBe(lineBytes(emit.items));
    expect(lineBytes(run.emitted)).toBeLessThanOrEqual(budget);
    expect(run.emitted.length).toBeGreaterThan(0);
    expect(run.timeline).toContain('page_truncated_to_budget');

    const rest = new Run({ at: run.local + 1_000 });
    rest.start({ stream: 'alerts', checkpoint: first.checkpoint });
    expect(rest.drive(alertsServer(data)).verdict).toBe('complete');
    expectExactlyOnce([...ids(run.emitted), ...ids(rest.emitted)], ids(data));
  });

  // Regression: a record larger than the rest of the byte budget used to re-request the same page forever.
  it('stops instead of looping when the next record is larger than the remaining byte budget', () => {
    const data = [alert('small', 1, { payload: 'x'.repeat(900) }), alert('large', 2, { payload: 'y'.repeat(2500) })];
    const run = new Run();
    run.start({ stream: 'alerts', budget: { maxResponseBytes: 3_000 } });
    const result = run.drive(alertsServer(data), 50);
    expect(result.verdict).toBe('has_more');
    const rest = new Run({ at: run.local + 1_000 });
    rest.start({ stream: 'alerts', checkpoint: result.checkpoint });
    expect(rest.drive(alertsServer(data)).verdict).toBe('complete');
    expectExactlyOnce([...ids(run.emitted), ...ids(rest.emitted)], ['small', 'large']);
  });

  it('deadline: every request is bounded by it, the run ends has_more, and resumed runs finish without loss or duplicates', () => {
    const data = Array.from({ length: 30 }, (_, i) => alert(`d${String(i).padStart(2, '0')}`, Math.floor(i / 3)));
    const server: Server = (request, run) => ({ ...(alertsServer(data)(request, run) as Extract<Reply, { status: number }>), latencyMs: 2_000 });
    const deadlineMs = 9_000;
    const runs: Run[] = [];
    let checkpoint: string | null = null;
    let result: RunResult | null = null;
    for (let i = 0; i < 10 && result?.verdict !== 'complete'; i++) {
      const run = new Run({ at: T0 + i * 60_000 });
      run.start({ stream: 'alerts', options: { pageLimit: 5 }, budget: { deadlineMs }, ...(checkpoint ? { checkpoint } : {}) });
      result = run.drive(server);
      runs.push(run);
      checkpoint = result.checkpoint;
      const startedAt = T0 + i * 60_000;
      run.commands.forEach((command, index) => {
        if (command.kind !== 'http') return;
        const issuedAt = run.issuedAtLocal.get(index) as number;
        expect(issuedAt + command.timeoutMs).toBeLessThanOrEqual(startedAt + deadlineMs);
      });
    }
    expect(runs[0]?.timeline).toContain('stopped_deadline');
    expect(doneResult(runs[0]?.last as EngineCommand).hasMore).toBe('true');
    expect(runs.length).toBeGreaterThan(1);
    expect(result?.verdict).toBe('complete');
    expectExactlyOnce(
      runs.flatMap((r) => ids(r.emitted)),
      ids(data),
    );
  });
});

describe('step: resuming a live chain from a checkpoint', () => {
  // Regression: at bba69f6 the checkpoint schema had no chain `filter`, so decodeCheckpoint stripped it and a
  // resumed offset window was sent as `?limit=2&offset=2&sort=...`, without the user's filter or the watermark.
  it("keeps the chain's filter in the first request of a resumed run", () => {
    const run = new Run();
    run.start({ stream: 'alert-ids', filter: "status:'new'", options: { pageLimit: 2 }, budget: { maxPages: 1 } });
    run.page({ resources: ['x1', 'x2'], pagination: { offset: 0, limit: 2, total: 5 } });
    run.page({ resources: [alert('x1', 1, { status: 'new' }), alert('x2', 2, { status: 'new' })] });
    const checkpoint = doneResult(run.ack()).checkpoint;
    const resumed = new Run({ at: run.local + 1_000 });
    const request = expectKind(resumed.start({ stream: 'alert-ids', filter: "status:'new'", checkpoint, options: { pageLimit: 2 } }), 'http').request;
    expect(query(request).get('offset')).toBe('1');
    expect(query(request).get('limit')).toBe('3');
    expect(query(request).get('filter')).toBe("status:'new'");
  });

  // What that bug did to a served export: the unfiltered window exported records the user's filter excludes.
  it("a resumed offset export only emits records that match the user's filter", () => {
    const data = Array.from({ length: 8 }, (_, i) => alert(`s${i}`, i, { status: i % 2 === 0 ? 'new' : 'closed' }));
    const server = alertIdsServer(data);
    const input = { stream: 'alert-ids', filter: "status:'new'", options: { pageLimit: 2 } };
    const first = new Run();
    first.start({ ...input, budget: { maxPages: 1 } });
    const checkpoint = first.drive(server).checkpoint;
    const second = new Run({ at: first.local + 1_000 });
    second.start({ ...input, checkpoint });
    second.drive(server);
    const exported = [...first.emitted, ...second.emitted];
    expect(exported.every((item) => item.status === 'new')).toBe(true);
    expectExactlyOnce(ids(exported), ['s0', 's2', 's4', 's6']);
  });

  it('a resumed unfiltered after chain continues with its token and finishes', () => {
    const data = Array.from({ length: 7 }, (_, i) => alert(`r${i}`, i));
    const first = new Run();
    first.start({ stream: 'alerts', options: { pageLimit: 3 }, budget: { maxPages: 1 } });
    const checkpoint = first.drive(alertsServer(data)).checkpoint;
    const second = new Run({ at: first.local + 1_000 });
    expect(jsonBody(expectKind(second.start({ stream: 'alerts', options: { pageLimit: 3 }, checkpoint }), 'http').request).after).toBeDefined();
    expect(second.drive(alertsServer(data)).verdict).toBe('complete');
    expectExactlyOnce([...ids(first.emitted), ...ids(second.emitted)], ids(data));
  });

  it('a complete checkpoint resumes as an incremental export above the high-water mark', () => {
    const data = [alert('i1', 1), alert('i2', 2), alert('i3', 2)];
    const first = new Run();
    first.start({ stream: 'alerts' });
    const checkpoint = first.drive(alertsServer(data)).checkpoint;
    const newer = [...data, alert('i4', 2), alert('i5', 3)];
    const second = new Run({ at: first.local + 60_000 });
    const request = jsonBody(expectKind(second.start({ stream: 'alerts', checkpoint }), 'http').request);
    expect(request.filter).toBe(`created_timestamp:>='${ts(2)}'`);
    expect(second.drive(alertsServer(newer)).verdict).toBe('complete');
    expect(ids(second.emitted).sort()).toEqual(['i4', 'i5']);
  });
});

describe('step: incremental resume under a small byte budget', () => {
  // More ids share the high-water mark than one budgeted run can hold: the re-read ids cost no bytes, so
  // each run still gets past them instead of failing NO_PROGRESS or returning has_more forever.
  it('alert-ids: 30 ids on the high-water mark, runs of ~2 records, new records exported once', () => {
    const tied = Array.from({ length: 30 }, (_, i) => alert(`t${String(i).padStart(2, '0')}`, 5, { payload: 'x'.repeat(300) }));
    const first = new Run();
    first.start({ stream: 'alert-ids' });
    const done = first.drive(alertIdsServer(tied));
    expect(done.verdict).toBe('complete');
    const newer = [...tied, alert('n1', 5, { payload: 'y'.repeat(300) }), alert('n2', 6, { payload: 'z'.repeat(300) })];
    let checkpoint = done.checkpoint;
    const emitted: string[] = [];
    let verdict = '';
    let runs = 0;
    for (; runs < 20 && verdict !== 'complete'; runs++) {
      const run = new Run({ at: first.local + 60_000 * (runs + 1) });
      run.start({ stream: 'alert-ids', checkpoint, budget: { maxResponseBytes: 900 } });
      const result = run.drive(alertIdsServer(newer));
      expect(result.error).toBeNull();
      emitted.push(...ids(run.emitted));
      checkpoint = result.checkpoint;
      verdict = result.verdict;
    }
    expect(verdict).toBe('complete');
    expect(runs).toBeLessThanOrEqual(3);
    expectExactlyOnce(emitted, ['n1', 'n2']);
  });
});

describe('step: determinism and purity', () => {
  /** Falcon with faults by call number: an HTML 502, a 429 without Retryafter, a reset. */
  function flakyAlerts(records: readonly Alert[]): Server {
    const inner = alertsServer(records);
    let calls = 0;
    return (request, run) => {
      calls++;
      if (calls === 2) return { status: 502, body: HTML_502 };
      if (calls === 4) return { status: 429, body: { errors: [{ code: 429, message: 'API rate limit exceeded.' }] } };
      if (calls === 6) return { error: 'reset' };
      return inner(request, run);
    };
  }

  function scripted(seed?: number): Run {
    const data = Array.from({ length: 10 }, (_, i) => alert(`z${i}`, Math.floor(i / 2)));
    const run = new Run();
    run.start({ stream: 'alerts', options: { pageLimit: 3, ...(seed === undefined ? {} : { seed }) } });
    expect(run.drive(flakyAlerts(data)).verdict).toBe('complete');
    return run;
  }

  it('the same event script gives deep-equal commands', () => {
    const a = scripted();
    const b = scripted();
    expect(a.commands.filter((c) => c.kind === 'sleep').length).toBeGreaterThanOrEqual(3);
    expect(b.commands).toEqual(a.commands);
  });

  it('the jitter comes from the seed in the input', () => {
    const sleeps = (run: Run): number[] => run.commands.flatMap((c) => (c.kind === 'sleep' ? [c.ms] : []));
    expect(sleeps(scripted(1))).toEqual(sleeps(scripted(1)));
    expect(sleeps(scripted(1))).not.toEqual(sleeps(scripted(2)));
  });

  it('step never mutates the state it is given (deep-frozen, and compared with a copy)', () => {
    const data = [alert('m1', 1), alert('m2', 1), alert('m3', 2)];
    const inner = alertIdsServer(data);
    let calls = 0;
    const server: Server = (request, run) => {
      calls++;
      if (calls === 1) return { status: 401, body: { errors: [{ code: 401, message: 'access denied, invalid bearer token' }] } };
      if (calls === 3) return { status: 429, body: {}, headers: { 'X-Ratelimit-Retryafter': '2' } };
      if (calls === 5) return { error: 'timeout' };
      return inner(request, run);
    };
    const run = new Run();
    run.start({ stream: 'alert-ids', options: { pageLimit: 2 } });
    let checked = 0;
    for (let i = 0; i < 100 && run.last.kind !== 'done'; i++) {
      const state = run.state as EngineState;
      if (state.phase === 'refused') throw new Error('the run was refused');
      const copy = structuredClone(state);
      const command = run.last;
      if (command.kind === 'sleep') run.slept();
      else if (command.kind === 'emit') run.ack();
      else if (command.kind === 'authenticate') run.authenticated(true);
      else if (command.kind === 'http') {
        const reply = server(command.request, run);
        if ('error' in reply) run.httpError(reply.error);
        else run.respond(reply.status, reply.body, reply.headers ?? {});
      }
      expect(Object.isFrozen(state.cp.ranges)).toBe(true);
      expect(state).toEqual(copy);
      checked++;
    }
    expect(doneResult(run.last).verdict).toBe('complete');
    expect(checked).toBeGreaterThan(8);
    expect(new Set(run.commands.map((c) => c.kind))).toEqual(new Set(['http', 'authenticate', 'sleep', 'emit', 'done']));
  });
});

describe('step: request-line limits', () => {
  it('a 414 HTML page fails the run with FILTER_REJECTED naming the length, not a silent empty page', () => {
    const run = new Run();
    run.start({ stream: 'iocs', filter: `value:'${'x'.repeat(1800)}'` });
    const result = doneResult(run.respond(414, '<html><head><title>414 Request-URI Too Large</title></head></html>', { 'Content-Type': 'text/html' }));
    expect(result.error).toMatchObject({ code: 'FILTER_REJECTED', category: 'api' });
    expect(result.error?.message).toContain('414');
    expect(Number(result.error?.context.length)).toBeGreaterThan(1800);
  });
});

describe('step: a page the host could not store', () => {
  const sinkFailure = { code: 'INGEST_FAILED', category: 'api', message: 'the repository kept answering 503', context: {} } as const;

  it('ends failed, retryable, at the last stored page: the unstored page is not counted and its checkpoint never becomes valid', () => {
    const run = new Run();
    run.start({ stream: 'alerts' });
    const first = expectKind(run.page({ resources: [alert('a1', 1), alert('a2', 2)], pagination: { total: 4, limit: 1000, after: 'tok-1' } }), 'emit');
    expectKind(run.event({ kind: 'emitted', nowMs: run.local, sink: { calls: 1, retries: 0, events: 2, bytes: 300, notes: [] } }), 'http');
    const second = expectKind(run.page({ resources: [alert('a3', 3), alert('a4', 4)], pagination: { total: 4, limit: 1000 } }), 'emit');
    const result = doneResult(run.event({ kind: 'emit-failed', nowMs: run.local, error: sinkFailure, sink: { calls: 6, retries: 5, events: 0, bytes: 0, notes: ['503; retrying in 400 ms'] } }));
    expect(result).toMatchObject({ verdict: 'failed:INGEST_FAILED', hasMore: 'false', stop: { kind: 'failed', code: 'INGEST_FAILED', retryable: true } });
    expect(result.checkpoint).toBe(first.checkpoint);
    expect(result.checkpoint).not.toBe(second.checkpoint);
    expect(result.resume).toEqual({ safe: true, checkpoint: first.checkpoint });
    expect(result.health).toMatchObject({ items: 2, pages: 1, exportItems: 2, ingestCalls: 7, ingestRetries: 5, ingestedEvents: 2, ingestBytes: 300 });
    expect(run.timeline).toContain('ingest_retry');

    // The next run from that checkpoint asks for what the unstored page held, and exports it.
    const resumed = new Run();
    expectKind(resumed.start({ stream: 'alerts', checkpoint: result.checkpoint }), 'http');
    const again = expectKind(resumed.page({ resources: [alert('a3', 3), alert('a4', 4)], pagination: { total: 2, limit: 1000 } }), 'emit');
    expect(ids(again.items as Alert[])).toEqual(['a3', 'a4']);
  });

  it('a first page never stored resumes in the same session from where the export began', () => {
    const run = new Run();
    run.start({ stream: 'alerts', sessionId: 'session-7' });
    expectKind(run.page({ resources: [alert('a1', 1)], pagination: { total: 1, limit: 1000 } }), 'emit');
    const result = doneResult(run.event({ kind: 'emit-failed', nowMs: run.local, error: sinkFailure }));
    expect(result.health).toMatchObject({ items: 0, pages: 0 });
    const resumed = new Run();
    const request = expectKind(resumed.start({ stream: 'alerts', sessionId: 'session-7', checkpoint: result.checkpoint }), 'http').request;
    // Nothing was exported: the same first query, no after token and no watermark.
    expect(jsonBody(request)).toEqual({ limit: 1000, sort: 'created_timestamp|asc' });
    expect(resumed.state?.health.sessionId).toBe('session-7');
  });

  it('emit-failed outside an emit is a protocol error', () => {
    const run = new Run();
    expectKind(run.start({ stream: 'alerts' }), 'http');
    expect(doneResult(run.event({ kind: 'emit-failed', nowMs: T0, error: sinkFailure })).error?.code).toBe('PROTOCOL');
  });
});

describe('step: hosts (combined devices: the next token goes back as offset)', () => {
  it('sends next as offset, takes full records without an entities call, and proves the end from the watermark', () => {
    const run = new Run();
    const first = expectKind(run.start({ stream: 'hosts' }), 'http').request;
    expect(pathOf(first)).toBe('/devices/combined/devices/v1');
    expect(Object.fromEntries(query(first))).toEqual({ limit: '10000', sort: 'first_seen.asc' });
    expectKind(run.page({ resources: [host('h1', 1), host('h2', 2)], pagination: { offset: '', limit: 10000, total: 3, next: 'next-1' } }), 'emit');
    const second = expectKind(run.ack(), 'http').request;
    expect(query(second).get('offset')).toBe('next-1');
    expect(query(second).has('after')).toBe(false);
    expectKind(run.page({ resources: [host('h3', 3)], pagination: { offset: 'next-1', limit: 10000, total: 3 } }), 'emit');
    const result = run.proveEnd([host('h3', 3)], 10000);
    expect(result.verdict).toBe('complete');
    expect(run.http.every((c) => c.purpose === 'page')).toBe(true);
    expect(ids(run.emitted, 'device_id')).toEqual(['h1', 'h2', 'h3']);
  });

  it('an `after` field does not continue the chain: only `next` is the token of this route', () => {
    const run = new Run();
    run.start({ stream: 'hosts' });
    expectKind(run.page({ resources: [host('h1', 1)], pagination: { offset: '', limit: 10000, total: 2, after: 'not-this-one' } }), 'emit');
    const next = expectKind(run.ack(), 'http').request;
    expect(query(next).has('offset')).toBe(false);
    expect(run.timeline).toContain('token_missing_mid_run');
  });
});
