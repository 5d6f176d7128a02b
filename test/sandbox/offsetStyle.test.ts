import { describe, expect, it } from 'vitest';
import { ascendingSort, STREAMS } from '../../functions/falcon/streams.ts';
import { asHttp, createHarness, envelopeOf, get, idsOf, issueToken, type Harness } from './sandboxKit.ts';

const ALERT_IDS = STREAMS['alert-ids'];

function setup(options: Parameters<typeof createHarness>[0] = {}): Harness & { token: string } {
  const harness = createHarness(options);
  return { ...harness, token: issueToken(harness.sandbox) };
}

describe('style A: offset + limit', () => {
  it('pages ids in (watermark, id) order with the exact live total', () => {
    const { sandbox, token } = setup();
    const filter = 'severity:>=50';
    const expected = sandbox.matchingIds('alert-ids', filter);
    const seen: string[] = [];
    for (let offset = 0; offset < expected.size; offset += 100) {
      const page = envelopeOf(get(sandbox, token, ALERT_IDS.path, { filter, limit: 100, offset, sort: ascendingSort(ALERT_IDS) }));
      expect(page.meta.pagination).toEqual({ offset, limit: 100, total: expected.size });
      seen.push(...idsOf(page, 'composite_id'));
    }
    expect(seen).toHaveLength(expected.size);
    expect(new Set(seen)).toEqual(expected);

    // Same order as the hydrated records sorted by (created_timestamp, composite_id).
    const hydrate = ALERT_IDS.hydrate;
    if (hydrate === null) throw new Error('alert-ids hydrates');
    const records = seen.slice(0, 200).flatMap((id) => {
      const answer = sandbox.handle({
        method: 'POST',
        url: `http://127.0.0.1:8787${hydrate.path}`,
        headers: { authorization: `Bearer ${token}` },
        body: JSON.stringify({ composite_ids: [id] }),
      });
      return (envelopeOf(answer).resources ?? []) as Array<Record<string, unknown>>;
    });
    const keys = records.map((r) => `${String(r['created_timestamp'])} ${String(r['composite_id'])}`);
    expect(keys).toEqual([...keys].sort());
  });

  it('can answer the next offset instead of echoing the request', () => {
    const { sandbox, token } = setup({ knobs: { offsetSemantics: 'next' } });
    const page = envelopeOf(get(sandbox, token, ALERT_IDS.path, { limit: 10, offset: 20 }));
    expect(page.meta.pagination?.offset).toBe(30);
  });

  it('answers 500 past the alerts v2 cap', () => {
    const { sandbox, token } = setup();
    expect(asHttp(get(sandbox, token, ALERT_IDS.path, { limit: 100, offset: 9900 })).status).toBe(200);
    const alerts = get(sandbox, token, ALERT_IDS.path, { limit: 100, offset: 9901 });
    expect(asHttp(alerts).status).toBe(500);
    expect(envelopeOf(alerts).errors).toEqual([{ code: 500, message: 'Internal Server Error' }]);
  });

  it('lowers the caps under depth-cap', () => {
    const { sandbox, token } = setup({ profile: 'depth-cap' });
    expect(asHttp(get(sandbox, token, ALERT_IDS.path, { limit: 1000, offset: 4000 })).status).toBe(200);
    expect(asHttp(get(sandbox, token, ALERT_IDS.path, { limit: 1000, offset: 4001 })).status).toBe(500);
  });

  it('refuses a limit out of range, an undocumented sort field and a broken filter', () => {
    const { sandbox, token } = setup();
    for (const limit of [0, ALERT_IDS.maxLimit + 1, 1.5]) {
      expect(asHttp(get(sandbox, token, ALERT_IDS.path, { limit })).status, String(limit)).toBe(400);
    }
    const sort = get(sandbox, token, ALERT_IDS.path, { sort: 'no_such_field|asc' });
    expect(asHttp(sort).status).toBe(400);
    expect(envelopeOf(sort).errors).toEqual([{ code: 400, message: 'invalid sort' }]);
    expect(asHttp(get(sandbox, token, ALERT_IDS.path, { sort: 'severity|asc' })).status).toBe(400);
    const filter = get(sandbox, token, ALERT_IDS.path, { filter: "status:'new" });
    expect(asHttp(filter).status).toBe(400);
    expect(envelopeOf(filter).errors?.[0]?.message).toBe("Invalid filter: unterminated single-quoted value at position 12");
  });

  it('no longer serves the decommissioned /detects routes', () => {
    const { sandbox, token } = setup();
    expect(asHttp(get(sandbox, token, '/detects/queries/detects/v1')).status).toBe(404);
  });

  it('serves descending order too', () => {
    const { sandbox, token } = setup();
    const all = sandbox.matchingIds('alert-ids').size;
    const asc = envelopeOf(get(sandbox, token, ALERT_IDS.path, { limit: all, sort: 'created_timestamp|asc' })).resources as string[];
    const desc = envelopeOf(get(sandbox, token, ALERT_IDS.path, { limit: all, sort: 'created_timestamp|desc' })).resources as string[];
    expect(desc).toEqual([...asc].reverse());
  });
});
