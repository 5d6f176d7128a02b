import { describe, expect, it } from 'vitest';
import { STREAMS } from '../../functions/falcon/streams.ts';
import { asHttp, BASE_URL, createHarness, envelopeOf, get, idsOf, issueToken } from './sandboxKit.ts';

const INTEL = STREAMS['intel-indicators'];

describe('style D: intel _marker and Next-Page', () => {
  it('sends a relative Next-Page URL whose filter continues after the last _marker', () => {
    const { sandbox } = createHarness();
    const token = issueToken(sandbox);
    const filter = "malicious_confidence:['high','medium']";
    const answer = asHttp(get(sandbox, token, INTEL.path, { filter, limit: 50 }));
    const envelope = envelopeOf(answer);
    const resources = envelope.resources as Array<Record<string, unknown>>;
    const last = String(resources.at(-1)?.['_marker']);
    const next = answer.headers['Next-Page'] ?? '';
    expect(next.startsWith(`${INTEL.path}?`)).toBe(true);
    const url = new URL(next, BASE_URL);
    expect(url.searchParams.get('filter')).toBe(`(${filter})+_marker:>'${last}'`);
    expect(url.searchParams.get('limit')).toBe('50');
    expect(url.searchParams.get('sort')).toBe('_marker|asc');
    expect(envelope.meta.pagination).toEqual({ offset: 0, limit: 50, total: sandbox.matchingIds('intel-indicators', filter).size });
  });

  it('reaches every matching indicator by following Next-Page, without growing the filter', () => {
    const { sandbox } = createHarness();
    const token = issueToken(sandbox);
    const filter = "type:!'url'";
    const expected = sandbox.matchingIds('intel-indicators', filter);
    const ids: string[] = [];
    let answer = asHttp(get(sandbox, token, INTEL.path, { filter, limit: 60 }));
    for (;;) {
      ids.push(...idsOf(envelopeOf(answer), 'id'));
      const next = answer.headers['Next-Page'];
      if (next === undefined) break;
      expect(next.length).toBeLessThan(200);
      answer = asHttp(sandbox.handle({ method: 'GET', url: new URL(next, BASE_URL).toString(), headers: { authorization: `Bearer ${token}` } }));
    }
    expect(ids).toHaveLength(expected.size);
    expect(new Set(ids)).toEqual(expected);
  });

  it('keeps _marker unique and in publication order', () => {
    const { sandbox } = createHarness();
    const resources = envelopeOf(get(sandbox, issueToken(sandbox), INTEL.path, { limit: 700 })).resources as Array<Record<string, unknown>>;
    const markers = resources.map((r) => String(r['_marker']));
    expect(new Set(markers).size).toBe(markers.length);
    expect(markers).toEqual([...markers].sort());
    const published = resources.map((r) => Number(r['published_date']));
    expect(published).toEqual([...published].sort((a, b) => a - b));
    expect(markers.every((m, i) => m.startsWith(String(published[i])))).toBe(true);
  });

  it('omits Next-Page when the knob says so (depth-cap)', () => {
    const { sandbox } = createHarness({ profile: 'depth-cap' });
    expect(asHttp(get(sandbox, issueToken(sandbox), INTEL.path, { limit: 10 })).headers['Next-Page']).toBeUndefined();
  });

  it('refuses offset + limit of 50,000 or more, and a limit over 5000', () => {
    const { sandbox } = createHarness();
    const token = issueToken(sandbox);
    expect(asHttp(get(sandbox, token, INTEL.path, { offset: 44_999, limit: 5000 })).status).toBe(200);
    const capped = get(sandbox, token, INTEL.path, { offset: 45_000, limit: 5000 });
    expect(asHttp(capped).status).toBe(400);
    const envelope = envelopeOf(capped);
    expect(envelope.meta.powered_by).toBe('msa-api');
    expect(envelope.resources).toEqual([]);
    expect(envelope.errors).toEqual([{ code: 400, message: 'the sum of limit and offset params must be less than 50000' }]);
    expect(asHttp(get(sandbox, token, INTEL.path, { limit: 5001 })).status).toBe(400);
  });
});
