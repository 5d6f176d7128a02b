import { describe, expect, it } from 'vitest';
import { ascendingSort, STREAMS, type StreamSpec } from '../../functions/falcon/streams.ts';
import type { FalconSandbox, SandboxResponse } from '../../sandbox/FalconSandbox.ts';
import { asHttp, createHarness, envelopeOf, get, idsOf, issueToken, post } from './sandboxKit.ts';

const VULNS = STREAMS.vulnerabilities;
const IOCS = STREAMS.iocs;
const ALERTS = STREAMS.alerts;
const ALL = "created_timestamp:>='2000-01-01T00:00:00Z'";

/** One page request of an after-style stream, token in the query or the JSON body. */
function page(sandbox: FalconSandbox, token: string, spec: StreamSpec, params: { after?: string; filter?: string; limit: number; sort?: string }): SandboxResponse {
  const sort = params.sort ?? ascendingSort(spec);
  if (spec.style === 'after-body') {
    return post(sandbox, token, spec.path, { ...(params.after === undefined ? {} : { after: params.after }), filter: params.filter ?? '', limit: params.limit, sort });
  }
  return get(sandbox, token, spec.path, {
    ...(params.after === undefined ? {} : { after: params.after }),
    ...(params.filter === undefined ? {} : { filter: params.filter }),
    limit: params.limit,
    sort,
  });
}

describe('style C: after', () => {
  for (const [spec, filter] of [
    [VULNS, "status:'open'"],
    [IOCS, "type:!'md5'"],
    [ALERTS, 'severity:>=30'],
  ] as const) {
    it(`walks ${spec.name} to the end without gaps or duplicates`, () => {
      const { sandbox, clock } = createHarness();
      const token = issueToken(sandbox);
      const expected = sandbox.matchingIds(spec.name, filter);
      const ids: string[] = [];
      let after: string | undefined;
      for (;;) {
        const envelope = envelopeOf(page(sandbox, token, spec, { filter, limit: 40, ...(after === undefined ? {} : { after }) }));
        expect(envelope.meta.pagination?.total).toBe(expected.size);
        expect(envelope.meta.pagination?.limit).toBe(40);
        ids.push(...idsOf(envelope, spec.idField));
        const next = envelope.meta.pagination?.after;
        if (next === undefined || next === '' || next === null) {
          // Spotlight says after: "" on the last page; alerts and IOCs leave it out.
          expect('after' in (envelope.meta.pagination ?? {})).toBe(spec.filterRequired);
          break;
        }
        after = next;
        clock.advance(1_000);
      }
      expect(ids).toHaveLength(expected.size);
      expect(new Set(ids)).toEqual(expected);
    });
  }

  it('never shifts pages when records are inserted or deleted between them', () => {
    const { sandbox, clock } = createHarness({ knobs: { mutationsPerMinute: { inserts: 300, deletes: 300 } } });
    const token = issueToken(sandbox);
    const atStart = sandbox.matchingIds('vulnerabilities', ALL);
    const ids: string[] = [];
    let after: string | undefined;
    do {
      const envelope = envelopeOf(page(sandbox, token, VULNS, { filter: ALL, limit: 25, ...(after === undefined ? {} : { after }) }));
      ids.push(...idsOf(envelope, 'id'));
      after = envelope.meta.pagination?.after ?? undefined;
      clock.advance(2_000);
    } while (after !== undefined && after !== '');
    const atEnd = sandbox.matchingIds('vulnerabilities', ALL);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of atStart) if (atEnd.has(id)) expect(ids).toContain(id);
  });

  it('re-serves the same page when a token is sent twice', () => {
    const { sandbox } = createHarness();
    const token = issueToken(sandbox);
    const first = envelopeOf(page(sandbox, token, IOCS, { limit: 10 }));
    const after = String(first.meta.pagination?.after);
    const a = envelopeOf(page(sandbox, token, IOCS, { after, limit: 10 }));
    const b = envelopeOf(page(sandbox, token, IOCS, { after, limit: 10 }));
    expect(idsOf(a, 'id')).toEqual(idsOf(b, 'id'));
  });

  it('answers the exact Spotlight 404 once the context idled past its TTL', () => {
    const { sandbox, clock } = createHarness();
    const token = issueToken(sandbox);
    const first = envelopeOf(page(sandbox, token, VULNS, { filter: ALL, limit: 100 }));
    clock.advance(120_000);
    const stillAlive = envelopeOf(page(sandbox, token, VULNS, { filter: ALL, limit: 100, after: String(first.meta.pagination?.after) }));
    clock.advance(120_001);
    const expired = asHttp(page(sandbox, token, VULNS, { filter: ALL, limit: 100, after: String(stillAlive.meta.pagination?.after) }));
    expect(expired.status).toBe(404);
    const { meta } = JSON.parse(expired.body) as { meta: { query_time: number; trace_id: string } };
    expect(expired.body).toBe(
      `{"meta":{"query_time":${meta.query_time},"pagination":{"limit":100,"total":0,"after":""},"powered_by":"spapi","trace_id":"${meta.trace_id}"},"resources":[],"errors":[{"code":404,"message":"Search context expired, 'after' key no longer valid"}]}`,
    );
    expect(expired.headers['X-Cs-Traceid']).toBe(meta.trace_id);
  });

  it('refuses a token used with a different sort', () => {
    const { sandbox } = createHarness();
    const token = issueToken(sandbox);
    const first = envelopeOf(page(sandbox, token, ALERTS, { limit: 10 }));
    const refused = page(sandbox, token, ALERTS, { after: String(first.meta.pagination?.after), limit: 10, sort: 'created_timestamp|desc' });
    expect(asHttp(refused).status).toBe(404);
    expect(envelopeOf(refused).errors?.[0]?.message).toBe("Search context expired, 'after' key no longer valid");
  });

  it('refuses Spotlight without a filter, IOC offset with after, and a broken alerts body', () => {
    const { sandbox } = createHarness();
    const token = issueToken(sandbox);
    expect(asHttp(get(sandbox, token, VULNS.path, { limit: 10 })).status).toBe(400);
    const first = envelopeOf(page(sandbox, token, IOCS, { limit: 10 }));
    const both = get(sandbox, token, IOCS.path, { after: String(first.meta.pagination?.after), offset: 10 });
    expect(asHttp(both).status).toBe(400);
    expect(asHttp(post(sandbox, token, ALERTS.path, '{not json')).status).toBe(400);
  });

  it('pages IOCs by plain offset too', () => {
    const { sandbox } = createHarness();
    const envelope = envelopeOf(get(sandbox, issueToken(sandbox), IOCS.path, { offset: 490, limit: 20 }));
    expect(envelope.meta.pagination).toEqual({ offset: 490, limit: 20, total: 500 });
    expect(envelope.resources).toHaveLength(10);
  });

  it('walks descending order', () => {
    const { sandbox } = createHarness();
    const token = issueToken(sandbox);
    const first = envelopeOf(page(sandbox, token, ALERTS, { limit: 300, sort: 'created_timestamp|desc' }));
    const second = envelopeOf(page(sandbox, token, ALERTS, { limit: 300, sort: 'created_timestamp|desc', after: String(first.meta.pagination?.after) }));
    const asc = envelopeOf(page(sandbox, token, ALERTS, { limit: 600 }));
    expect([...idsOf(first, 'composite_id'), ...idsOf(second, 'composite_id')]).toEqual(idsOf(asc, 'composite_id').reverse());
  });
});

describe('combined devices: the token comes back as next and is sent as offset', () => {
  const HOSTS = STREAMS.hosts;

  it('walks every host once, echoing the token it was asked with in offset, and ends without next', () => {
    const { sandbox } = createHarness();
    const token = issueToken(sandbox);
    const expected = sandbox.matchingIds('hosts', '');
    const ids: string[] = [];
    let offset = '';
    for (let pages = 0; pages < 100; pages++) {
      const envelope = envelopeOf(get(sandbox, token, HOSTS.path, { limit: 70, sort: 'first_seen.asc', ...(offset === '' ? {} : { offset }) }));
      const pagination = envelope.meta.pagination as Record<string, unknown>;
      expect(pagination['offset']).toBe(offset);
      expect(pagination['after']).toBeUndefined();
      ids.push(...idsOf(envelope, 'device_id'));
      const next = pagination['next'];
      if (typeof next !== 'string' || next === '') break;
      offset = next;
    }
    expect(ids).toHaveLength(expected.size);
    expect(new Set(ids)).toEqual(expected);
  });

  it('refuses a token that is no token of its own with the expired-context answer, not a page from the start', () => {
    const { sandbox } = createHarness();
    const token = issueToken(sandbox);
    const answer = get(sandbox, token, HOSTS.path, { limit: 10, offset: 'garbage' });
    expect(asHttp(answer).status).toBeGreaterThanOrEqual(400);
  });
});
