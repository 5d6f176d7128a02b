import { IOC_TYPES, type IocType } from './iocEndpoints.ts';

/**
 * Intel indicator types (`/intel/combined/indicators/v1`'s `type`) an enrichment request may name, besides
 * the IOC types. Only the first four have a custom-IOC twin; the rest get intel context and no devices.
 */
export const INTEL_TYPES = [
  'hash_sha256',
  'hash_md5',
  'ip_address',
  'hash_sha1',
  'url',
  'email_address',
  'file_name',
  'mutex_name',
  'username',
  'user_agent',
] as const;

/** Every `type` the enrich request accepts: the IOC types (domain is both) and the intel types. */
export const ENRICH_INDICATOR_TYPES = [...IOC_TYPES, ...INTEL_TYPES] as const;

export type EnrichIndicatorType = (typeof ENRICH_INDICATOR_TYPES)[number];

export type IocTypeMapping = { iocType: IocType } | { iocType: null; detail: string };

/** The IOC type the device endpoints take for an indicator, or why there is none. */
export function iocTypeOf(type: EnrichIndicatorType, value: string): IocTypeMapping {
  switch (type) {
    case 'sha256':
    case 'hash_sha256':
      return { iocType: 'sha256' };
    case 'md5':
    case 'hash_md5':
      return { iocType: 'md5' };
    case 'domain':
    case 'ipv4':
    case 'ipv6':
      return { iocType: type };
    case 'ip_address':
      return { iocType: value.includes(':') ? 'ipv6' : 'ipv4' };
    case 'hash_sha1':
    case 'url':
    case 'email_address':
    case 'file_name':
    case 'mutex_name':
    case 'username':
    case 'user_agent':
      return { iocType: null, detail: `${type} has no IOC type: the device endpoints take ${IOC_TYPES.join(', ')}` };
    default: {
      // Exhaustive: a new indicator type fails to compile here until it is mapped.
      const unmapped: never = type;
      throw new Error(`Unexpected indicator type: ${String(unmapped)}.`);
    }
  }
}
