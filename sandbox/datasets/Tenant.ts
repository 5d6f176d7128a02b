import { Random } from '../random.ts';

/** A type alias (not an interface) so a Device is itself a JSON object that records can share. */
export type Device = { device_id: string; hostname: string };

/** The simulated customer: its CID and the machines its alerts and vulnerabilities point at. */
export interface Tenant {
  cid: string;
  fleet: Device[];
}

const FLEET_SIZE = 400;
const HOST_PREFIXES = ['WS', 'LT', 'SRV', 'DC', 'SQL', 'WEB', 'BLD', 'VDI'] as const;

export function createTenant(seed: number): Tenant {
  const random = Random.derive(seed, 'tenant');
  const cid = random.hex(32);
  const fleet: Device[] = [];
  for (let i = 0; i < FLEET_SIZE; i++) {
    fleet.push({ device_id: random.hex(32), hostname: `${random.pick(HOST_PREFIXES)}-${random.alphanumeric(6).toUpperCase()}` });
  }
  return { cid, fleet };
}
