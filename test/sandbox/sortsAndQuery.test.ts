import { describe, expect, it } from 'vitest';
import type { Envelope } from '../../functions/falcon/envelope.ts';
import { afterTokenOf, STREAMS, type StreamSpec } from '../../functions/falcon/streams.ts';
import type { FalconSandbox } from '../../sandbox/FalconSandbox.ts';
import { sortValueOf, type SortValue } from '../../sandbox/endpoints/SortOrder.ts';
import type { JsonObject } from '../../sandbox/fql/compileFql.ts';
import { asHttp, createHarness, envelopeOf, get, issueToken, post, SMALL_SIZES } from './sandboxKit.ts';

/** Issue #13: every documented sort field in both spellings, the documented default orders, and `q`. */

const ALERTS = STREAMS.alerts;
const ALERT_IDS = STREAMS['alert-ids'];
const IOCS = STREAMS.iocs;
const INTEL = STREAMS['intel-indicators'];
const HOSTS = STREAMS.hosts;
const SCROLL = STREAMS['hosts-scroll'];
const VULNS = STREAMS.vulnerabilities;
const ALL_VULNS = "created_timestamp:>='2000-01-01T00:00:00Z'";

function records(envelope: Envelope): JsonObject[] {
  return (envelope.resources ?? []) as JsonObject[];
}

/** Every record of an after-style stream, page by page, with the given sort (undefined: none sent). */
function pageAll(sandbox: FalconSandbox, token: string, spec: StreamSpec, sort: string | undefined, limit: number, extra: Record<string, string> = {}): JsonObject[] {
  const out: JsonObject[] = [];
  let cursor: string | undefined;
  for (let i = 0; i < 100; i++) {
    let envelope: Envelope;
    if (spec.style === 'after-body') {
      envelope = envelopeOf(post(sandbox, token, spec.path, { limit, ...(sort === undefined ? {} : { sort }), ...(cursor === undefined ? {} : { after: cursor }), ...extra }));
    } else {
      const param = afterTokenOf(spec).param;
      envelope = envelopeOf(get(sandbox, token, spec.path, { limit, ...(sort === undefined ? {} : { sort }), ...(cursor === undefined ? {} : { [param]: cursor }), ...extra }));
    }
    expect(envelope.errors ?? []).toEqual([]);
    out.push(...records(envelope));
    const pagination = envelope.meta.pagination as Record<string, unknown> | undefined;
    const next = pagination?.[afterTokenOf(spec).field];
    if (typeof next !== 'string' || next === '') return out;
    cursor = next;
  }
  throw new Error(`Failed to page ${spec.name}: more than 100 pages`);
}

/** True when the values never go backwards in the direction (records lacking the value last). */
function inOrder(values: SortValue[], direction: 'asc' | 'desc'): boolean {
  for (let i = 1; i < values.length; i++) {
    const a = values[i - 1] as SortValue;
    const b = values[i] as SortValue;
    if (a === null) {
      if (b !== null) return false;
      continue;
    }
    if (b === null) continue;
    if (direction === 'asc' ? a > b : a < b) return false;
  }
  return true;
}

function idsOfRecords(list: JsonObject[], idField: string): string[] {
  return list.map((r) => String(r[idField]));
}

describe('sorts (issue #13)', () => {
  it('combined alerts: newest first without a sort, any documented field in either spelling, paged by after', () => {
    const { sandbox } = createHarness();
    const token = issueToken(sandbox);
    const byDefault = pageAll(sandbox, token, ALERTS, undefined, 1000);
    expect(byDefault).toHaveLength(SMALL_SIZES.alerts);
    expect(inOrder(byDefault.map((r) => sortValueOf(r, 'created_timestamp')), 'desc')).toBe(true);

    const pipe = pageAll(sandbox, token, ALERTS, 'updated_timestamp|asc', 70);
    const dot = pageAll(sandbox, token, ALERTS, 'updated_timestamp.asc', 70);
    expect(idsOfRecords(pipe, 'composite_id')).toEqual(idsOfRecords(dot, 'composite_id'));
    expect(new Set(idsOfRecords(pipe, 'composite_id')).size).toBe(SMALL_SIZES.alerts);
    expect(inOrder(pipe.map((r) => sortValueOf(r, 'updated_timestamp')), 'asc')).toBe(true);

    const byStatus = pageAll(sandbox, token, ALERTS, 'status|desc', 90);
    expect(new Set(idsOfRecords(byStatus, 'composite_id')).size).toBe(SMALL_SIZES.alerts);
    expect(inOrder(byStatus.map((r) => sortValueOf(r, 'status')), 'desc')).toBe(true);
  });

  it('alert ids serve the same order as combined alerts for the same sort', () => {
    const { sandbox } = createHarness();
    const token = issueToken(sandbox);
    const combined = idsOfRecords(pageAll(sandbox, token, ALERTS, 'technique|asc', 1000), 'composite_id');
    for (const sort of ['technique|asc', 'technique.asc']) {
      const ids = envelopeOf(get(sandbox, token, ALERT_IDS.path, { sort, limit: 10_000 })).resources;
      expect(ids, sort).toEqual(combined);
    }
    // "0 is the latest detection": newest first by default.
    const newest = idsOfRecords(pageAll(sandbox, token, ALERTS, 'created_timestamp|desc', 1000), 'composite_id');
    expect(envelopeOf(get(sandbox, token, ALERT_IDS.path, { limit: 10_000 })).resources).toEqual(newest);
  });

  it('IOCs take the enum fields bare, with a dot or with a pipe', () => {
    const { sandbox } = createHarness();
    const token = issueToken(sandbox);
    const bare = pageAll(sandbox, token, IOCS, 'created_on', 2000);
    expect(idsOfRecords(pageAll(sandbox, token, IOCS, 'created_on.asc', 2000), 'id')).toEqual(idsOfRecords(bare, 'id'));
    expect(idsOfRecords(pageAll(sandbox, token, IOCS, 'created_on|asc', 2000), 'id')).toEqual(idsOfRecords(bare, 'id'));
    expect(inOrder(bare.map((r) => sortValueOf(r, 'created_on')), 'asc')).toBe(true);

    const byValue = pageAll(sandbox, token, IOCS, 'value.desc', 60);
    expect(new Set(idsOfRecords(byValue, 'id')).size).toBe(SMALL_SIZES.iocs);
    expect(inOrder(byValue.map((r) => sortValueOf(r, 'value')), 'desc')).toBe(true);
    // A field the records lack (expiration) still pages through everything, in the fallback order.
    expect(new Set(idsOfRecords(pageAll(sandbox, token, IOCS, 'expiration|asc', 80), 'id')).size).toBe(SMALL_SIZES.iocs);
  });

  it('intel sorts by published_date without a Next-Page header, which belongs to _marker order', () => {
    const { sandbox } = createHarness();
    const token = issueToken(sandbox);
    const answer = get(sandbox, token, INTEL.path, { sort: 'published_date|desc', limit: 100 });
    expect(asHttp(answer).headers['Next-Page']).toBeUndefined();
    expect(inOrder(records(envelopeOf(answer)).map((r) => sortValueOf(r, 'published_date')), 'desc')).toBe(true);
    const byDefault = get(sandbox, token, INTEL.path, { limit: 100 });
    expect(asHttp(byDefault).headers['Next-Page']).toBeDefined();
    expect(inOrder(records(envelopeOf(byDefault)).map((r) => sortValueOf(r, '_marker')), 'asc')).toBe(true);
  });

  it('combined devices default to device_id.asc and take the bare enum names', () => {
    const { sandbox } = createHarness();
    const token = issueToken(sandbox);
    const byDefault = pageAll(sandbox, token, HOSTS, undefined, 10_000);
    expect(idsOfRecords(byDefault, 'device_id')).toEqual([...idsOfRecords(byDefault, 'device_id')].sort());
    const byHostname = pageAll(sandbox, token, HOSTS, 'hostname', 10_000);
    expect(inOrder(byHostname.map((r) => sortValueOf(r, 'hostname')), 'asc')).toBe(true);
    const paged = pageAll(sandbox, token, HOSTS, 'hostname|desc', 45);
    expect(idsOfRecords(paged, 'device_id')).toEqual([...idsOfRecords(byHostname, 'device_id')].reverse());
  });

  it('the devices scroll snapshots ids in the requested order', () => {
    const { sandbox } = createHarness();
    const token = issueToken(sandbox);
    const hosts = idsOfRecords(pageAll(sandbox, token, HOSTS, 'last_seen.desc', 10_000), 'device_id');
    expect(envelopeOf(get(sandbox, token, SCROLL.path, { sort: 'last_seen|desc', limit: 10_000 })).resources).toEqual(hosts);
  });

  it('Spotlight sorts by updated_timestamp', () => {
    const { sandbox } = createHarness();
    const token = issueToken(sandbox);
    const list = pageAll(sandbox, token, VULNS, 'updated_timestamp|desc', 120, { filter: ALL_VULNS });
    expect(new Set(idsOfRecords(list, 'id')).size).toBe(SMALL_SIZES.vulnerabilities);
    expect(inOrder(list.map((r) => sortValueOf(r, 'updated_timestamp')), 'desc')).toBe(true);
  });

  it('still refuses an undocumented field, and a bare field where the enum is not bare', () => {
    const { sandbox } = createHarness();
    const token = issueToken(sandbox);
    const refusals = [
      post(sandbox, token, ALERTS.path, { sort: 'severity_name|asc' }),
      post(sandbox, token, ALERTS.path, { sort: 'created_timestamp' }),
      get(sandbox, token, ALERT_IDS.path, { sort: 'description|asc' }),
      get(sandbox, token, IOCS.path, { sort: 'id.asc' }),
      get(sandbox, token, INTEL.path, { sort: 'malicious_confidence|asc' }),
      get(sandbox, token, HOSTS.path, { sort: 'nickname.asc' }),
      get(sandbox, token, VULNS.path, { sort: 'cve.id|asc', filter: ALL_VULNS }),
    ];
    for (const answer of refusals) {
      expect(asHttp(answer).status).toBe(400);
      expect(envelopeOf(answer).errors).toEqual([{ code: 400, message: 'invalid sort' }]);
    }
  });
});

describe('q full-text search (issue #13)', () => {
  it('alert ids and combined alerts keep the alerts whose text contains q, ignoring case', () => {
    const { sandbox } = createHarness();
    const token = issueToken(sandbox);
    const all = pageAll(sandbox, token, ALERTS, 'created_timestamp|asc', 1000);
    const hostname = String((all[0]?.['device'] as JsonObject)['hostname']);
    const needle = hostname.slice(2).toLowerCase();
    const expected = all.filter((r) => JSON.stringify(r).toLowerCase().includes(needle)).map((r) => String(r['composite_id']));
    expect(expected.length).toBeGreaterThan(0);
    expect(expected.length).toBeLessThan(all.length);

    const ids = envelopeOf(get(sandbox, token, ALERT_IDS.path, { q: needle, sort: 'created_timestamp|asc', limit: 10_000 }));
    expect(ids.resources).toEqual(expected);
    expect(ids.meta.pagination?.total).toBe(expected.length);
    const combined = pageAll(sandbox, token, ALERTS, 'created_timestamp|asc', 7, { q: needle.toUpperCase() });
    expect(idsOfRecords(combined, 'composite_id')).toEqual(expected);
  });

  it('intel searches every field of the indicators', () => {
    const { sandbox } = createHarness();
    const token = issueToken(sandbox);
    const answer = envelopeOf(get(sandbox, token, INTEL.path, { q: 'qakbot', limit: 5000 }));
    const found = records(answer);
    expect(found.length).toBeGreaterThan(0);
    expect(found.length).toBeLessThan(SMALL_SIZES.intel);
    for (const r of found) expect(JSON.stringify(r).toLowerCase()).toContain('qakbot');
  });

  it('is refused where the definition has no q', () => {
    const { sandbox } = createHarness();
    const token = issueToken(sandbox);
    for (const answer of [get(sandbox, token, IOCS.path, { q: 'x' }), get(sandbox, token, HOSTS.path, { q: 'x' })]) {
      expect(asHttp(answer).status).toBe(400);
      expect(envelopeOf(answer).errors?.[0]?.message).toContain('"q"');
    }
  });
});
