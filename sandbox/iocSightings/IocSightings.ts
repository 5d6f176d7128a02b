import type { IocType } from '../../functions/falcon/iocEndpoints.ts';
import { generateDataset } from '../datasets/generateDataset.ts';
import type { Tenant } from '../datasets/Tenant.ts';
import { Random } from '../random.ts';

/** Share of indicators that no device saw. */
const UNSEEN_SHARE = 0.25;
/** Most devices one indicator is seen on: three pages of the devices query at its largest limit. */
export const MAX_SIGHTINGS = 300;

export interface IocSightingsOptions {
  seed: number;
  /** Size of the sandbox's hosts dataset: sightings name its devices. */
  hostCount: number;
  epochMs: number;
  tenant: Tenant;
}

/**
 * Which devices saw an indicator: a pure function of (sandbox seed, type, value), so any value, an intel
 * indicator or a custom IOC, has the same sightings in every run, and no dataset changes. The devices are
 * drawn from the ids the hosts dataset starts with (generated again here from the same seed, so live
 * inserts and deletes of hosts never move a sighting).
 */
export class IocSightings {
  readonly #options: IocSightingsOptions;
  #pool: readonly string[] | null = null;

  constructor(options: IocSightingsOptions) {
    this.#options = options;
  }

  /** Device ids in the order the devices query serves them; empty for an indicator nobody saw. */
  devices(type: IocType, value: string): string[] {
    const random = Random.derive(this.#options.seed, `sightings:${sightingKey(type, value)}`);
    if (random.chance(UNSEEN_SHARE)) return [];
    const pool = this.#devicePool();
    const count = Math.min(pool.length, random.between(1, MAX_SIGHTINGS));
    const chosen = new Set<number>();
    const ids: string[] = [];
    while (ids.length < count) {
      const index = random.int(pool.length);
      if (chosen.has(index)) continue;
      chosen.add(index);
      ids.push(pool[index] as string);
    }
    return ids;
  }

  #devicePool(): readonly string[] {
    if (this.#pool === null) {
      const { seed, hostCount, epochMs, tenant } = this.#options;
      const { dataset } = generateDataset('hosts', hostCount, epochMs, seed, tenant);
      this.#pool = dataset.matching({ text: '', predicate: null }).map((r) => r.id);
    }
    return this.#pool;
  }
}

/** Hashes, domains and IPv6 addresses are case-insensitive: one indicator, one set of sightings. */
export function sightingKey(type: IocType, value: string): string {
  return `${type}:${value.toLowerCase()}`;
}
