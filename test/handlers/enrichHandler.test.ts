import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { beforeAll, describe, expect, it } from 'vitest';
import { inProcessSandbox, SANDBOX_EPOCH_MS } from '../../sandbox/inProcessSandbox.ts';
import type { Transport } from '../../functions/host/Transport.ts';
import { IOC_DEVICE_COUNT_PATH, IOC_DEVICES_PATH, IOC_TYPES } from '../../functions/falcon/iocEndpoints.ts';
import { invokeFunction, type NodeFunctionHost } from '../../functions/host/invokeFunction.ts';
import {
  ENRICH_LIMITS,
  enrichRequestSchema,
  INDICATOR_VALUE_PATTERN,
  type EnrichedIndicator,
  type EnrichResponseBody,
} from '../../functions/handlers/enrichHandler.ts';
import { ENRICH_INDICATOR_TYPES, iocTypeOf, type EnrichIndicatorType } from '../../functions/falcon/enrichTypes.ts';
import type { FunctionResponse } from '../../functions/handlers/FunctionResponse.ts';
import { FalconSandbox } from '../../sandbox/FalconSandbox.ts';
import type { FaultKnobs, ProfileName } from '../../sandbox/profiles.ts';

const SEED = 11;
const SIZES = { intel: 3000, iocs: 1500, hosts: 2000 } as const;
const SCHEMAS = new URL('../../functions/page-run/schemas/', import.meta.url);
const requestSchema = JSON.parse(readFileSync(new URL('enrich.request.json', SCHEMAS), 'utf8')) as Record<string, unknown>;
const responseSchema = JSON.parse(readFileSync(new URL('enrich.response.json', SCHEMAS), 'utf8')) as Record<string, unknown>;
const ajv = new Ajv({ allErrors: true, strict: false });
const validRequest = ajv.compile(requestSchema);
const validResponse = ajv.compile(responseSchema);

type Indicator = { type: EnrichIndicatorType; value: string };
type Rec = Record<string, unknown>;
const keyOf = (i: Indicator): string => `${i.type}|${i.value}`;

// ---------------------------------------------------------------------------------------------
// Ground truth from a clean sandbox of the same seed: the same records, read through the API.

class Reference {
  readonly sandbox = new FalconSandbox({ seed: SEED, sizes: SIZES, clock: { nowMs: () => SANDBOX_EPOCH_MS } });
  readonly #token: string;

  constructor() {
    const answer = this.sandbox.handle({
      method: 'POST',
      url: 'http://ref.test/oauth2/token',
      headers: {},
      body: `client_id=${this.sandbox.credentials.clientId}&client_secret=${this.sandbox.credentials.clientSecret}`,
    });
    if (answer.kind !== 'http') throw new Error('no token');
    this.#token = (JSON.parse(answer.body) as { access_token: string }).access_token;
  }

  records(path: string, params: Record<string, string>): Rec[] {
    const answer = this.sandbox.handle({ method: 'GET', url: `http://ref.test${path}?${new URLSearchParams(params).toString()}`, headers: { authorization: `Bearer ${this.#token}` } });
    if (answer.kind !== 'http' || answer.status !== 200) throw new Error(`${path} answered ${answer.kind === 'http' ? answer.status : answer.kind}`);
    return (JSON.parse(answer.body) as { resources: Rec[] }).resources;
  }

  intelRecord(value: string): Rec | null {
    return this.records('/intel/combined/indicators/v1', { filter: `indicator:'${value}'` })[0] ?? null;
  }
}

function expectedIntel(record: Rec | null): EnrichedIndicator['intel'] {
  if (record === null) return { found: 'false', malicious_confidence: '', labels: [], actors: [], malware_families: [] };
  return {
    found: 'true',
    malicious_confidence: String(record['malicious_confidence']),
    labels: (record['labels'] as Array<{ name: string }>).map((l) => l.name),
    actors: record['actors'] as string[],
    malware_families: record['malware_families'] as string[],
  };
}

// ---------------------------------------------------------------------------------------------
// The function host on an in-process sandbox, and a workflow-like loop over `pending`.

interface Harness {
  sandbox: FalconSandbox;
  host: NodeFunctionHost;
}

/** POST /enrich through the function machine on the Node host. */
function enrichIndicators(body: unknown, host: NodeFunctionHost): Promise<FunctionResponse> {
  return invokeFunction({ method: 'POST', url: '/enrich', body, params: { header: { 'X-Cs-Executionid': ['exec-test'] } } }, host);
}

function harness(profile: ProfileName, options: { knobs?: Partial<FaultKnobs>; wrap?: (t: Transport) => Transport } = {}): Harness {
  const sb = inProcessSandbox({ seed: SEED, profile, sizes: SIZES, ...(options.knobs ? { knobs: options.knobs } : {}) });
  const transport = options.wrap ? options.wrap(sb.transport) : sb.transport;
  return {
    sandbox: sb.sandbox,
    host: { transport, clock: sb.clientClock, sleep: sb.clock.sleep, auth: sb.auth, appId: 'pagination-guard-test' },
  };
}

function bodyOf(response: FunctionResponse): EnrichResponseBody {
  expect(response.errors, JSON.stringify(response.errors)).toEqual([]);
  expect(response.code).toBe(200);
  expect(validResponse(response.body), JSON.stringify(validResponse.errors)).toBe(true);
  expect(Buffer.byteLength(JSON.stringify(response.body))).toBeLessThanOrEqual(ENRICH_LIMITS.responseBytes);
  return response.body as unknown as EnrichResponseBody;
}

/** Calls /enrich, then again with `pending` while has_more is "true", as the IOC workflow would. */
async function enrichAll(host: NodeFunctionHost, indicators: Indicator[], extra: Record<string, unknown> = {}, maxCalls = 60): Promise<{ byKey: Map<string, EnrichedIndicator>; calls: number; bodies: EnrichResponseBody[] }> {
  const byKey = new Map<string, EnrichedIndicator>();
  const bodies: EnrichResponseBody[] = [];
  let todo = indicators;
  for (let call = 1; call <= maxCalls; call++) {
    const body = bodyOf(await enrichIndicators({ indicators: todo, ...extra }, host));
    bodies.push(body);
    const asked = new Set(todo.map(keyOf));
    for (const entry of body.enriched) {
      expect(asked.has(keyOf(entry)), `answered ${keyOf(entry)}, which was not asked`).toBe(true);
      expect(byKey.has(keyOf(entry)), `${keyOf(entry)} answered twice`).toBe(false);
      byKey.set(keyOf(entry), entry);
    }
    expect(body.enriched.length + body.pending.length).toBe(todo.length);
    expect(body.has_more).toBe(body.pending.length > 0 ? 'true' : 'false');
    if (body.has_more === 'false') return { byKey, calls: call, bodies };
    todo = body.pending;
  }
  throw new Error(`still pending after ${maxCalls} calls`);
}

/** Every answer equals the ground truth: intel as the reference record, devices as the sighting truth. */
function expectTruth(reference: Reference, live: FalconSandbox, indicators: Indicator[], byKey: Map<string, EnrichedIndicator>): void {
  for (const indicator of indicators) {
    const entry = byKey.get(keyOf(indicator));
    expect(entry, keyOf(indicator)).toBeDefined();
    if (!entry) continue;
    const record = reference.intelRecord(indicator.value);
    // Mutating profiles delete records while the calls run; one deleted meanwhile may go either way.
    if (record === null || live.matchingIds('intel-indicators', `indicator:'${indicator.value}'`).size > 0) {
      expect(entry.intel, `intel of ${keyOf(indicator)}`).toEqual(expectedIntel(record));
    }
    const { iocType } = iocTypeOf(indicator.type, indicator.value);
    expect(entry.ioc_type).toBe(iocType);
    if (iocType === null) {
      expect(entry).toMatchObject({ device_count: null, device_ids: [], device_ids_complete: 'false', device_ids_reason: 'no_ioc_type' });
      continue;
    }
    const truth = live.sightings(iocType, indicator.value);
    expect(entry, keyOf(indicator)).toMatchObject({ device_count: truth.length, device_ids_complete: 'true', device_ids_reason: '' });
    expect([...entry.device_ids].sort(), `devices of ${keyOf(indicator)}`).toEqual([...truth].sort());
  }
}

// ---------------------------------------------------------------------------------------------

let reference: Reference;
let seeded: Indicator[];
let customIocs: Indicator[];

beforeAll(() => {
  reference = new Reference();
  const intel = reference.records('/intel/combined/indicators/v1', { limit: '500' });
  const intelOf = (type: string): Rec => {
    const record = intel.find((r) => r['type'] === type);
    if (!record) throw new Error(`no ${type} intel record`);
    return record;
  };
  const iocs = reference.records('/iocs/combined/indicator/v1', { limit: '1500' });
  customIocs = iocs.map((r) => ({ type: r['type'] as EnrichIndicatorType, value: String(r['value']) }));
  const sightings = (i: Indicator): number => reference.sandbox.sightings(iocTypeOf(i.type, i.value).iocType ?? 'md5', i.value).length;
  const chosen = new Set<string>();
  const ioc = (type: string, predicate: (i: Indicator) => boolean = () => true): Indicator => {
    const found = customIocs.find((i) => i.type === type && !chosen.has(i.value) && predicate(i));
    if (!found) throw new Error(`no custom ${type} IOC`);
    chosen.add(found.value);
    return found;
  };
  seeded = [
    { type: 'hash_sha256', value: String(intelOf('hash_sha256')['indicator']) },
    { type: 'domain', value: String(intelOf('domain')['indicator']) },
    { type: 'ip_address', value: String(intelOf('ip_address')['indicator']) },
    { type: 'md5', value: String(intelOf('hash_md5')['indicator']) },
    { type: 'url', value: String(intelOf('url')['indicator']) },
    ioc('sha256'),
    ioc('ipv4'),
    ioc('domain'),
    ioc('md5', (i) => sightings(i) > 200),
    ioc('sha256', (i) => sightings(i) === 0),
    { type: 'sha256', value: 'e'.repeat(64) },
  ];
});

describe('POST /enrich: answers equal the sandbox ground truth', () => {
  it('the seeded set covers intel records, custom IOCs, an unknown value, no sightings and several device pages', () => {
    const counts = seeded.map((i) => (iocTypeOf(i.type, i.value).iocType ? reference.sandbox.sightings(iocTypeOf(i.type, i.value).iocType ?? 'md5', i.value).length : -1));
    expect(counts.some((c) => c > 200)).toBe(true);
    expect(counts.some((c) => c === 0)).toBe(true);
    expect(reference.intelRecord('e'.repeat(64))).toBeNull();
    expect(seeded.slice(0, 5).every((i) => reference.intelRecord(i.value) !== null)).toBe(true);
  });

  it('clean: one call, every indicator final and right, api_calls as the sandbox counted them', async () => {
    const { sandbox, host } = harness('clean');
    const { byKey, calls, bodies } = await enrichAll(host, seeded);
    expect(calls).toBe(1);
    expectTruth(reference, sandbox, seeded, byKey);
    expect(bodies[0]?.enriched.map(keyOf)).toEqual(seeded.map(keyOf));
    const stats = sandbox.stats();
    expect(bodies[0]?.api_calls).toBe(stats.requests - (stats.byPath['/oauth2/token'] ?? 0));
    // The unseen indicator costs one device-count call (its 404), never a devices query.
    expect(stats.byPath[IOC_DEVICE_COUNT_PATH]).toBe(10);
  });

  it('a count of 0 instead of the 404 (iocUnseenReply zero-count) gives the same answers', async () => {
    const { sandbox, host } = harness('clean', { knobs: { iocUnseenReply: 'zero-count' } });
    const { byKey } = await enrichAll(host, seeded);
    expectTruth(reference, sandbox, seeded, byKey);
  });

  it.each(['chaos', 'ttl-vs-backoff', 'sparse-final-page'] as const)('%s: resumed over pending until done, every answer still right', async (profile) => {
    const { sandbox, host } = harness(profile);
    const { byKey, calls } = await enrichAll(host, seeded);
    expectTruth(reference, sandbox, seeded, byKey);
    if (profile === 'ttl-vs-backoff') expect(calls).toBeGreaterThan(1);
  });
});

describe('POST /enrich: budgets', () => {
  it('a deadline that runs out: has_more "true", final answers that are right, the rest pending; resuming finishes', async () => {
    const { sandbox, host } = harness('clean');
    const batch = customIocs.slice(0, 100);
    const first = bodyOf(await enrichIndicators({ indicators: batch, budget: { deadline_ms: 3000 } }, host));
    expect(first.has_more).toBe('true');
    expect(first.enriched.length).toBeGreaterThan(0);
    expect(first.pending.length).toBeGreaterThan(0);
    expect([...first.enriched.map(keyOf), ...first.pending.map(keyOf)].sort()).toEqual(batch.map(keyOf).sort());
    expectTruth(reference, sandbox, batch.filter((i) => first.enriched.some((e) => keyOf(e) === keyOf(i))), new Map(first.enriched.map((e) => [keyOf(e), e])));
    const rest = await enrichAll(host, first.pending, { budget: { deadline_ms: 3000 } });
    expect(rest.calls).toBeGreaterThan(1);
    expectTruth(reference, sandbox, first.pending, rest.byKey);
  });

  it('ids beyond 120 KB wait for the next call: every answer under the limit, all final and complete in the end', async () => {
    const { sandbox, host } = harness('clean');
    const batch = customIocs.slice(100, 200);
    const { byKey, calls, bodies } = await enrichAll(host, batch, { max_devices_per_indicator: 10_000 });
    expect(calls).toBeGreaterThan(2);
    expect(Math.max(...bodies.map((b) => Buffer.byteLength(JSON.stringify(b))))).toBeGreaterThan(90_000);
    expectTruth(reference, sandbox, batch, byKey);
  });

  it('max_devices_per_indicator caps the ids and says so; 0 returns counts only', async () => {
    const { sandbox, host } = harness('clean');
    const batch = seeded.filter((i) => iocTypeOf(i.type, i.value).iocType !== null);
    for (const cap of [5, 0]) {
      const { byKey } = await enrichAll(host, batch, { max_devices_per_indicator: cap });
      for (const indicator of batch) {
        const truth = sandbox.sightings(iocTypeOf(indicator.type, indicator.value).iocType ?? 'md5', indicator.value);
        const entry = byKey.get(keyOf(indicator));
        expect(entry?.device_count).toBe(truth.length);
        expect(entry?.device_ids).toEqual(truth.slice(0, cap));
        if (truth.length > cap) expect(entry).toMatchObject({ device_ids_complete: 'false', device_ids_reason: 'capped_max_devices' });
        else expect(entry).toMatchObject({ device_ids_complete: 'true', device_ids_reason: '' });
      }
    }
  });
});

describe('POST /enrich: refusals and failures', () => {
  it.each([
    [{}, 'indicators'],
    [{ indicators: [] }, 'indicators'],
    [{ indicators: [{ type: 'sha1', value: 'x' }] }, 'indicators.0.type'],
    [{ indicators: [{ type: 'domain', value: '' }] }, 'indicators.0.value'],
    [{ indicators: [{ type: 'domain', value: 'a*.example.com' }] }, 'indicators.0.value'],
    [{ indicators: [{ type: 'domain', value: 'a.test' }, { type: 'url', value: 'x\ny' }] }, 'indicators.1.value'],
    [{ indicators: [{ type: 'domain', value: 'a.test', severity: 'high' }] }, 'indicators.0'],
    [{ indicators: [{ type: 'domain', value: 'a.test' }], max_devices_per_indicator: -1 }, 'max_devices_per_indicator'],
    [{ indicators: [{ type: 'domain', value: 'a.test' }], max_devices_per_indicator: '5' }, 'max_devices_per_indicator'],
    [{ indicators: [{ type: 'domain', value: 'a.test' }], budget: { deadline_ms: 10 } }, 'budget.deadline_ms'],
    [{ indicators: [{ type: 'domain', value: 'a.test' }], budget: { maxCalls: 3 } }, 'budget'],
    [{ indicators: [{ type: 'domain', value: 'a.test' }], checkpoint: 'x' }, '(body)'],
    ['indicators', '(body)'],
  ])('%j → 400 naming %s, and nothing is called', async (body, field) => {
    const { sandbox, host } = harness('clean');
    const response = await enrichIndicators(body, host);
    expect(response.code).toBe(400);
    expect(response.body).toMatchObject({ error_code: 'INPUT_INVALID', field });
    expect(response.errors[0]?.message).toContain(`(field: ${field})`);
    expect(sandbox.stats().requests).toBe(0);
  });

  it('page-run items come through as they are: their id is accepted and ignored', async () => {
    const { host } = harness('clean');
    const body = bodyOf(await enrichIndicators({ indicators: [{ id: 'a'.repeat(64), type: 'sha256', value: 'e'.repeat(64) }] }, host));
    expect(body.enriched[0]).toMatchObject({ type: 'sha256', value: 'e'.repeat(64), device_ids_complete: 'true' });
    expect(Object.keys(body.enriched[0] ?? {})).not.toContain('id');
  });

  it('a 403 on the IOC endpoints → 403 SCOPE_MISSING naming the scope; on intel → the intel scope', async () => {
    const deny = (prefix: string) => (inner: Transport): Transport => async (request) =>
      new URL(request.url).pathname.startsWith(prefix)
        ? { kind: 'response', status: 403, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ meta: { query_time: 0, trace_id: 't' }, errors: [{ code: 403, message: 'access denied, authorization failed' }] }) }
        : inner(request);
    const ioc = await enrichIndicators({ indicators: seeded }, harness('clean', { wrap: deny('/iocs/') }).host);
    expect(ioc.code).toBe(403);
    expect(ioc.body).toMatchObject({ error_code: 'SCOPE_MISSING' });
    expect(ioc.errors[0]?.message).toContain('IOC Management: Read');
    const intel = await enrichIndicators({ indicators: seeded }, harness('clean', { wrap: deny('/intel/') }).host);
    expect(intel.code).toBe(403);
    expect(intel.errors[0]?.message).toContain('Indicators (Falcon Intelligence): Read');
  });

  it('a device endpoint that keeps failing → 502 with the engine error code', async () => {
    const fail = (inner: Transport): Transport => async (request) =>
      new URL(request.url).pathname === IOC_DEVICES_PATH ? { kind: 'error', code: 'reset', message: 'connection reset by peer' } : inner(request);
    const response = await enrichIndicators({ indicators: seeded }, harness('clean', { wrap: fail }).host);
    expect(response.code).toBe(502);
    expect(response.body).toMatchObject({ error_code: 'RETRIES_EXHAUSTED' });
  });
});

describe('enrich JSON Schemas', () => {
  it('name the same types, limits and value pattern as the code', () => {
    const items = (requestSchema['properties'] as Rec)['indicators'] as Rec;
    const item = items['items'] as { properties: Record<string, Rec> };
    expect(item.properties['type']?.['enum']).toEqual([...ENRICH_INDICATOR_TYPES]);
    expect(item.properties['value']).toMatchObject({ minLength: 1, maxLength: ENRICH_LIMITS.maxValueChars, pattern: INDICATOR_VALUE_PATTERN });
    expect(items).toMatchObject({ minItems: 1, maxItems: ENRICH_LIMITS.maxIndicators });
    const entry = (((responseSchema['properties'] as Rec)['enriched'] as Rec)['items'] as { properties: Record<string, Rec> }).properties;
    expect(entry['type']?.['enum']).toEqual([...ENRICH_INDICATOR_TYPES]);
    expect(entry['ioc_type']?.['enum']).toEqual([...IOC_TYPES, null]);
  });

  const ok = { type: 'sha256', value: 'e'.repeat(64) };
  it.each([
    ['the smallest request', { indicators: [ok] }],
    ['every optional field at its lowest', { indicators: [ok], max_devices_per_indicator: 0, budget: {} }],
    ['every optional field at its highest', { indicators: [{ ...ok, id: 'x' }], max_devices_per_indicator: 10_000, budget: { deadline_ms: 900_000 } }],
    ['100 indicators', { indicators: Array.from({ length: 100 }, () => ok) }],
    ['a value of 1000 characters', { indicators: [{ type: 'url', value: 'x'.repeat(1000) }] }],
    ['a value of 1000 emoji (2000 UTF-16 units)', { indicators: [{ type: 'url', value: '😀'.repeat(1000) }] }],
    ['a value of 1001 emoji', { indicators: [{ type: 'url', value: '😀'.repeat(1001) }] }],
    ['a value of 1001 characters', { indicators: [{ type: 'url', value: 'x'.repeat(1001) }] }],
    ['101 indicators', { indicators: Array.from({ length: 101 }, () => ok) }],
    ['an id of 2001 characters', { indicators: [{ ...ok, id: 'x'.repeat(2001) }] }],
    ['a DEL character in the value', { indicators: [{ ...ok, value: 'a\u007fb' }] }],
    ['max_devices_per_indicator above the maximum', { indicators: [ok], max_devices_per_indicator: 10_001 }],
    ['a fractional max_devices_per_indicator', { indicators: [ok], max_devices_per_indicator: 1.5 }],
    ['a deadline below the minimum', { indicators: [ok], budget: { deadline_ms: 999 } }],
    ['a deadline above the maximum', { indicators: [ok], budget: { deadline_ms: 900_001 } }],
    ['a null budget', { indicators: [ok], budget: null }],
    ['an indicator without a value', { indicators: [{ type: 'hash_sha1' }] }],
    ['indicators as an object', { indicators: ok }],
    ['null', null],
  ])('the JSON Schema and the zod schema agree on %s', (_label, body) => {
    expect(enrichRequestSchema.safeParse(body).success).toBe(validRequest(body));
  });
});
