import { describe, expect, it } from 'vitest';
import type { RunRecord } from '../../../functions/storage/RunRecord.ts';
import { RunStore, type CollectionPort } from '../../../ui/shared/RunStore.ts';
import { runRecord } from '../support/runRecordFixture.ts';

type SearchQuery = Parameters<CollectionPort['search']>[0];

/** A console that answers like Falcon custom storage: search gives metadata pages, read gives the object. */
class FakeCollection implements CollectionPort {
  readonly searches: SearchQuery[] = [];
  readonly reads: string[] = [];
  constructor(
    readonly objects: Map<string, unknown>,
    readonly options: { reportTotal?: boolean; repeatFirstKeyOnEachPage?: boolean } = {},
  ) {}

  async search(query: SearchQuery): Promise<unknown> {
    this.searches.push(query);
    const keys = [...this.objects.keys()].sort();
    const offset = Number(query.offset);
    const page = keys.slice(offset, offset + query.limit);
    if (this.options.repeatFirstKeyOnEachPage && offset > 0 && keys[0] !== undefined) page[0] = keys[0];
    return {
      meta: { pagination: this.options.reportTotal === false ? undefined : { limit: query.limit, offset, total: keys.length }, trace_id: 't' },
      resources: page.map((object_key) => ({ object_key, collection_name: 'pagination_runs', schema_version: 'v1' })),
      errors: [],
    };
  }

  async read(key: string): Promise<unknown> {
    this.reads.push(key);
    return this.objects.get(key) ?? { errors: [{ code: 404, message: `object ${key} not found` }] };
  }
}

function records(n: number): Map<string, RunRecord> {
  return new Map(Array.from({ length: n }, (_, i) => [`alerts.${String(i).padStart(3, '0')}`, runRecord({ record: { run_id: `run-${i}` } })]));
}

const query = { filter: "execution_id:'exec-1'", sort: 'started_at_ms.asc', pageSize: 10, maxRuns: 100 };

describe(RunStore.name, () => {
  it('pages through search metadata, then reads every object by key', async () => {
    const collection = new FakeCollection(records(23));
    const load = await new RunStore(collection).load(query);
    expect(collection.searches).toEqual([
      { filter: "execution_id:'exec-1'", offset: '0', sort: 'started_at_ms.asc', limit: 10 },
      { filter: "execution_id:'exec-1'", offset: '10', sort: 'started_at_ms.asc', limit: 10 },
      { filter: "execution_id:'exec-1'", offset: '20', sort: 'started_at_ms.asc', limit: 10 },
    ]);
    expect(load.kind).toBe('loaded');
    if (load.kind !== 'loaded') return;
    expect(load.runs.map((r) => r.record.run_id)).toEqual(Array.from({ length: 23 }, (_, i) => `run-${i}`));
    expect(load.runs[0]?.key).toBe('alerts.000');
    expect(load).toMatchObject({ rejected: [], matched: 23, truncated: false });
    expect(new Set(collection.reads).size).toBe(23);
  });

  it('stops on a short page when the console reports no total', async () => {
    const collection = new FakeCollection(records(10), { reportTotal: false });
    const load = await new RunStore(collection).load(query);
    expect(collection.searches.map((s) => s.offset)).toEqual(['0', '10']);
    expect(load).toMatchObject({ kind: 'loaded', matched: null, truncated: false });
  });

  it('reads a key repeated across pages once', async () => {
    const collection = new FakeCollection(records(15), { repeatFirstKeyOnEachPage: true });
    const load = await new RunStore(collection).load(query);
    expect(collection.reads.filter((k) => k === 'alerts.000')).toHaveLength(1);
    expect(load.kind === 'loaded' && load.runs).toHaveLength(14);
  });

  it('stops at maxRuns and says the list is truncated', async () => {
    const collection = new FakeCollection(records(30));
    const load = await new RunStore(collection).load({ ...query, maxRuns: 15 });
    expect(collection.searches.map((s) => [s.offset, s.limit])).toEqual([
      ['0', 10],
      ['10', 5],
    ]);
    expect(load).toMatchObject({ kind: 'loaded', matched: 30, truncated: true });
    expect(load.kind === 'loaded' && load.runs).toHaveLength(15);
  });

  it('shows valid runs and names the invalid and unreadable ones', async () => {
    const objects = new Map<string, unknown>(records(2));
    objects.set('alerts.bad', { ...runRecord(), has_more: true });
    const collection = new FakeCollection(objects);
    collection.objects.set('alerts.gone', undefined);
    const load = await new RunStore(collection).load(query);
    expect(load.kind === 'loaded' && load.runs.map((r) => r.key)).toEqual(['alerts.000', 'alerts.001']);
    expect(load.kind === 'loaded' && load.rejected).toEqual([
      { key: 'alerts.bad', issues: ["has_more: Expected 'true' | 'false', received boolean"] },
      { key: 'alerts.gone', issues: ['read failed: 404 object alerts.gone not found'] },
    ]);
  });

  it('fails with the console errors of a refused search', async () => {
    const port: CollectionPort = {
      search: async () => ({ meta: {}, resources: [], errors: [{ code: 403, message: 'access denied, authorization failed' }] }),
      read: async () => undefined,
    };
    expect(await new RunStore(port).load(query)).toEqual({
      kind: 'failed',
      problem: { kind: 'console-error', operation: 'search', messages: ['403 access denied, authorization failed'] },
    });
  });

  it('fails with the shape problem of an unexpected search answer', async () => {
    const bare: CollectionPort = { search: async () => ['alerts.000'], read: async () => undefined };
    const missing: CollectionPort = { search: async () => ({ meta: {} }), read: async () => undefined };
    const keyless: CollectionPort = { search: async () => ({ resources: [{ collection_name: 'x' }] }), read: async () => undefined };
    expect(await new RunStore(bare).load(query)).toEqual({
      kind: 'failed',
      problem: { kind: 'invalid-response', operation: 'search', issues: ['(the answer): Expected object, received array'] },
    });
    expect(await new RunStore(missing).load(query)).toEqual({
      kind: 'failed',
      problem: { kind: 'invalid-response', operation: 'search', issues: ['resources: missing from the search answer'] },
    });
    expect(await new RunStore(keyless).load(query)).toMatchObject({ problem: { issues: ['resources[0].object_key: Required'] } });
  });

  it('fails with a timeout when the console never answers, and with the message when the bridge throws', async () => {
    let fire: (() => void) | undefined;
    const silent: CollectionPort = { search: () => new Promise<unknown>(() => undefined), read: async () => undefined };
    const store = new RunStore(silent, {
      timeoutMs: 15_000,
      schedule: (callback, ms) => {
        expect(ms).toBe(15_000);
        fire = callback;
        return () => undefined;
      },
    });
    const pending = store.load(query);
    fire?.();
    expect(await pending).toEqual({ kind: 'failed', problem: { kind: 'timeout', operation: 'search', ms: 15_000 } });

    const throwing: CollectionPort = {
      search: () => Promise.reject(new Error('You cannot call this API before having established a connection to the host!')),
      read: async () => undefined,
    };
    expect(await new RunStore(throwing).load(query)).toMatchObject({
      problem: { kind: 'console-error', messages: ['You cannot call this API before having established a connection to the host!'] },
    });
  });

  it('never has more reads in flight than the concurrency allows', async () => {
    let inFlight = 0;
    let peak = 0;
    const objects = records(12);
    const port: CollectionPort = {
      search: (q) => new FakeCollection(objects).search(q),
      read: async (key) => {
        inFlight++;
        peak = Math.max(peak, inFlight);
        await Promise.resolve();
        inFlight--;
        return objects.get(key);
      },
    };
    const load = await new RunStore(port, { readConcurrency: 3 }).load(query);
    expect(peak).toBe(3);
    expect(load.kind === 'loaded' && load.runs).toHaveLength(12);
  });
});
