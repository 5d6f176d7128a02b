import { Random } from '../random.ts';
import type { Dataset } from './Dataset.ts';
import type { DatasetName } from './DatasetName.ts';
import { generateDataset } from './generateDataset.ts';
import type { RecordFactory } from './recordFactory.ts';
import type { Tenant } from './Tenant.ts';

export interface LiveDataOptions {
  seed: number;
  epochMs: number;
  sizes: Readonly<Record<DatasetName, number>>;
  tenant: Tenant;
  mutationsPerMinute: { inserts: number; deletes: number };
}

interface LiveDataset {
  dataset: Dataset;
  factory: RecordFactory;
  random: Random;
  lastMutationMs: number;
  pendingInserts: number;
  pendingDeletes: number;
}

/**
 * The sandbox's data, generated per dataset on first use (most tests touch one or two), and changed
 * lazily: each access first applies the inserts and deletes due for the virtual time since the last one.
 */
export class LiveData {
  readonly #live = new Map<DatasetName, LiveDataset>();

  constructor(readonly options: LiveDataOptions) {}

  /** The dataset as it is at `nowMs`. */
  dataset(name: DatasetName, nowMs: number): Dataset {
    let live = this.#live.get(name);
    if (live === undefined) {
      const { seed, epochMs, sizes, tenant } = this.options;
      const generated = generateDataset(name, sizes[name], epochMs, seed, tenant);
      live = {
        ...generated,
        random: Random.derive(seed, `mutations:${name}`),
        lastMutationMs: Math.max(epochMs, nowMs),
        pendingInserts: 0,
        pendingDeletes: 0,
      };
      this.#live.set(name, live);
    }
    this.#mutate(live, nowMs);
    return live.dataset;
  }

  #mutate(live: LiveDataset, nowMs: number): void {
    const elapsed = nowMs - live.lastMutationMs;
    const { inserts, deletes } = this.options.mutationsPerMinute;
    if (elapsed <= 0 || (inserts <= 0 && deletes <= 0)) return;
    const from = live.lastMutationMs;
    live.lastMutationMs = nowMs;
    live.pendingInserts += (elapsed * inserts) / 60_000;
    live.pendingDeletes += (elapsed * deletes) / 60_000;
    const insertCount = Math.floor(live.pendingInserts);
    const deleteCount = Math.floor(live.pendingDeletes);
    live.pendingInserts -= insertCount;
    live.pendingDeletes -= deleteCount;
    // New records are stamped across the elapsed interval, so they sort after everything that existed.
    for (let i = 1; i <= insertCount; i++) {
      live.dataset.insert(live.factory(Math.floor(from + (elapsed * i) / insertCount)));
    }
    for (let i = 0; i < deleteCount && live.dataset.size > 0; i++) {
      const victim = live.dataset.at(live.random.int(live.dataset.size));
      if (victim !== undefined) live.dataset.delete(victim.id);
    }
  }
}
