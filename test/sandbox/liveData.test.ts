import { describe, expect, it } from 'vitest';
import { STREAMS } from '../../functions/falcon/streams.ts';
import { DATASET_NAMES, KEY_STREAM_OF_DATASET } from '../../sandbox/datasets/DatasetName.ts';
import { generateDataset } from '../../sandbox/datasets/generateDataset.ts';
import { createTenant } from '../../sandbox/datasets/Tenant.ts';
import { createHarness, EPOCH_MS } from './sandboxKit.ts';

const THIRTY_DAYS = 30 * 24 * 3600 * 1000;

describe('generated datasets', () => {
  for (const name of DATASET_NAMES) {
    it(`${name}: sorted by (watermark, id), unique ids, ties, 30-day spread`, () => {
      const spec = STREAMS[KEY_STREAM_OF_DATASET[name]];
      const { dataset } = generateDataset(name, 4000, EPOCH_MS, 7, createTenant(7));
      const records = Array.from({ length: dataset.size }, (_, i) => dataset.at(i));
      const ids = new Set<string>();
      let ties = 0;
      for (let i = 0; i < records.length; i++) {
        const r = records[i];
        if (r === undefined) throw new Error('hole');
        expect(r.body[spec.idField]).toBe(r.id);
        expect(r.body[spec.watermarkField]).toBe(r.key);
        ids.add(r.id);
        const prev = records[i - 1];
        if (prev !== undefined) {
          expect(prev.key < r.key || (prev.key === r.key && prev.id < r.id)).toBe(true);
          if (prev.key === r.key) ties++;
        }
      }
      expect(ids.size).toBe(4000);
      if (name !== 'intel') expect(ties).toBeGreaterThan(100);
      const times = name === 'intel' ? records.map((r) => Number(r?.body['published_date']) * 1000) : records.map((r) => Date.parse(String(r?.key)));
      expect(Math.min(...times)).toBeGreaterThanOrEqual(EPOCH_MS - THIRTY_DAYS - 1000);
      expect(Math.max(...times)).toBeLessThan(EPOCH_MS);
    });
  }

  // How fast they are generated is the benchmark's business (bench/ measures the sandbox's own cost), not a test's.
  it('generates the default sizes of all datasets', () => {
    const { sandbox } = createHarness({ sizes: {} });
    const sizes = (['alerts', 'iocs', 'intel-indicators', 'hosts', 'vulnerabilities'] as const).map((s) => sandbox.matchingIds(s).size);
    expect(sizes).toEqual([25_000, 15_000, 60_000, 12_000, 20_000]);
  });
});

describe('live mutations', () => {
  it('insert and delete at the profile rate, new records sorting last', () => {
    const { sandbox, clock } = createHarness({ profile: 'sparse-final-page' });
    expect(sandbox.knobs.mutationsPerMinute).toEqual({ inserts: 30, deletes: 15 });
    const before = sandbox.matchingIds('alerts');
    clock.advance(10 * 60_000);
    const after = sandbox.matchingIds('alerts');
    const inserted = [...after].filter((id) => !before.has(id));
    const deleted = [...before].filter((id) => !after.has(id));
    // Deletions pick from everything alive, so a few fresh records are deleted again.
    expect(after.size).toBe(before.size + 300 - 150);
    expect(inserted.length).toBeGreaterThan(200);
    expect(deleted.length).toBeLessThanOrEqual(150);
    const fresh = sandbox.matchingIds('alerts', `created_timestamp:>'${new Date(EPOCH_MS).toISOString()}'`);
    expect(fresh).toEqual(new Set(inserted));
  });

  it('leave clean data alone', () => {
    const { sandbox, clock } = createHarness();
    const before = sandbox.matchingIds('iocs');
    clock.advance(3_600_000);
    expect(sandbox.matchingIds('iocs')).toEqual(before);
  });

  it('give intel inserts a _marker above every existing one', () => {
    const { sandbox, clock } = createHarness({ knobs: { mutationsPerMinute: { inserts: 30, deletes: 0 } } });
    const before = sandbox.matchingIds('intel-indicators');
    clock.advance(60_000);
    const allNew = sandbox.matchingIds('intel-indicators', `_marker:>'${EPOCH_MS / 1000}'`);
    expect(allNew.size).toBe(30);
    for (const id of allNew) expect(before.has(id)).toBe(false);
  });
});
