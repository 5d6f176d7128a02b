/**
 * The two custom-IOC sighting endpoints of the IOC Management API (falcon-api.md §2 and §8; gofalcon
 * `falcon/client/ioc/indicator_get_device_count_v1_*.go` and `indicator_get_devices_ran_on_v1_*.go`).
 * The engine builds its requests from here and the sandbox serves exactly these paths.
 */

/** Indicator types both endpoints accept (the swagger text of their `type` parameter). */
export const IOC_TYPES = ['sha256', 'md5', 'domain', 'ipv4', 'ipv6'] as const;

export type IocType = (typeof IOC_TYPES)[number];

export function isIocType(value: string): value is IocType {
  return (IOC_TYPES as readonly string[]).includes(value);
}

export const IOC_DEVICE_COUNT_PATH = '/iocs/aggregates/indicators/device-count/v1';
export const IOC_DEVICES_PATH = '/iocs/queries/indicators/devices/v1';

/**
 * Largest `limit` of the devices query. The new endpoint documents none; psfalcon validates 1–100 for its
 * legacy twin `/indicators/queries/devices/v1` (`Get-FalconIocHost`), so the engine never asks for more.
 */
export const IOC_DEVICES_MAX_LIMIT = 100;

/** The scope a 403 on either endpoint most likely means is missing. */
export const IOC_SCOPE = 'IOC Management: Read';

/** The same scope as manifest.yml's `auth.scopes` writes it (the catalog's `scopeId` for IOC Management). */
export const IOC_SCOPE_ID = 'iocs:read';
