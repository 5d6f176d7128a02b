import { afterAll, describe, expect, it } from 'vitest';
import { sandboxTransport } from '../../functions/host/sandboxTransport.ts';
import { TRANSPORT_MESSAGES } from '../../functions/host/Transport.ts';
import { VirtualClock as CliClock } from '../../functions/host/VirtualClock.ts';
import { STREAMS } from '../../functions/falcon/streams.ts';
import { FalconSandbox, type SandboxResponse } from '../../sandbox/FalconSandbox.ts';
import { INGEST_PATH } from '../../functions/engine/sink/ingestRecords.ts';
import type { ProfileName } from '../../sandbox/profiles.ts';
import { startSandboxServer, type SandboxServer } from '../../sandbox/server.ts';
import { asHttp, BASE_URL, createHarness, envelopeOf, get, issueToken, SMALL_SIZES, tokenRequestBody, type VirtualClock } from './sandboxKit.ts';

const INGEST_URL = `${BASE_URL}${INGEST_PATH}`;

interface Part {
  name: string;
  value: string;
  filename?: string;
  contentType?: string;
}

let boundaries = 0;

/** A multipart/form-data body as RFC 7578 writes it; every call draws a new boundary, as real clients do. */
function multipart(parts: readonly Part[], boundary = `pg-boundary-${++boundaries}`): { body: string; contentType: string } {
  const chunks = parts.map((p) => {
    const disposition = `Content-Disposition: form-data; name="${p.name}"${p.filename === undefined ? '' : `; filename="${p.filename}"`}`;
    const type = p.contentType === undefined ? '' : `\r\nContent-Type: ${p.contentType}`;
    return `--${boundary}\r\n${disposition}${type}\r\n\r\n${p.value}\r\n`;
  });
  return { body: `${chunks.join('')}--${boundary}--\r\n`, contentType: `multipart/form-data; boundary=${boundary}` };
}

function ingestRaw(sandbox: FalconSandbox, token: string | null, contentType: string | null, body: string, headers: Record<string, string> = {}): SandboxResponse {
  return sandbox.handle({
    method: 'POST',
    url: INGEST_URL,
    headers: {
      ...(contentType === null ? {} : { 'Content-Type': contentType }),
      ...(token === null ? {} : { Authorization: `Bearer ${token}` }),
      ...headers,
    },
    body,
  });
}

function ingest(sandbox: FalconSandbox, token: string | null, parts: readonly Part[], headers: Record<string, string> = {}): SandboxResponse {
  const { body, contentType } = multipart(parts);
  return ingestRaw(sandbox, token, contentType, body, headers);
}

const dataFile = (json: unknown): Part => ({ name: 'data_file', filename: 'events.json', contentType: 'application/json', value: JSON.stringify(json) });
const dataContent = (text: string): Part => ({ name: 'data_content', value: text });

/** An event as the app writes it. */
function appEvent(session: string, recordId: string, run = 'run-1', record: Record<string, unknown> = { id: recordId }): Record<string, unknown> {
  return { pg_event_id: `alerts:${recordId}`, pg_session: session, pg_stream: 'alerts', pg_run: run, record };
}

function errorMessage(response: SandboxResponse): string {
  return envelopeOf(response).errors?.[0]?.message ?? '';
}

describe('POST /loggingapi/entities/data-ingestion/ingest/v1', () => {
  it('stores a data_file JSON array as one event per element, in order, with the call tags', () => {
    const { sandbox, clock } = createHarness();
    const token = issueToken(sandbox);
    const events = [appEvent('s1', 'a'), appEvent('s1', 'b'), appEvent('s1', 'c')];
    const answer = ingest(sandbox, token, [dataFile(events), { name: 'tag', value: 'stream:alerts' }, { name: 'tag', value: 'run:1' }, { name: 'tag_source', value: 'pagination-guard' }]);

    expect(asHttp(answer).status).toBe(200);
    const envelope = envelopeOf(answer);
    expect(envelope.meta.powered_by).toBe('logscale-ingest');
    expect(envelope.errors).toEqual([]);
    expect(asHttp(answer).headers['X-Ratelimit-Limit']).toBe('6000');
    expect(sandbox.logscale.events()).toEqual(
      events.map((event) => ({ repository: 'default', event, tags: ['stream:alerts', 'run:1'], tagSource: 'pagination-guard', testData: false, ingestedAtMs: clock.now })),
    );
    expect(sandbox.stats().byPath[INGEST_PATH]).toBe(1);
  });

  it('stores a data_content single object as one event, with test_data', () => {
    const { sandbox } = createHarness();
    const token = issueToken(sandbox);
    const answer = ingest(sandbox, token, [dataContent(JSON.stringify(appEvent('s1', 'a'))), { name: 'test_data', value: 'true' }]);
    expect(asHttp(answer).status).toBe(200);
    expect(sandbox.logscale.events()).toMatchObject([{ event: appEvent('s1', 'a'), tags: [], tagSource: '', testData: true }]);
  });

  it('stores NDJSON as one event per line, blank lines and CRLF endings included', () => {
    const { sandbox } = createHarness();
    const token = issueToken(sandbox);
    const lines = [appEvent('s1', 'a'), appEvent('s1', 'b')].map((e) => JSON.stringify(e));
    const answer = ingest(sandbox, token, [{ name: 'data_file', filename: 'events.ndjson', value: `${lines[0]}\r\n\r\n${lines[1]}\n` }]);
    expect(asHttp(answer).status).toBe(200);
    expect(sandbox.logscale.events().map((e) => e.event['pg_event_id'])).toEqual(['alerts:a', 'alerts:b']);
  });

  it('takes a quoted boundary, a preamble, and a trailing semicolon in the Content-Type', () => {
    const { sandbox } = createHarness();
    const token = issueToken(sandbox);
    const { body } = multipart([dataContent('{"x":1}')], 'a b:c');
    const answer = ingestRaw(sandbox, token, 'multipart/form-data; boundary="a b:c";', `preamble to ignore\r\n${body}epilogue`);
    expect(asHttp(answer).status).toBe(200);
    expect(sandbox.logscale.events().map((e) => e.event)).toEqual([{ x: 1 }]);
  });

  it('answers 401 without a valid bearer token, and stores nothing', () => {
    const { sandbox } = createHarness();
    for (const token of [null, 'not-a-token']) {
      const answer = ingest(sandbox, token, [dataContent('{"x":1}')]);
      expect(asHttp(answer).status).toBe(401);
      expect(errorMessage(answer)).toBe('access denied, invalid bearer token');
    }
    expect(sandbox.logscale.events()).toEqual([]);
  });

  it('answers 429 past the per-CID rate limit, with its headers, and stores nothing', () => {
    const { sandbox, clock } = createHarness({ knobs: { rateLimitPerMinute: 2 } });
    const token = issueToken(sandbox);
    const statuses = [1, 2, 3].map((n) => asHttp(ingest(sandbox, token, [dataContent(`{"n":${n}}`)])));
    expect(statuses.map((s) => s.status)).toEqual([200, 200, 429]);
    expect(statuses[2]?.headers['X-Ratelimit-Remaining']).toBe('0');
    expect(Number(statuses[2]?.headers['X-Ratelimit-Retryafter'])).toBeGreaterThanOrEqual(Math.floor(clock.now / 1000));
    expect(sandbox.logscale.events().map((e) => e.event)).toEqual([{ n: 1 }, { n: 2 }]);
  });

  it('answers 413 with a JSON envelope to a body over ingestMaxBodyBytes, and stores nothing', () => {
    const { sandbox } = createHarness({ knobs: { ingestMaxBodyBytes: 400 } });
    const token = issueToken(sandbox);
    const big = ingest(sandbox, token, [dataContent(JSON.stringify({ padding: 'é'.repeat(200) }))]);
    expect(asHttp(big).status).toBe(413);
    expect(asHttp(big).headers['Content-Type']).toBe('application/json');
    expect(errorMessage(big)).toMatch(/^request entity too large: the body is \d+ bytes, the limit is 400$/);
    expect(sandbox.logscale.events()).toEqual([]);
    expect(asHttp(ingest(sandbox, token, [dataContent('{"small":true}')])).status).toBe(200);
  });

  it('answers 400 naming the problem of a malformed multipart body', () => {
    const { sandbox } = createHarness();
    const token = issueToken(sandbox);
    const ok = multipart([dataContent('{"x":1}')], 'b');
    const cases: { contentType: string | null; body: string; message: RegExp }[] = [
      { contentType: null, body: ok.body, message: /has no Content-Type/ },
      { contentType: 'application/json', body: '{"x":1}', message: /"application\/json", not multipart\/form-data/ },
      { contentType: 'multipart/form-data', body: ok.body, message: /no boundary parameter/ },
      { contentType: 'multipart/form-data; boundary=other', body: ok.body, message: /no opening delimiter line "--other"/ },
      { contentType: ok.contentType, body: ok.body.replaceAll('\r\n', '\n'), message: /does not end with CRLF/ },
      { contentType: ok.contentType, body: ok.body.replace('\r\n--b--\r\n', ''), message: /part 1 is not ended by a delimiter line/ },
      { contentType: ok.contentType, body: ok.body.replace('--b--\r\n', '--b'), message: /ends without the closing delimiter "--b--"/ },
      { contentType: ok.contentType, body: ok.body.replace('; name="data_content"', ''), message: /part 1 has no name in its Content-Disposition/ },
      { contentType: ok.contentType, body: ok.body.replace('Content-Disposition: form-data; ', 'Content-Disposition: attachment; '), message: /"attachment", not form-data/ },
      { contentType: ok.contentType, body: ok.body.replace('Content-Disposition', 'Content-Type: text/plain\r\nX-Nothing'), message: /part 1 has no Content-Disposition header/ },
      { contentType: ok.contentType, body: ok.body.replace('\r\n\r\n', '\r\n'), message: /part 1 has (a malformed header line|no blank line)/ },
    ];
    for (const { contentType, body, message } of cases) {
      const answer = ingestRaw(sandbox, token, contentType, body);
      expect(asHttp(answer).status, String(message)).toBe(400);
      expect(errorMessage(answer)).toMatch(/^Malformed multipart\/form-data: /);
      expect(errorMessage(answer)).toMatch(message);
    }
    expect(sandbox.logscale.events()).toEqual([]);
  });

  it('answers 400 to both or neither data field, unknown or repeated fields, and a bad test_data', () => {
    const { sandbox } = createHarness();
    const token = issueToken(sandbox);
    const cases: { parts: Part[]; message: string }[] = [
      { parts: [dataContent('{}'), dataFile({})], message: 'Invalid ingest form: the form has both data_content and data_file; send exactly one of them' },
      { parts: [{ name: 'tag', value: 'a:b' }], message: 'Invalid ingest form: the form has neither data_content nor data_file; send exactly one of them' },
      { parts: [dataContent('{}'), { name: 'tags', value: 'a:b' }], message: 'Invalid ingest form: unknown form field "tags"; the ingest API takes data_content, data_file, tag, tag_source, test_data' },
      { parts: [dataContent('{}'), dataContent('{}')], message: 'Invalid ingest form: the form field "data_content" appears 2 times; send it at most once' },
      { parts: [dataContent('{}'), { name: 'test_data', value: 'yes' }], message: 'Invalid ingest form: the form field "test_data" must be "true" or "false", got "yes"' },
    ];
    for (const { parts, message } of cases) {
      const answer = ingest(sandbox, token, parts);
      expect(asHttp(answer).status, message).toBe(400);
      expect(errorMessage(answer)).toBe(message);
    }
    expect(sandbox.logscale.events()).toEqual([]);
  });

  it('answers 400 naming the problem of data that is not JSON events', () => {
    const { sandbox } = createHarness();
    const token = issueToken(sandbox);
    const cases: { data: string; message: RegExp }[] = [
      { data: 'not json', message: /^The data_content field is not ingestible JSON data: it is not valid JSON \(/ },
      { data: '', message: /it is empty$/ },
      { data: '42', message: /it is a number; send a JSON object, a JSON array of objects or NDJSON$/ },
      { data: '[]', message: /it is an empty JSON array: no events$/ },
      { data: '[{"a":1}, "b"]', message: /element \[1\] of the JSON array is a string, not an object$/ },
      { data: '{"a":1}\n{"b":', message: /NDJSON line 2 is not valid JSON/ },
      { data: '{"a":1}\n[1]', message: /NDJSON line 2 is an array, not an object$/ },
    ];
    for (const { data, message } of cases) {
      const answer = ingest(sandbox, token, [dataContent(data)]);
      expect(asHttp(answer).status, data).toBe(400);
      expect(errorMessage(answer)).toMatch(message);
    }
    expect(sandbox.logscale.events()).toEqual([]);
  });

  it("takes only single objects when ingestBatchForms is 'none' (the real API's batching is UNVERIFIED)", () => {
    const { sandbox } = createHarness({ knobs: { ingestBatchForms: 'none' } });
    const token = issueToken(sandbox);
    expect(errorMessage(ingest(sandbox, token, [dataFile([{ a: 1 }])]))).toMatch(/it is a JSON array, and this sandbox takes one JSON object per call/);
    expect(errorMessage(ingest(sandbox, token, [dataContent('{"a":1}\n{"b":2}')]))).toMatch(/it holds 2 lines of NDJSON/);
    expect(asHttp(ingest(sandbox, token, [dataFile({ a: 1 })])).status).toBe(200);
    expect(sandbox.logscale.events()).toHaveLength(1);
  });
});

describe('repositories and the export ground truth', () => {
  it('keeps each X-CS-APP-ID in its own repository, and calls without one in "default"', () => {
    const { sandbox } = createHarness();
    const token = issueToken(sandbox);
    ingest(sandbox, token, [dataFile({ n: 1 })], { 'X-CS-APP-ID': 'app-a' });
    ingest(sandbox, token, [dataFile({ n: 2 })], { 'x-cs-app-id': 'app-b' });
    ingest(sandbox, token, [dataFile({ n: 3 })]);
    ingest(sandbox, token, [dataFile({ n: 4 })], { 'X-CS-APP-ID': 'app-a' });
    expect(sandbox.logscale.repositories()).toEqual(['app-a', 'app-b', 'default']);
    expect(sandbox.logscale.events('app-a').map((e) => e.event)).toEqual([{ n: 1 }, { n: 4 }]);
    expect(sandbox.logscale.events('default').map((e) => e.event)).toEqual([{ n: 3 }]);
    expect(sandbox.logscale.events().map((e) => e.event['n'])).toEqual([1, 2, 3, 4]);
    expect(sandbox.logscale.events('nobody')).toEqual([]);
  });

  it('exportRecords: the session events, one per pg_event_id, the last copy kept', () => {
    const { sandbox } = createHarness();
    const token = issueToken(sandbox);
    const app = { 'X-CS-APP-ID': 'pg' };
    ingest(sandbox, token, [dataFile([appEvent('s1', 'a', 'run-1', { v: 1 }), appEvent('s1', 'b'), appEvent('s2', 'a')])], app);
    ingest(sandbox, token, [dataFile([appEvent('s1', 'c'), appEvent('s1', 'a', 'run-2', { v: 2 }), { pg_session: 's1', note: 'no event id' }])], app);
    ingest(sandbox, token, [dataFile(appEvent('s1', 'z'))], { 'X-CS-APP-ID': 'other' });

    expect(sandbox.logscale.exportRecords('s1', 'pg')).toEqual([appEvent('s1', 'b'), appEvent('s1', 'c'), appEvent('s1', 'a', 'run-2', { v: 2 })]);
    expect(sandbox.logscale.exportRecords('s2', 'pg')).toEqual([appEvent('s2', 'a')]);
    expect(sandbox.logscale.exportRecords('s1').map((e) => e['pg_event_id'])).toEqual(['alerts:b', 'alerts:c', 'alerts:a', 'alerts:z']);
    expect(sandbox.logscale.exportRecords('s3')).toEqual([]);
  });
});

describe('ingest fault profiles', () => {
  /** One call per event, each with its own content; the answers in order. */
  function sweep(sandbox: FalconSandbox, clock: VirtualClock, count: number): SandboxResponse[] {
    const token = issueToken(sandbox);
    return Array.from({ length: count }, (_, i) => {
      const answer = ingest(sandbox, token, [dataFile(appEvent('s1', `r${i}`))]);
      clock.advance(answer.latencyMs);
      return answer;
    });
  }

  const storedIds = (sandbox: FalconSandbox): string[] => sandbox.logscale.events().map((e) => String(e.event['pg_event_id']));
  const idsOf = (answers: SandboxResponse[], keep: (a: SandboxResponse) => boolean): string[] => answers.flatMap((a, i) => (keep(a) ? [`alerts:r${i}`] : []));

  it('ingest-flaky: JSON 5xx and 429s with rate-limit headers, none of them stored', () => {
    const { sandbox, clock } = createHarness({ profile: 'ingest-flaky' });
    const answers = sweep(sandbox, clock, 200);
    const http = answers.map(asHttp);
    const errors = http.filter((a) => a.status >= 500);
    const limited = http.filter((a) => a.status === 429);
    expect(errors.length).toBeGreaterThan(20);
    expect(limited.length).toBeGreaterThan(5);
    for (const answer of errors) {
      expect([500, 503]).toContain(answer.status);
      expect(envelopeOf(answer).meta.powered_by).toBe('logscale-ingest');
    }
    for (const answer of limited) {
      // injected429RetryAfterMs is 0: retry at once, i.e. within the second of the answer's Date.
      const waitS = Number(answer.headers['X-Ratelimit-Retryafter']) - Date.parse(answer.headers['Date'] ?? '') / 1000;
      expect(waitS).toBeGreaterThanOrEqual(0);
      expect(waitS).toBeLessThanOrEqual(1);
      expect(answer.headers['X-Ratelimit-Remaining']).toBe('0');
    }
    expect(storedIds(sandbox)).toEqual(idsOf(answers, (a) => a.kind === 'http' && a.status === 200));
  });

  it('ingest-lost-ack: every call is stored, and some answer a network-error timeout', () => {
    const { sandbox, clock } = createHarness({ profile: 'ingest-lost-ack' });
    const answers = sweep(sandbox, clock, 200);
    const lost = answers.filter((a) => a.kind === 'network-error');
    expect(lost.length).toBeGreaterThan(30);
    for (const answer of lost) expect(answer).toMatchObject({ kind: 'network-error', code: 'timeout' });
    expect(answers.every((a) => a.kind === 'network-error' || a.status === 200)).toBe(true);
    expect(storedIds(sandbox)).toEqual(idsOf(answers, () => true));
  });

  it('ingest-reset: resets store nothing', () => {
    const { sandbox, clock } = createHarness({ profile: 'ingest-reset' });
    const answers = sweep(sandbox, clock, 200);
    const resets = answers.filter((a) => a.kind === 'network-error');
    expect(resets.length).toBeGreaterThan(30);
    for (const answer of resets) expect(answer).toMatchObject({ kind: 'network-error', code: 'reset' });
    expect(storedIds(sandbox)).toEqual(idsOf(answers, (a) => a.kind === 'http' && a.status === 200));
  });

  it('never fails the same call more than maxConsecutiveFaults times in a row, whatever its boundary', () => {
    const { sandbox } = createHarness({ knobs: { ingestLostAckRate: 1 } });
    const token = issueToken(sandbox);
    const call = (): SandboxResponse => ingest(sandbox, token, [dataFile(appEvent('s1', 'a'))]);
    expect([call(), call(), call(), call()].map((a) => (a.kind === 'http' ? a.status : a.code))).toEqual(['timeout', 'timeout', 'timeout', 200]);
    // Four copies stored; the saved search keeps one.
    expect(sandbox.logscale.events()).toHaveLength(4);
    expect(sandbox.logscale.exportRecords('s1')).toEqual([appEvent('s1', 'a')]);

    const strict = createHarness({ knobs: { ingest5xxRate: 1, maxConsecutiveFaults: 1 } }).sandbox;
    const strictToken = issueToken(strict);
    const statuses = [1, 2, 3].map(() => asHttp(ingest(strict, strictToken, [dataFile({ same: true })])).status);
    expect(statuses.map((s) => (s === 503 ? 500 : s))).toEqual([500, 200, 500]);
    expect(strict.logscale.events()).toHaveLength(1);
  });

  it.each(['ingest-flaky', 'ingest-lost-ack', 'ingest-reset'] satisfies ProfileName[])('%s: a client with 4 attempts per call always gets through', (profile) => {
    const { sandbox, clock } = createHarness({ profile, seed: 5 });
    const token = issueToken(sandbox);
    for (let i = 0; i < 100; i++) {
      let attempts = 0;
      for (;;) {
        attempts++;
        const answer = ingest(sandbox, token, [dataFile(appEvent('s1', `r${i}`))]);
        clock.advance(answer.latencyMs);
        if (answer.kind === 'http' && answer.status === 200) break;
        expect(attempts, `call ${i}`).toBeLessThan(4);
      }
    }
    expect(sandbox.logscale.exportRecords('s1')).toHaveLength(100);
  });

  it('leaves the generic transport faults and their draws alone', () => {
    // Generic faults at 100 % would fail every call; ingest never sees them.
    const { sandbox, clock } = createHarness({ knobs: { resetRate: 1, json5xxRate: 1, html5xxRate: 1 } });
    const token = obtainToken(sandbox, clock);
    expect([1, 2, 3, 4].map((a) => asHttp(ingest(sandbox, token, [dataFile({ a })])).status)).toEqual([200, 200, 200, 200]);

    // The flaky profile's draws for the list endpoint do not depend on ingest calls between them.
    const statuses = (withIngest: boolean): string[] => {
      const { sandbox: flaky, clock } = createHarness({ profile: 'flaky', seed: 3 });
      const listToken = obtainToken(flaky, clock);
      return Array.from({ length: 60 }, (_, i) => {
        if (withIngest) ingest(flaky, listToken, [dataFile({ i })]);
        const answer = get(flaky, listToken, STREAMS['alert-ids'].path, { limit: 5, offset: i });
        clock.advance(answer.latencyMs);
        return answer.kind === 'http' ? String(answer.status) : answer.code;
      });
    };
    expect(statuses(true)).toEqual(statuses(false));
  });

  it('sandboxTransport turns a lost answer into a timeout, and a reset into a reset', async () => {
    const clock = new CliClock(Date.parse('2026-12-01T00:00:00.000Z'));
    const request = (sandbox: FalconSandbox, token: string): Promise<unknown> => {
      const { body, contentType } = multipart([dataFile({ a: 1 })]);
      const transport = sandboxTransport(sandbox, clock);
      return transport({ method: 'POST', url: INGEST_URL, headers: { 'Content-Type': contentType, Authorization: `Bearer ${token}` }, body, timeoutMs: 30_000 });
    };
    const lost = new FalconSandbox({ sizes: SMALL_SIZES, clock, knobs: { ingestLostAckRate: 1 } });
    expect(await request(lost, issueToken(lost))).toEqual({ kind: 'error', code: 'timeout', message: TRANSPORT_MESSAGES.timeout });
    expect(lost.logscale.events()).toHaveLength(1);
    const reset = new FalconSandbox({ sizes: SMALL_SIZES, clock, knobs: { ingestResetRate: 1 } });
    expect(await request(reset, issueToken(reset))).toEqual({ kind: 'error', code: 'reset', message: TRANSPORT_MESSAGES.reset });
    expect(reset.logscale.events()).toEqual([]);
  });
});

describe('ingest over the loopback server', () => {
  const servers: SandboxServer[] = [];
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.close()));
  });

  async function serve(sandbox: FalconSandbox): Promise<{ baseUrl: string; token: string }> {
    const server = await startSandboxServer({ sandbox, port: 0 });
    servers.push(server);
    const answer = await fetch(`${server.baseUrl}/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: tokenRequestBody(sandbox),
    });
    expect(answer.status).toBe(201);
    const { access_token: token } = (await answer.json()) as { access_token: string };
    return { baseUrl: server.baseUrl, token };
  }

  function form(): FormData {
    const data = new FormData();
    data.append('data_file', new Blob([JSON.stringify([appEvent('s1', 'a'), appEvent('s1', 'b')])], { type: 'application/json' }), 'events.json');
    data.append('tag', 'stream:alerts');
    data.append('tag_source', 'pagination-guard');
    data.append('test_data', 'false');
    return data;
  }

  it("stores the events of fetch's own multipart body", async () => {
    const sandbox = new FalconSandbox({ sizes: SMALL_SIZES });
    const { baseUrl, token } = await serve(sandbox);
    const answer = await fetch(`${baseUrl}${INGEST_PATH}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'X-CS-APP-ID': 'pg-app' }, body: form() });
    expect(answer.status).toBe(200);
    expect(((await answer.json()) as { errors: unknown[] }).errors).toEqual([]);
    expect(sandbox.logscale.events('pg-app')).toMatchObject([
      { event: appEvent('s1', 'a'), tags: ['stream:alerts'], tagSource: 'pagination-guard', testData: false },
      { event: appEvent('s1', 'b'), tags: ['stream:alerts'], tagSource: 'pagination-guard', testData: false },
    ]);
  });

  it('kills the connection of a lost acknowledgement after storing the events', async () => {
    const sandbox = new FalconSandbox({ sizes: SMALL_SIZES, knobs: { ingestLostAckRate: 1 } });
    const { baseUrl, token } = await serve(sandbox);
    const call = fetch(`${baseUrl}${INGEST_PATH}`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form() });
    await expect(call).rejects.toThrow(TypeError);
    expect(sandbox.logscale.exportRecords('s1', 'default').map((e) => e['pg_event_id'])).toEqual(['alerts:a', 'alerts:b']);
  });
});

/** Token with retries: some profiles fail the token request too. */
function obtainToken(sandbox: FalconSandbox, clock: VirtualClock): string {
  for (let attempt = 0; attempt < 8; attempt++) {
    const answer = sandbox.handle({ method: 'POST', url: `${BASE_URL}/oauth2/token`, headers: {}, body: tokenRequestBody(sandbox) });
    clock.advance(answer.latencyMs);
    if (answer.kind === 'http' && answer.status === 201) return (JSON.parse(answer.body) as { access_token: string }).access_token;
  }
  throw new Error('no token after 8 attempts');
}
