import { describe, expect, it } from 'vitest';
import { STREAMS } from '../../functions/falcon/streams.ts';
import { IOC_IDS_PATH } from '../../sandbox/endpoints/listContract.ts';
import type { FalconSandbox, SandboxResponse } from '../../sandbox/FalconSandbox.ts';
import type { JsonObject } from '../../sandbox/fql/compileFql.ts';
import { asHttp, BASE_URL, createHarness, envelopeOf, get, issueToken, post, SMALL_SIZES } from './sandboxKit.ts';

/** Issue #13: strict where the API is strict, lenient where it is lenient. */

const ALERTS = STREAMS.alerts;
const ALERT_IDS = STREAMS['alert-ids'];
const IOCS = STREAMS.iocs;
const INTEL = STREAMS['intel-indicators'];
const HOSTS = STREAMS.hosts;
const SCROLL = STREAMS['hosts-scroll'];
const VULNS = STREAMS.vulnerabilities;
const ALL_VULNS = "created_timestamp:>='2000-01-01T00:00:00Z'";

function expect400(answer: SandboxResponse, message: string): void {
  expect(asHttp(answer).status).toBe(400);
  expect(envelopeOf(answer).errors?.[0]?.message).toBe(message);
}

describe('undocumented query parameters (issue #13)', () => {
  it('are refused on every list route, named in the error', () => {
    const { sandbox } = createHarness();
    const token = issueToken(sandbox);
    for (const path of [ALERT_IDS.path, IOCS.path, IOC_IDS_PATH, INTEL.path, HOSTS.path, SCROLL.path]) {
      expect400(get(sandbox, token, path, { bogus: 1 }), `unknown query parameter "bogus": ${path} does not take it`);
    }
    expect400(get(sandbox, token, VULNS.path, { filter: ALL_VULNS, bogus: 1 }), `unknown query parameter "bogus": ${VULNS.path} does not take it`);
    // Combined alerts take everything in the body; even include_hidden is not theirs.
    expect400(post(sandbox, token, `${ALERTS.path}?include_hidden=true`, { limit: 10 }), `unknown query parameter "include_hidden": ${ALERTS.path} does not take it`);
  });

  it('Spotlight has no offset', () => {
    const { sandbox } = createHarness();
    const token = issueToken(sandbox);
    expect400(get(sandbox, token, VULNS.path, { filter: ALL_VULNS, offset: 0 }), `unknown query parameter "offset": ${VULNS.path} does not take it`);
  });

  it('serves the documented ones, and checks booleans and enums', () => {
    const { sandbox } = createHarness();
    const token = issueToken(sandbox);
    const served = [
      get(sandbox, token, ALERT_IDS.path, { include_hidden: 'true' }),
      get(sandbox, token, IOCS.path, { from_parent: 'false' }),
      get(sandbox, token, INTEL.path, { include_deleted: 'false', include_relations: 'true' }),
      get(sandbox, token, VULNS.path, { filter: ALL_VULNS, facet: 'cve' }),
    ];
    for (const answer of served) expect(asHttp(answer).status).toBe(200);
    expect400(get(sandbox, token, ALERT_IDS.path, { include_hidden: 'yes' }), 'invalid include_hidden: must be true or false');
    expect400(
      get(sandbox, token, VULNS.path, { filter: ALL_VULNS, facet: 'everything' }),
      'invalid facet "everything": must be one of host_info, remediation, cve, evaluation_logic',
    );
  });

  it('combined devices return only the requested fields', () => {
    const { sandbox } = createHarness();
    const token = issueToken(sandbox);
    const resources = envelopeOf(get(sandbox, token, HOSTS.path, { fields: 'hostname,device_id', limit: 5 })).resources as JsonObject[];
    expect(resources).toHaveLength(5);
    for (const r of resources) expect(Object.keys(r).sort()).toEqual(['device_id', 'hostname']);
  });
});

describe('IOC offset paging (issue #13)', () => {
  it('stops at 10,000 and points at after', () => {
    const { sandbox } = createHarness();
    const token = issueToken(sandbox);
    expect(asHttp(get(sandbox, token, IOCS.path, { offset: 8000, limit: 2000 })).status).toBe(200);
    const message = 'offset + limit must be at most 10000: use the after parameter to page past 10000 indicators';
    expect400(get(sandbox, token, IOCS.path, { offset: 8001, limit: 2000 }), message);
    expect400(get(sandbox, token, IOC_IDS_PATH, { offset: 10_000, limit: 1 }), message);
  });
});

describe('GET /iocs/queries/indicators/v1 (issue #13)', () => {
  function combinedIds(sandbox: FalconSandbox, token: string, params: Record<string, string | number>): string[] {
    return (envelopeOf(get(sandbox, token, IOCS.path, params)).resources as JsonObject[]).map((r) => String(r['id']));
  }

  it('answers the ids of the combined route, by offset or by after, sorted and filtered', () => {
    const { sandbox } = createHarness();
    const token = issueToken(sandbox);
    const filter = "type:'domain'";
    const expected = combinedIds(sandbox, token, { filter, sort: 'modified_on|desc', limit: 2000 });
    expect(expected.length).toBeGreaterThan(0);
    expect(envelopeOf(get(sandbox, token, IOC_IDS_PATH, { filter, sort: 'modified_on|desc', limit: 2000 })).resources).toEqual(expected);

    const byOffset = envelopeOf(get(sandbox, token, IOC_IDS_PATH, { sort: 'created_on', offset: 100, limit: 50 }));
    expect(byOffset.resources).toEqual(combinedIds(sandbox, token, { sort: 'created_on', offset: 100, limit: 50 }));
    expect(byOffset.meta.pagination).toMatchObject({ offset: 100, limit: 50, total: SMALL_SIZES.iocs });

    const paged: string[] = [];
    let after: string | undefined;
    for (let i = 0; i < 20; i++) {
      const envelope = envelopeOf(get(sandbox, token, IOC_IDS_PATH, { limit: 100, ...(after === undefined ? {} : { after }) }));
      paged.push(...(envelope.resources as string[]));
      const next = (envelope.meta.pagination as Record<string, unknown> | undefined)?.['after'];
      if (typeof next !== 'string' || next === '') break;
      after = next;
    }
    expect(paged).toEqual(combinedIds(sandbox, token, { limit: 2000 }));
  });
});

describe('alert entities (issue #13)', () => {
  const HYDRATE = ALERT_IDS.hydrate;

  it('serve more than 1,000 composite ids', () => {
    const { sandbox } = createHarness();
    const token = issueToken(sandbox);
    const ids = envelopeOf(get(sandbox, token, ALERT_IDS.path, { limit: 10_000 })).resources as string[];
    const asked = [...ids, ...Array.from({ length: 1500 - ids.length }, (_, i) => `missing-${i}`)];
    const answer = post(sandbox, token, HYDRATE?.path ?? '', { composite_ids: asked });
    expect(asHttp(answer).status).toBe(200);
    expect(envelopeOf(answer).resources).toHaveLength(ids.length);
  });

  it('answer 413 only past the body-size knob', () => {
    const { sandbox } = createHarness({ knobs: { entitiesMaxBodyBytes: 2000 } });
    const token = issueToken(sandbox);
    const body = (n: number): { composite_ids: string[] } => ({ composite_ids: Array.from({ length: n }, (_, i) => `id-${String(i).padStart(6, '0')}`) });
    expect(asHttp(post(sandbox, token, HYDRATE?.path ?? '', body(100))).status).toBe(200);
    expect(asHttp(post(sandbox, token, HYDRATE?.path ?? '', body(300))).status).toBe(413);
  });
});

describe('custom storage dry_run (issue #13)', () => {
  const PATH = '/customobjects/v1/collections/runs/objects/run-1';

  function call(sandbox: FalconSandbox, token: string, method: 'PUT' | 'DELETE', query: string, body?: string): SandboxResponse {
    return sandbox.handle({
      method,
      url: `${BASE_URL}${PATH}${query}`,
      headers: { authorization: `Bearer ${token}`, 'x-cs-app-id': 'app', 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body }),
    });
  }

  it('validates a put or a delete without doing it', () => {
    const { sandbox } = createHarness();
    const token = issueToken(sandbox);
    expect(asHttp(call(sandbox, token, 'PUT', '?dry_run=true', '{"a":1}')).status).toBe(200);
    expect(sandbox.storage.keys('runs')).toEqual([]);
    expect(asHttp(call(sandbox, token, 'PUT', '?dry_run=true', 'not json')).status).toBe(400);
    expect(asHttp(call(sandbox, token, 'DELETE', '?dry_run=true')).status).toBe(404);

    expect(asHttp(call(sandbox, token, 'PUT', '?dry_run=false', '{"a":1}')).status).toBe(200);
    expect(asHttp(call(sandbox, token, 'DELETE', '?dry_run=true')).status).toBe(200);
    expect(sandbox.storage.keys('runs')).toEqual(['run-1']);
    expect(asHttp(call(sandbox, token, 'PUT', '?dry_run=maybe', '{"a":1}')).status).toBe(400);
    expect(asHttp(call(sandbox, token, 'DELETE', '')).status).toBe(200);
    expect(sandbox.storage.keys('runs')).toEqual([]);
  });
});
